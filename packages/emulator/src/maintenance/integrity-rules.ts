/**
 * The predicates behind the data integrity checks (see `integrity-checks.ts` for their sources):
 * membership is read from both sides of an association, since the emulator stores what clients send.
 */
import type { MetadataObject, MetadataStore } from "../metadata-store.js";
import { refId, refIds } from "../refs.js";

export type IntegritySeverity = "INFO" | "WARNING" | "SEVERE" | "CRITICAL";

/** One issue as DHIS2 lists it in `/api/dataIntegrity/details`. */
export interface IntegrityIssue {
  id: string;
  name: string;
  comment?: string;
  refs?: string[];
}

/** A check: its catalog entry plus how to compute it. */
export interface IntegrityCheckDef {
  name: string;
  displayName: string;
  section: string;
  sectionOrder: number;
  severity: IntegritySeverity;
  description: string;
  introduction?: string;
  recommendation?: string;
  issuesIdType?: string;
  isSlow: boolean;
  isProgrammatic: boolean;
  /** The issues, and the number of objects checked (for `percentage`). */
  run(store: MetadataStore): { issues: IntegrityIssue[]; total: number };
}

const nameOf = (o: MetadataObject): string =>
  typeof o.name === "string" ? o.name : typeof o.displayName === "string" ? o.displayName : o.id;
const byName = (a: IntegrityIssue, b: IntegrityIssue) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
export const isAggregate = (de: MetadataObject) => (de.domainType ?? "AGGREGATE") === "AGGREGATE";

/** Objects of `plural` (passing `filter`) that `used` does not contain. */
export function unmatched(
  store: MetadataStore,
  plural: string,
  used: Set<string>,
  filter: (o: MetadataObject) => boolean = () => true,
  comment?: (o: MetadataObject) => string | undefined,
): { issues: IntegrityIssue[]; total: number } {
  const objects = store.list(plural).filter(filter);
  const issues = objects
    .filter((o) => !used.has(o.id))
    .map((o) => {
      const c = comment?.(o);
      return { id: o.id, name: nameOf(o), ...(c !== undefined ? { comment: c } : {}) };
    })
    .sort(byName);
  return { issues, total: objects.length };
}

/** Members of a group type, read from both sides (the group's list and the member's back-reference). */
function members(
  store: MetadataStore,
  groups: string,
  memberKey: string,
  owners: string,
  backKey: string,
): Set<string> {
  const out = new Set<string>();
  for (const g of store.list(groups)) for (const id of refIds(g[memberKey])) out.add(id);
  for (const o of store.list(owners)) if (refIds(o[backKey]).length > 0) out.add(o.id);
  return out;
}

export function dataElementsInDataSets(store: MetadataStore): Set<string> {
  const out = new Set<string>();
  for (const ds of store.list("dataSets")) {
    for (const dse of Array.isArray(ds.dataSetElements) ? ds.dataSetElements : []) {
      const id = refId((dse as { dataElement?: unknown }).dataElement);
      if (id) out.add(id);
    }
  }
  for (const de of store.list("dataElements")) {
    if (Array.isArray(de.dataSetElements) && de.dataSetElements.length > 0) out.add(de.id);
  }
  return out;
}

export function dataSetsWithOrgUnits(store: MetadataStore): Set<string> {
  const out = new Set<string>();
  for (const ds of store.list("dataSets")) if (refIds(ds.organisationUnits).length > 0) out.add(ds.id);
  for (const ou of store.list("organisationUnits")) for (const id of refIds(ou.dataSets)) out.add(id);
  return out;
}

export function usedCategoryCombos(store: MetadataStore): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    const id = refId(v);
    if (id) out.add(id);
  };
  for (const plural of ["dataSets", "dataElements", "programs", "dataApprovalWorkflows"]) {
    for (const o of store.list(plural)) add(o.categoryCombo);
  }
  for (const ds of store.list("dataSets")) {
    for (const dse of Array.isArray(ds.dataSetElements) ? ds.dataSetElements : []) {
      add((dse as { categoryCombo?: unknown }).categoryCombo);
    }
  }
  return out;
}

export function usedOptionSets(store: MetadataStore): Set<string> {
  const out = new Set<string>();
  // The SQL looks at metadata attributes and data elements only (not tracked entity attributes).
  for (const o of [...store.list("attributes"), ...store.list("dataElements")]) {
    for (const v of [o.optionSet, o.commentOptionSet]) {
      const id = refId(v);
      if (id) out.add(id);
    }
  }
  return out;
}

/** Org units whose parent chain comes back to them; `refs` is the cycle. */
export function cyclicOrgUnits(store: MetadataStore): { issues: IntegrityIssue[]; total: number } {
  const units = store.bucket("organisationUnits");
  const issues: IntegrityIssue[] = [];
  for (const ou of units.values()) {
    const chain: string[] = [];
    const seen = new Set<string>([ou.id]);
    let cur = refId(ou.parent);
    while (cur !== undefined && !seen.has(cur)) {
      seen.add(cur);
      chain.push(cur);
      cur = refId(units.get(cur)?.parent);
    }
    if (cur === ou.id) issues.push({ id: ou.id, name: nameOf(ou), refs: chain });
  }
  return { issues: issues.sort(byName), total: units.size };
}

/** No (existing) parent and no children: outside the hierarchy. */
export function orphanedOrgUnits(store: MetadataStore): { issues: IntegrityIssue[]; total: number } {
  const units = store.bucket("organisationUnits");
  const hasChildren = new Set<string>();
  for (const ou of units.values()) {
    const parent = refId(ou.parent);
    if (parent && units.has(parent)) hasChildren.add(parent);
  }
  const issues = [...units.values()]
    .filter((ou) => {
      const parent = refId(ou.parent);
      return (parent === undefined || !units.has(parent)) && !hasChildren.has(ou.id);
    })
    .map((ou) => ({ id: ou.id, name: nameOf(ou) }))
    .sort(byName);
  return { issues, total: units.size };
}

export const deGroups = (s: MetadataStore) =>
  members(s, "dataElementGroups", "dataElements", "dataElements", "dataElementGroups");
export const ouGroups = (s: MetadataStore) =>
  members(s, "organisationUnitGroups", "organisationUnits", "organisationUnits", "organisationUnitGroups");
export const indicatorGroups = (s: MetadataStore) =>
  members(s, "indicatorGroups", "indicators", "indicators", "indicatorGroups");
