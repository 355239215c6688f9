/**
 * What validation and predictors read from the emulator's stores: the "period table" (DHIS2 keeps
 * a row for every period anything was stored for, and validation only looks at periods that
 * exist there), org unit facts, and the aggregate data values of some data elements, resolved to
 * the canonical keys of the expression items that ask for them.
 */
import type { ItemNode } from "@dhis2w/client";
import { type DayPeriod, dayPeriod } from "../analytics/periods.js";
import type { EmulatorApp } from "../app.js";
import { dataValueStore } from "../data/index.js";
import type { MetadataObject, MetadataStore } from "../metadata-store.js";
import type { OrgUnitFacts } from "./evaluate.js";

/**
 * The key of the value an item reads: `de` (data element total), `de.coc`, `de.coc.aoc`, `de..aoc`.
 * `#{de.*}` is the data element total; `#{de.coc.*}` the operand over every attribute combo.
 */
export function itemKey(node: ItemNode): string {
  if (node.symbol !== "#{") return `${node.symbol}${node.uid0}.${node.uid1 ?? ""}`;
  if (!node.uid1 && !node.uid2) return node.uid0;
  return node.uid2 ? `${node.uid0}.${node.uid1 ?? ""}.${node.uid2}` : `${node.uid0}.${node.uid1}`;
}

/** The keys one stored value feeds, among those asked for. */
export function keysFed(wanted: ReadonlySet<string>, de: string, coc: string, aoc: string): string[] {
  const out: string[] = [];
  for (const k of [de, `${de}.${coc}`, `${de}.${coc}.${aoc}`, `${de}..${aoc}`])
    if (wanted.has(k)) out.push(k);
  return out;
}

/**
 * Every period the period table would hold: those of stored data values (deleted ones too: the
 * period row stays) and of stored validation results.
 */
export function knownPeriods(app: EmulatorApp): DayPeriod[] {
  const ids = new Set<string>();
  const store = dataValueStore(app);
  for (const row of store.rows({ includeDeleted: true })) ids.add(store.periodOf(row));
  for (const r of app.extensions.validationResults ?? []) ids.add(r.period);
  const out: DayPeriod[] = [];
  for (const id of ids) {
    const p = dayPeriod(id);
    if (p) out.push(p);
  }
  return out;
}

/** One stored, not deleted value, with its parsed period. */
export interface FoundValue {
  readonly dataElement: string;
  readonly period: DayPeriod;
  readonly orgUnit: string;
  readonly categoryOptionCombo: string;
  readonly attributeOptionCombo: string;
  readonly value: string | null;
  readonly deleted: boolean;
  readonly row: number;
}

/** Stored values of the data elements for the org units, in periods `keep` accepts. */
export function storedValues(
  app: EmulatorApp,
  filter: {
    dataElements: ReadonlySet<string>;
    orgUnits: (ou: string) => boolean;
    periods: (p: DayPeriod) => boolean;
    includeDeleted?: boolean;
  },
): FoundValue[] {
  const store = dataValueStore(app);
  const out: FoundValue[] = [];
  if (filter.dataElements.size === 0) return out;
  for (const row of store.rows({
    dataElements: filter.dataElements,
    orgUnits: filter.orgUnits,
    periods: (id) => {
      const p = dayPeriod(id);
      return p !== undefined && filter.periods(p);
    },
    includeDeleted: filter.includeDeleted ?? false,
  })) {
    const v = store.get(row);
    out.push({
      dataElement: v.dataElement,
      period: dayPeriod(v.period) as DayPeriod,
      orgUnit: v.orgUnit,
      categoryOptionCombo: v.categoryOptionCombo,
      attributeOptionCombo: v.attributeOptionCombo,
      value: v.value,
      deleted: v.deleted,
      row,
    });
  }
  return out;
}

/** An org unit with what validation rules and predictors need of it. */
export interface OrgUnitInfo {
  readonly obj: MetadataObject;
  readonly id: string;
  /** Uids from the root down to and including this one. */
  readonly path: readonly string[];
  readonly level: number;
  readonly name: string;
}

function refId(ref: unknown): string | undefined {
  if (typeof ref === "string") return ref;
  const id = (ref as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
}

/** Org units by uid, with their paths (from `path`, else walked through `parent`). */
export class OrgUnits {
  readonly #byId = new Map<string, OrgUnitInfo>();

  constructor(readonly md: MetadataStore) {
    const walk = (ou: MetadataObject): string[] => {
      if (typeof ou.path === "string" && ou.path.startsWith("/")) return ou.path.slice(1).split("/");
      const chain: string[] = [];
      let cur: MetadataObject | undefined = ou;
      while (cur && chain.length < 64) {
        chain.unshift(cur.id);
        const parent = refId(cur.parent);
        cur = parent ? md.get("organisationUnits", parent) : undefined;
      }
      return chain;
    };
    for (const ou of md.bucket("organisationUnits").values()) {
      const path = walk(ou);
      this.#byId.set(ou.id, { obj: ou, id: ou.id, path, level: path.length, name: String(ou.name ?? ou.id) });
    }
  }

  get(id: string): OrgUnitInfo | undefined {
    return this.#byId.get(id);
  }

  /** The org unit and all below it, in hierarchy order (DHIS2's `getOrganisationUnitWithChildren`). */
  subtree(root: string): OrgUnitInfo[] {
    return [...this.#byId.values()]
      .filter((ou) => ou.path.includes(root))
      .sort((a, b) => (a.path.join("/") < b.path.join("/") ? -1 : 1));
  }

  /** "Root / Region / " (dhis2-core `OrganisationUnit.getAncestorNames`). */
  ancestorNames(ou: OrgUnitInfo): string {
    return ou.path
      .slice(0, -1)
      .map((id) => `${this.#byId.get(id)?.name ?? id} / `)
      .join("");
  }

  /** What the `orgUnit.*` functions ask of an org unit. */
  facts(ou: OrgUnitInfo): OrgUnitFacts {
    const ids = (plural: string, member: (o: MetadataObject) => unknown[]) => {
      const out = new Set<string>();
      for (const o of this.md.bucket(plural).values()) {
        if (member(o).some((r) => refId(r) === ou.id)) out.add(o.id);
      }
      return out;
    };
    const list = (v: unknown) => (Array.isArray(v) ? v : []);
    return {
      id: ou.id,
      ancestors: new Set(ou.path.slice(0, -1)),
      groups: ids("organisationUnitGroups", (g) => list(g.organisationUnits)),
      dataSets: ids("dataSets", (d) => list(d.organisationUnits)),
      programs: ids("programs", (p) => list(p.organisationUnits)),
    };
  }
}
