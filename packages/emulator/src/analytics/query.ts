/**
 * Turns an `/api/analytics` request into a plan: the dx / pe / ou axes with resolved items (relative
 * periods and `LEVEL-n` expanded), which are dimensions (columns) and which are filters, and the
 * output options. Errors are DHIS2's 409 WebMessages with the E71xx codes of dhis2-core
 * `org.hisp.dhis.feedback.ErrorCode` (E7101 no dimension, E7102 no data, E7103 dimension and
 * filter at once, E7104 no period, E7115 non-aggregatable data element, E7124 no valid items,
 * E7125 unknown dimension, E7117-E7119 data value set without dx/pe/ou).
 */
import type { Ctx } from "../ctx.js";
import type { MetadataObject, MetadataStore } from "../metadata-store.js";
import { HttpError } from "../web-message.js";
import { type CompiledExpression, compileExpression, ExpressionError } from "./expression.js";
import {
  type DayPeriod,
  dayPeriod,
  periodName,
  relativePeriodName,
  resolveRelativePeriod,
} from "./periods.js";

export type DimId = "dx" | "pe" | "ou";

export interface IndicatorPlan {
  numerator: CompiledExpression;
  denominator: CompiledExpression;
  factor: number;
  decimals: number | undefined;
}

export interface DxItem {
  id: string;
  obj: MetadataObject;
  kind: "DATA_ELEMENT" | "DATA_ELEMENT_OPERAND" | "INDICATOR";
  dataElement?: string;
  categoryOptionCombo?: string;
  indicator?: IndicatorPlan;
  name: string;
}
export interface PeItem {
  id: string;
  period: DayPeriod;
  name: string;
}
export interface OuItem {
  id: string;
  obj: MetadataObject;
  name: string;
}
export interface Axis<T> {
  items: T[];
  filter: boolean;
}

export interface AnalyticsOptions {
  skipMeta: boolean;
  skipRounding: boolean;
  includeNumDen: boolean;
  includeMetadataDetails: boolean;
  displayProperty: "NAME" | "SHORTNAME";
  outputIdScheme: "UID" | "CODE" | "NAME";
  aggregationType: string | undefined;
}

export interface AnalyticsPlan {
  dx: Axis<DxItem>;
  pe: Axis<PeItem>;
  ou: Axis<OuItem>;
  /** Column dimensions in request order. */
  order: DimId[];
  /** Names of the request keywords (relative periods) for `metaData.items`. */
  keywordNames: Record<string, string>;
  options: AnalyticsOptions;
}

const conflict = (message: string, errorCode: string): HttpError =>
  new HttpError(409, message, { errorCode });
const AGGREGATABLE =
  /^(NUMBER|INTEGER|INTEGER_POSITIVE|INTEGER_NEGATIVE|INTEGER_ZERO_OR_POSITIVE|PERCENTAGE|UNIT_INTERVAL|BOOLEAN|TRUE_ONLY)$/;
const ref = (v: unknown): string | undefined =>
  typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string"
    ? (v as { id: string }).id
    : undefined;

/** Display name under `displayProperty`. */
export function displayName(obj: MetadataObject, prop: "NAME" | "SHORTNAME"): string {
  const pick = prop === "SHORTNAME" ? (obj.shortName ?? obj.name) : obj.name;
  return String(pick ?? obj.displayName ?? obj.id);
}

function splitDimensions(values: string[]): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const v of values) {
    for (const part of v.split(",")) {
      if (part === "") continue;
      const colon = part.indexOf(":");
      out.push(
        colon < 0
          ? [part, []]
          : [
              part.slice(0, colon),
              part
                .slice(colon + 1)
                .split(";")
                .filter(Boolean),
            ],
      );
    }
  }
  return out;
}

