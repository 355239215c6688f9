/**
 * The `filter` parameter: `property:operator:value` over property paths (`parent.id:eq:X`,
 * `dataSetElements.dataSet.id:in:[a,b]`), evaluated in memory.
 *
 * Operators and messages come from dhis2-core `DefaultQueryParser` (dhis2/dhis2-core
 * dhis-2/dhis-services/dhis-service-core/src/main/java/org/hisp/dhis/query/DefaultQueryParser.java):
 * `eq ieq !eq|ne|neq gt ge|gte lt le|lte like !like $like !$like like$ !like$ ilike !ilike
 * $ilike|startsWith !$ilike ilike$|endsWith !ilike$ token !token in !in null !null empty !empty`;
 * 2.41 has no `!empty` (its parser's switch ends at `empty`). A path that walks through a
 * collection matches when any element matches (a SQL join), and a missing value never satisfies
 * a comparison (SQL's NULL), so `code:!eq:X` leaves out objects without a code.
 */
import type { ResourceDef, ResourceProperty } from "@dhis2w/client";
import type { ReadContext } from "./resolve.js";
import { isSimple, type JsonObject, type SchemaIndex } from "./schema-index.js";

/** A query the server refuses; the route answers it as a WebMessage (409 before 2.43, 400 after). */
export class QueryError extends Error {
  override readonly name = "QueryError" as const;
  constructor(message: string) {
    super(message);
  }
}

/** A compiled filter: a predicate over one stored object. */
export type Predicate = (ctx: ReadContext, obj: JsonObject) => boolean;

type Kind = "string" | "number" | "boolean" | "date" | "other";

function kindOf(p: ResourceProperty | undefined): Kind {
  if (!p) return "string";
  const t = p.collection ? (p.itemPropertyType ?? p.propertyType) : p.propertyType;
  switch (t) {
    case "INTEGER":
    case "NUMBER":
      return "number";
    case "BOOLEAN":
      return "boolean";
    case "DATE":
    case "DATETIME":
      return "date";
    case "REFERENCE":
    case "COMPLEX":
    case "COLLECTION":
      return "other";
    default:
      return "string";
  }
}

function coerce(kind: Kind, raw: string): unknown {
  if (kind === "number") {
    const n = Number(raw);
    if (raw.trim() === "" || Number.isNaN(n))
      throw new QueryError(`Failed to parse value \`${raw}\` as a number.`);
    return n;
  }
  if (kind === "boolean") return raw.toLowerCase() === "true";
  if (kind === "date") {
    const t = Date.parse(
      raw.length === 10 ? `${raw}T00:00:00Z` : /[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw}Z`,
    );
    if (Number.isNaN(t)) throw new QueryError(`Failed to parse date \`${raw}\`.`);
    return t;
  }
  return raw;
}

function normalize(kind: Kind, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (kind === "string" && (typeof v === "number" || typeof v === "boolean")) return String(v);
  if (kind === "date" && typeof v === "string") return coerce("date", v);
  if (kind === "number" && typeof v === "string") return Number(v);
  if (kind === "boolean" && typeof v === "string") return v === "true";
  return v;
}

/**
 * One step of a property path. `prop` is undefined inside embedded objects the resource table
 * does not describe (dataSetElements items): there the raw key is followed, and a `{ id }` under a
 * key that names a resource (`dataSet`) is looked up in the store.
 */
export interface Step {
  readonly name: string;
  readonly prop: ResourceProperty | undefined;
}

type Node = { def: ResourceDef | undefined; obj: JsonObject };