function resolveDx(md: MetadataStore, ids: string[], opts: AnalyticsOptions): DxItem[] {
  const items: DxItem[] = [];
  for (const id of ids) {
    const [a, b] = id.split(".");
    const de = a ? md.get("dataElements", a) : undefined;
    if (de && b !== undefined) {
      const coc = md.get("categoryOptionCombos", b);
      if (!coc) continue;
      items.push({
        id,
        obj: de,
        kind: "DATA_ELEMENT_OPERAND",
        dataElement: de.id,
        categoryOptionCombo: coc.id,
        name: `${displayName(de, opts.displayProperty)} ${displayName(coc, opts.displayProperty)}`,
      });
    } else if (de) {
      items.push({
        id,
        obj: de,
        kind: "DATA_ELEMENT",
        dataElement: de.id,
        name: displayName(de, opts.displayProperty),
      });
    } else {
      const ind = md.get("indicators", id);
      if (!ind) continue;
      const type = md.get("indicatorTypes", ref(ind.indicatorType) ?? "");
      const compile = (expr: unknown, which: string) => {
        try {
          return compileExpression(String(expr ?? "1"));
        } catch (e) {
          throw conflict(
            `Indicator ${id} has an invalid ${which}: ${e instanceof ExpressionError ? e.message : String(e)}`,
            "E7133",
          );
        }
      };
      items.push({
        id,
        obj: ind,
        kind: "INDICATOR",
        indicator: {
          numerator: compile(ind.numerator, "numerator"),
          denominator: compile(ind.denominator, "denominator"),
          factor: typeof type?.factor === "number" ? type.factor : 1,
          decimals: typeof ind.decimals === "number" ? ind.decimals : undefined,
        },
        name: displayName(ind, opts.displayProperty),
      });
    }
  }
  for (const item of items) {
    if (item.kind === "INDICATOR") continue;
    const vt = String(item.obj.valueType ?? "NUMBER");
    if (!AGGREGATABLE.test(vt) || item.obj.aggregationType === "NONE") {
      throw conflict(
        `Data elements must be of a value and aggregation type that allow aggregation: \`[${item.obj.id}]\``,
        "E7115",
      );
    }
  }
  return items;
}

function resolvePe(ids: string[], nowMs: number, keywordNames: Record<string, string>): PeItem[] {
  const out: PeItem[] = [];
  const seen = new Set<string>();
  const add = (pid: string) => {
    const period = dayPeriod(pid);
    if (!period || seen.has(pid)) return;
    seen.add(pid);
    out.push({ id: pid, period, name: periodName(period) });
  };
  for (const id of ids) {
    const fixed = dayPeriod(id);
    if (fixed) add(id);
    else {
      const rel = resolveRelativePeriod(id, nowMs);
      if (!rel) continue;
      keywordNames[id] = relativePeriodName(id);
      rel.forEach(add);
    }
  }
  return out;
}

function levelOf(ou: MetadataObject): number {
  return typeof ou.level === "number" ? ou.level : String(ou.path ?? "").split("/").length - 1;
}

function resolveOu(ctx: Ctx, ids: string[], opts: AnalyticsOptions): OuItem[] {
  const md = ctx.state.metadata;
  const all = () => md.list("organisationUnits");
  const boundaries: MetadataObject[] = [];
  const levels: number[] = [];
  const groups: MetadataObject[] = [];
  const userOus = () =>
    (ctx.user?.organisationUnits ?? [])
      .map((id) => md.get("organisationUnits", id))
      .filter((o) => o !== undefined);
  const childrenOf = (parents: MetadataObject[], depth: number) => {
    const want = new Map(parents.map((p) => [p.id, levelOf(p) + depth]));
    return all().filter((o) => {
      const path = String(o.path ?? "").split("/");
      return path.some((id, i) => i > 0 && want.get(id) === levelOf(o) && id !== o.id);
    });
  };
  for (const id of ids) {
    if (id === "USER_ORGUNIT") boundaries.push(...userOus());
    else if (id === "USER_ORGUNIT_CHILDREN") boundaries.push(...childrenOf(userOus(), 1));
    else if (id === "USER_ORGUNIT_GRANDCHILDREN") boundaries.push(...childrenOf(userOus(), 2));
    else if (id.startsWith("LEVEL-")) {
      const key = id.slice(6);
      const n = /^\d+$/.test(key) ? Number(key) : Number(md.get("organisationUnitLevels", key)?.level);
      if (Number.isInteger(n) && n > 0) levels.push(n);
    } else if (id.startsWith("OU_GROUP-")) {
      const g = md.get("organisationUnitGroups", id.slice(9));
      if (g) groups.push(g);
    } else {
      const ou = md.get("organisationUnits", id);
      if (ou) boundaries.push(ou);
    }
  }
  let result = boundaries;
  if (levels.length > 0 || groups.length > 0) {
    // LEVEL-n and OU_GROUP- select inside the given units (or the user's, like DHIS2 does).
    const roots =
      boundaries.length > 0
        ? boundaries
        : userOus().length > 0
          ? userOus()
          : all().filter((o) => levelOf(o) === 1);
    const inside = (o: MetadataObject) =>
      roots.some((r) =>
        String(o.path ?? "")
          .split("/")
          .includes(r.id),
      );
    const picked: MetadataObject[] = [];
    if (levels.length > 0) picked.push(...all().filter((o) => levels.includes(levelOf(o)) && inside(o)));
    for (const g of groups) {
      const members = Array.isArray(g.organisationUnits) ? (g.organisationUnits as unknown[]) : [];
      for (const m of members) {
        const o = md.get("organisationUnits", ref(m) ?? "");
        if (o && inside(o)) picked.push(o);
      }
    }
    picked.sort((a, b) => String(a.name ?? "").localeCompare(String(b.name ?? "")));
    result = picked;
  }
  const seen = new Set<string>();
  return result
    .filter((o) => !seen.has(o.id) && seen.add(o.id))
    .map((o) => ({ id: o.id, obj: o, name: displayName(o, opts.displayProperty) }));
}

function flag(ctx: Ctx, name: string): boolean {
  return (ctx.query.get(name) ?? "").toLowerCase() === "true";
}

/** Reads the request into a plan, or throws DHIS2's 409. */
export function planQuery(ctx: Ctx, shape: "table" | "raw" | "dvs"): AnalyticsPlan {
  const display = (ctx.query.get("displayProperty") ?? "NAME").toUpperCase();
  const scheme = (ctx.query.get("outputIdScheme") ?? "UID").toUpperCase();
  const options: AnalyticsOptions = {
    skipMeta: flag(ctx, "skipMeta"),
    skipRounding: flag(ctx, "skipRounding"),
    includeNumDen: flag(ctx, "includeNumDen"),
    includeMetadataDetails: flag(ctx, "includeMetadataDetails"),
    displayProperty: display === "SHORTNAME" ? "SHORTNAME" : "NAME",
    outputIdScheme: scheme === "CODE" || scheme === "NAME" ? scheme : "UID",
    aggregationType: ctx.query.get("aggregationType")?.toUpperCase() || undefined,
  };
  const dims = splitDimensions(ctx.query.getAll("dimension"));
  const filters = splitDimensions(ctx.query.getAll("filter"));
  if (dims.length === 0) throw conflict("At least one dimension must be specified", "E7101");
  const seen = new Map<string, boolean>();
  for (const [dim, , isFilter] of [
    ...dims.map((d) => [...d, false] as const),
    ...filters.map((f) => [...f, true] as const),
  ]) {
    if (dim !== "dx" && dim !== "pe" && dim !== "ou") {
      throw conflict(`Dimension identifier does not reference any dimension: \`${dim}\``, "E7125");
    }
    const before = seen.get(dim);
    if (before !== undefined) {
      throw before !== isFilter
        ? conflict(
            `Dimensions cannot be specified as dimension and filter simultaneously: \`${dim}\``,
            "E7103",
          )
        : conflict(`Dimensions cannot be specified more than once: \`${dim}\``, "E7111");
    }
    seen.set(dim, isFilter);
  }
  const find = (dim: DimId) => {
    const d = dims.find(([n]) => n === dim);
    if (d) return { ids: d[1], filter: false };
    const f = filters.find(([n]) => n === dim);
    return f ? { ids: f[1], filter: true } : undefined;
  };
  const dx = find("dx");
  if (!dx)
    throw conflict(
      "At least one data dimension item or data element group set dimension item must be specified",
      "E7102",
    );
  const pe = find("pe");
  if (!pe)
    throw conflict(
      "At least one period as dimension or filter, or start and dates, must be specified",
      "E7104",
    );
  const ou = find("ou");
  if (shape === "dvs") {
    if (dx.filter)
      throw conflict("A data dimension 'dx' must be specified when output format is DATA_VALUE_SET", "E7117");
    if (pe.filter)
      throw conflict(
        "A period dimension 'pe' must be specified when output format is DATA_VALUE_SET",
        "E7118",
      );
    if (!ou || ou.filter) {
      throw conflict(
        "An organisation unit dimension 'ou' must be specified when output format is DATA_VALUE_SET",
        "E7119",
      );
    }
  }
  const keywordNames: Record<string, string> = {};
  const noItems = (dim: string) =>
    conflict(`Dimension is present in query without any valid dimension options: \`${dim}\``, "E7124");
  const dxItems = resolveDx(ctx.state.metadata, dx.ids, options);
  if (dxItems.length === 0) throw noItems("dx");
  const peItems = resolvePe(pe.ids, ctx.state.clock.now(), keywordNames);
  if (peItems.length === 0) throw noItems("pe");
  // Without an ou dimension the values cover the user's org units (all roots when it has none).
  const ouItems = resolveOu(ctx, ou ? ou.ids : ["USER_ORGUNIT"], options);
  if (ouItems.length === 0 && ou) throw noItems("ou");
  const fallbackRoots = ouItems.length > 0 ? ouItems : resolveOu(ctx, ["LEVEL-1"], options);
  return {
    dx: { items: dxItems, filter: dx.filter },
    pe: { items: peItems, filter: pe.filter },
    ou: { items: fallbackRoots, filter: ou ? ou.filter : true },
    order: dims.map(([d]) => d as DimId),
    keywordNames,
    options,
  };
}