function asObj(v: unknown): JsonObject | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** The values a path reaches on one object (flattened through collections). */
export function resolvePath(
  ctx: ReadContext,
  def: ResourceDef,
  obj: JsonObject,
  steps: readonly Step[],
): unknown[] {
  let current: Node[] = [{ def, obj }];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const values: unknown[] = [];
    for (const c of current) {
      const v = c.def && step.prop ? ctx.value(c.def, c.obj, step.prop) : c.obj[step.name];
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) values.push(...v);
      else values.push(v);
    }
    if (i === steps.length - 1) return values;
    current = [];
    for (const v of values) {
      if (step.prop) {
        const d = ctx.deref(step.prop, v);
        if (d) current.push(d);
        continue;
      }
      const o = asObj(v);
      if (!o) continue;
      const target = ctx.idx.bySingular(step.name);
      const stored = target && typeof o.id === "string" ? ctx.store.get(target.plural, o.id) : undefined;
      current.push(stored ? { def: target, obj: stored } : { def: undefined, obj: o });
    }
  }
  return [];
}

/** Resolves `a.b.c` to steps, or throws DHIS2's "Unknown path property". */
export function pathSteps(idx: SchemaIndex, def: ResourceDef, path: string): Step[] {
  const parts = path.split(".");
  const steps: Step[] = [];
  let cur: ResourceDef | undefined = def;
  let untyped = false;
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!;
    if (untyped) {
      const named = idx.bySingular(name);
      steps.push({ name, prop: undefined });
      cur = named;
      untyped = named === undefined;
      continue;
    }
    const p: ResourceProperty | undefined = cur?.properties[name];
    if (!p) throw new QueryError(`Unknown path property: ${path}`);
    if (isSimple(p) && i !== parts.length - 1) {
      throw new QueryError(
        "Simple type was found before finished parsing path expression, please check your path string.",
      );
    }
    steps.push({ name, prop: p });
    cur = idx.targetOf(p);
    untyped = cur === undefined && !isSimple(p);
  }
  return steps;
}

function tokens(s: string): string[] {
  return s
    .replace(/[^\p{L}0-9]/gu, " ")
    .split(/[\s@&.?$+-]+/)
    .filter((t) => t !== "");
}

type Test = (v: unknown) => boolean;

function likeTest(arg: string, mode: "any" | "start" | "end" | "exact", ci: boolean): Test {
  const needle = ci ? arg.toLowerCase() : arg;
  return (v) => {
    if (v === undefined || v === null || typeof v === "object") return false;
    const s = ci ? String(v).toLowerCase() : String(v);
    if (mode === "start") return s.startsWith(needle);
    if (mode === "end") return s.endsWith(needle);
    if (mode === "exact") return s === needle;
    return s.includes(needle);
  };
}

function parseList(raw: string): string[] {
  const inner = raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1) : raw;
  return inner.split(",").filter((x) => x !== "");
}

/** Options that differ per version. */
export interface FilterOptions {
  /** False on 2.41, whose parser does not know `!empty`. */
  readonly notEmptyOperator: boolean;
}

/**
 * Parses and compiles one `filter` value against a resource.
 *
 * @example
 * const pred = compileFilter(idx, orgUnitDef, "parent.id:eq:ImspTQPwCqd", { notEmptyOperator: true });
 */
export function compileFilter(
  idx: SchemaIndex,
  def: ResourceDef,
  filter: string,
  opts: FilterOptions,
): Predicate {
  const parts = filter.split(":");
  if (parts.length < 2) throw new QueryError(`Invalid filter => ${filter}`);
  const path = parts[0]!;
  const op = parts[1]!;
  const arg = parts.length >= 3 ? parts.slice(2).join(":") : undefined;

  if (path === "identifiable") {
    const test = buildTest(op, arg, "string", opts);
    const names = ["id", "code", "name", "shortName"];
    return (_ctx, obj) => names.some((n) => test.one(obj[n]));
  }
  const steps = pathSteps(idx, def, path);
  const kind = kindOf(steps[steps.length - 1]!.prop);
  const test = buildTest(op, arg, kind, opts);
  return (ctx, obj) => {
    const values = resolvePath(ctx, def, obj, steps);
    return test.all(values);
  };
}

function buildTest(
  op: string,
  arg: string | undefined,
  kind: Kind,
  opts: FilterOptions,
): { one: Test; all: (values: unknown[]) => boolean } {
  const need = (): string => {
    if (arg === undefined) throw new QueryError(`Invalid filter => missing value for operator \`${op}\`.`);
    return arg;
  };
  const any = (t: Test) => ({ one: t, all: (vs: unknown[]) => vs.some(t) });
  const cmp = (f: (a: number | string | boolean, b: number | string | boolean) => boolean): Test => {
    const want = coerce(kind, need()) as number | string | boolean;
    return (v) => {
      const n = normalize(kind, v);
      if (n === undefined || typeof n === "object") return false;
      return f(n as number | string | boolean, want);
    };
  };
  switch (op) {
    case "eq":
      return any(cmp((a, b) => a === b));
    case "!eq":
    case "ne":
    case "neq":
      return any(cmp((a, b) => a !== b));
    case "gt":
      return any(cmp((a, b) => a > b));
    case "ge":
    case "gte":
      return any(cmp((a, b) => a >= b));
    case "lt":
      return any(cmp((a, b) => a < b));
    case "le":
    case "lte":
      return any(cmp((a, b) => a <= b));
    case "ieq":
      return any(likeTest(need(), "exact", true));
    case "like":
      return any(likeTest(need(), "any", false));
    case "$like":
      return any(likeTest(need(), "start", false));
    case "like$":
      return any(likeTest(need(), "end", false));
    case "ilike":
      return any(likeTest(need(), "any", true));
    case "$ilike":
    case "startsWith":
      return any(likeTest(need(), "start", true));
    case "ilike$":
    case "endsWith":
      return any(likeTest(need(), "end", true));
    case "!like":
    case "!$like":
    case "!like$":
    case "!ilike":
    case "!$ilike":
    case "!ilike$": {
      const pos = op.slice(1);
      const ci = pos.includes("ilike");
      const mode = pos.startsWith("$") ? "start" : pos.endsWith("$") ? "end" : "any";
      const t = likeTest(need(), mode, ci);
      return any((v) => v !== undefined && v !== null && typeof v !== "object" && !t(v));
    }
    case "token":
    case "!token": {
      const search = tokens(need().toLowerCase());
      const t: Test = (v) => {
        if (v === undefined || v === null || typeof v === "object") return false;
        const have = tokens(String(v).toLowerCase());
        return search.every((s) => have.some((h) => h.startsWith(s)));
      };
      return op === "token"
        ? any(t)
        : any((v) => v !== undefined && v !== null && typeof v !== "object" && !t(v));
    }
    case "in":
    case "!in": {
      const list = parseList(need());
      if (list.length === 0) throw new QueryError(`Invalid argument \`${arg}\` for in operator.`);
      const wanted = new Set(list.map((x) => coerce(kind === "other" ? "string" : kind, x)));
      const member: Test = (v) => {
        const n = normalize(kind, v);
        return n !== undefined && wanted.has(n);
      };
      if (op === "in") return any(member);
      return any((v) => v !== undefined && v !== null && !member(v));
    }
    case "null":
      return { one: (v) => v === undefined || v === null, all: (vs) => vs.length === 0 };
    case "!null":
      return { one: (v) => v !== undefined && v !== null, all: (vs) => vs.length > 0 };
    case "empty":
      return { one: isEmptyValue, all: (vs) => vs.length === 0 || vs.every(isEmptyValue) };
    case "!empty":
      if (!opts.notEmptyOperator) throw new QueryError("`!empty` is not a valid operator.");
      return { one: (v) => !isEmptyValue(v), all: (vs) => vs.some((v) => !isEmptyValue(v)) };
    default:
      throw new QueryError(`\`${op}\` is not a valid operator.`);
  }
}

function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "string") return v === "";
  if (Array.isArray(v)) return v.length === 0;
  return false;
}
