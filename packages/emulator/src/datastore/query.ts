/**
 * The data store query API (`GET /api/dataStore/{ns}?fields=...`, 2.38+): the parsing of
 * dhis2-core `DatastoreQuery` (`parseFields`, `parseFilters`, `Order.parse`, `normalisePath`),
 * the checks of `DatastoreQueryValidator`, the SQL that `DatastoreQueryBuilder` generates
 * (evaluated here over the stored values with jsonb's rules) and the answer
 * `AbstractDatastoreController.writeEntries` + `JsonWriter.writeEntries` write. The same in
 * 2.41, 2.42 and 2.43 (no change in these classes between the branches).
 */
import { HttpError } from "../web-message.js";
import { compareJsonb, extractPath, type Json, jsonbText, jsonbType } from "./jsonb.js";

/** One entry the query runs over. */
export interface QueryEntry {
  readonly key: string;
  readonly value: Json;
}

interface Field {
  readonly path: string;
  readonly alias: string;
}

type Direction = "ASC" | "DESC" | "NASC" | "NDESC";

/** `DatastoreQuery.Comparison`, in declaration order; the first name is the one it prints. */
const COMPARISONS = {
  NULL: ["null"],
  NOT_NULL: ["!null"],
  EMPTY: ["empty"],
  NOT_EMPTY: ["!empty"],
  IN: ["in"],
  NOT_IN: ["!in"],
  EQUAL: ["eq"],
  NOT_EQUAL: ["!eq", "neq", "ne"],
  LESS_THAN: ["lt"],
  LESS_THAN_OR_EQUAL: ["lte", "le"],
  GREATER_THAN: ["gt"],
  GREATER_THAN_OR_EQUAL: ["gte", "ge"],
  LIKE: ["like"],
  NOT_LIKE: ["!like"],
  STARTS_LIKE: ["$like"],
  NOT_STARTS_LIKE: ["!$like"],
  ENDS_LIKE: ["like$"],
  NOT_ENDS_LIKE: ["!like$"],
  IEQ: ["ieq"],
  ILIKE: ["ilike"],
  NOT_ILIKE: ["!ilike"],
  STARTS_WITH: ["$ilike", "startswith"],
  NOT_STARTS_WITH: ["!$ilike", "!startswith"],
  ENDS_WITH: ["ilike$", "endswith"],
  NOT_ENDS_WITH: ["!ilike$", "!endswith"],
} as const;
type Comparison = keyof typeof COMPARISONS;
const ORDER = Object.keys(COMPARISONS) as Comparison[];
const at = (c: Comparison) => ORDER.indexOf(c);
const isUnary = (c: Comparison) => at(c) <= at("NOT_EMPTY");
const isCaseInsensitive = (c: Comparison) => at(c) >= at("IEQ");
const isTextBased = (c: Comparison) => at(c) >= at("LIKE");
const START_FIXED: Comparison[] = ["IEQ", "STARTS_LIKE", "STARTS_WITH", "NOT_STARTS_LIKE", "NOT_STARTS_WITH"];
const END_FIXED: Comparison[] = ["IEQ", "ENDS_LIKE", "ENDS_WITH", "NOT_ENDS_LIKE", "NOT_ENDS_WITH"];

interface Filter {
  readonly path: string;
  readonly op: Comparison;
  readonly value: string;
}

/** A parsed query. */
export interface DatastoreQuery {
  readonly fields: readonly Field[];
  readonly filters: readonly Filter[];
  readonly anyFilter: boolean;
  readonly order: { readonly path: string; readonly direction: Direction };
  readonly includeAll: boolean;
  readonly headless: boolean;
  readonly paging: boolean;
  readonly page: number;
  readonly pageSize: number;
}

const PATH_PATTERN = /^[-_a-zA-Z0-9]{1,32}(?:\.[-_a-zA-Z0-9]{1,32}){0,5}$/;
const SPLIT = /::|:|~|@/;
/** Commas inside `[a,b]` or `(a,b)` do not separate filters (`DatastoreQuery.FILTER_SPLIT`). */
const FILTER_SPLIT = /,(?![^[\]]*\]|[^()]*\))/;

/** dhis2-core's 409 for an `IllegalQueryException` carrying an error code. */
function illegal(message: string, errorCode?: string): HttpError {
  return new HttpError(409, message, errorCode ? { errorCode } : undefined);
}

function normalisePath(path: string): string {
  const normalised = path.replace(/\[(\d+)]/g, ".$1");
  if (path !== "." && !PATH_PATTERN.test(normalised)) {
    throw illegal(`Not a valid path: \`${path}\``, "E7650");
  }
  return normalised;
}

const isNameChar = (c: string) => /[\p{L}\p{Nd}.]/u.test(c);

/** `DatastoreQuery.parseFields`: `a,b[c,d(alias)]`, `a.b~hoist(x)`, `.` for the whole value. */
export function parseFields(fields: string): Field[] {
  const flat: Field[] = [];
  const add = (parent: string, field: string) => {
    if (!field) return;
    const aliasStart = field.indexOf("~hoist(");
    const name = aliasStart > 0 ? field.slice(0, aliasStart) : field;
    const alias = aliasStart > 0 ? field.slice(aliasStart + 7, field.length - 1) : undefined;
    const path = parent + name;
    flat.push({ path: normalisePath(path), alias: alias ?? (path === "." ? "value" : path) });
  };
  let parent = "";
  let start = 0;
  while (start < fields.length) {
    let end = start;
    while (end < fields.length && isNameChar(fields.charAt(end))) end++;
    if (end < fields.length && fields.charAt(end) === "~") end = fields.indexOf(")", end) + 1;
    const field = fields.slice(start, end);
    start = end + 1;
    if (end >= fields.length) {
      add(parent, field);
      return flat;
    }
    const next = fields.charAt(end);
    if (next === ",") add(parent, field);
    else if (next === "[" || next === "(") parent += `${field}.`;
    else if (next === "]" || next === ")") {
      add(parent, field);
      parent = parent.slice(0, parent.lastIndexOf(".", parent.length - 2) + 1);
    } else {
      throw illegal(
        `Illegal fields expression, expected \`,\`, \`[\` or \`]\` at position ${end} but found \`${next}\``,
        "E7651",
      );
    }
  }
  return flat;
}

/** Java's `String.split`: trailing empty strings are dropped. */
function javaSplit(s: string, re: RegExp): string[] {
  const parts = s.split(re);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

function parseComparison(operator: string): Comparison {
  const lower = operator.toLowerCase();
  for (const c of ORDER) if ((COMPARISONS[c] as readonly string[]).includes(lower)) return c;
  throw illegal(
    `Unknown operator: \`${operator}\` Use one of [${ORDER.flatMap((c) => COMPARISONS[c]).join(", ")}]`,
  );
}

const filterText = (f: Filter) =>
  f.value === "" ? `${f.path}:${COMPARISONS[f.op][0]}` : `${f.path}:${COMPARISONS[f.op][0]}:${f.value}`;

function parseFilters(filter: string): Filter[] {
  if (!filter) return [];
  return filter.split(FILTER_SPLIT).map((expr) => {
    const parts = javaSplit(expr, SPLIT);
    if (parts.length < 2) {
      throw illegal(
        `Illegal filter expression \`${expr}\`: expected expression of pattern: <property>:<operator>[:<value>]`,
        "E7652",
      );
    }
    const op = parseComparison((parts[1] as string).toUpperCase());
    return { path: normalisePath(parts[0] as string), op, value: parts.slice(2).join(":") };
  });
}

function parseOrder(order: string): DatastoreQuery["order"] {
  const parts = javaSplit(order, SPLIT);
  if (parts.length === 1) return { path: normalisePath(order), direction: "ASC" };
  if (parts.length === 2) {
    const dir = (parts[1] as string).toUpperCase();
    if (dir !== "ASC" && dir !== "DESC" && dir !== "NASC" && dir !== "NDESC") {
      // Direction.valueOf: an IllegalArgumentException, which CrudControllerAdvice answers 400.
      throw new HttpError(400, `No enum constant org.hisp.dhis.datastore.DatastoreQuery.Direction.${dir}`);
    }
    return { path: normalisePath(parts[0] as string), direction: dir };
  }
  throw new HttpError(400, `Not a valid order expression: ${order}`);
}

function intParam(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new HttpError(400, `Failed to convert value '${raw}' of parameter '${name}' to int`);
  }
  return Number(raw);
}

const boolParam = (q: URLSearchParams, name: string, fallback: boolean) => {
  const raw = q.get(name);
  return raw === null || raw === "" ? fallback : raw.toLowerCase() === "true";
};

/**
 * Parses the query parameters (`DatastoreParams` + `fields`, `includeAll`), validating like
 * `DatastoreQueryValidator` (409 E7653).
 */
export function parseQuery(q: URLSearchParams): DatastoreQuery {
  const fields = parseFields(q.get("fields") ?? "");
  const page = Math.max(1, intParam(q, "page", 1));
  const pageSize = Math.max(1, Math.min(1000, intParam(q, "pageSize", 50)));
  const filters = parseFilters(q.getAll("filter").join(","));
  for (const f of filters) {
    const unary = isUnary(f.op);
    if (f.path === "_" && unary) {
      throw illegal(
        `Illegal filter \`${filterText(f)}\`: key filters cannot be used with unary operators`,
        "E7653",
      );
    }
    if (!unary && f.value.trim() === "") {
      throw illegal(
        `Illegal filter \`${filterText(f)}\`: the operator \`${COMPARISONS[f.op][0]}\` requires a value`,
        "E7653",
      );
    }
    if (unary && f.value.trim() !== "") {
      throw illegal(
        `Illegal filter \`${filterText(f)}\`: the operator \`${COMPARISONS[f.op][0]}\` is unary and does not require a value`,
        "E7653",
      );
    }
  }
  return {
    fields,
    filters,
    anyFilter: (q.get("rootJunction") ?? "AND").toUpperCase() === "OR",
    order: parseOrder(q.get("order") ?? "_"),
    includeAll: boolParam(q, "includeAll", false),
    headless: boolParam(q, "headless", false),
    paging: boolParam(q, "paging", true),
    page,
    pageSize,
  };
}

/** The value at a query path: `_` the key, `.` the whole value, else `jsonb_extract_path`. */
function valueAt(entry: QueryEntry, path: string): Json | undefined {
  if (path === "_") return entry.key;
  if (path === ".") return entry.value;
  return extractPath(entry.value, path.split("."));
}

/** `DatastoreQueryBuilder.deriveNodeType`: the JSON type a filter value stands for. */
function nodeType(value: string): "boolean" | "number" | "string" | "object" | "array" | "" {
  if (value === "true" || value === "false") return "boolean";
  if (value === "" || value === "null") return "";
  if (value.startsWith("{") && value.endsWith("}")) return "object";
  if (value.startsWith("[") && value.endsWith("]")) return "array";
  return /^[0-9]+(\.[0-9]*)?$/.test(value) ? "number" : "string";
}

/** `toTextPatternArgument`: quotes stripped, lower-cased for i-operators, `%` wrapped, `*` -> `%`. */
function textArgument(f: Filter): string {
  let s =
    f.value.length >= 2 && f.value.startsWith("'") && f.value.endsWith("'") ? f.value.slice(1, -1) : f.value;
  if (isCaseInsensitive(f.op)) s = s.toLowerCase();
  if (isTextBased(f.op) && !START_FIXED.includes(f.op)) s = `%${s}`;
  if (isTextBased(f.op) && !END_FIXED.includes(f.op)) s = `${s}%`;
  return isTextBased(f.op) && f.op !== "IEQ" ? s.replaceAll("*", "%") : s;
}

/** SQL `LIKE`: `%` any run, `_` any one character, `\` escapes. */
function sqlLike(text: string, pattern: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "\\" && i + 1 < pattern.length) re += escapeRe(pattern.charAt(++i));
    else if (c === "%") re += "[\\s\\S]*";
    else if (c === "_") re += "[\\s\\S]";
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, "u").test(text);
}
const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** The SQL operator of a comparison applied to two values already ordered by `cmp`. */
function applyOperator(op: Comparison, cmp: () => number, like: () => boolean): boolean {
  switch (op) {
    case "LESS_THAN":
      return cmp() < 0;
    case "LESS_THAN_OR_EQUAL":
      return cmp() <= 0;
    case "GREATER_THAN":
      return cmp() > 0;
    case "GREATER_THAN_OR_EQUAL":
      return cmp() >= 0;
    case "NOT_EQUAL":
      return cmp() !== 0;
    case "LIKE":
    case "ILIKE":
    case "STARTS_LIKE":
    case "ENDS_LIKE":
    case "STARTS_WITH":
    case "ENDS_WITH":
      return like();
    case "NOT_LIKE":
    case "NOT_ILIKE":
    case "NOT_STARTS_LIKE":
    case "NOT_ENDS_LIKE":
    case "NOT_STARTS_WITH":
    case "NOT_ENDS_WITH":
      return !like();
    default:
      return cmp() === 0;
  }
}

const compareText = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);

function isEmptyValue(v: Json): boolean | undefined {
  if (typeof v === "string") return v === "";
  if (Array.isArray(v)) return v.length === 0;
  if (v !== null && typeof v === "object") return Object.keys(v).length === 0;
  return undefined; // numbers, booleans, null: neither empty nor not empty
}

/** One filter, as the SQL `DatastoreQueryBuilder.createFilterHQL` writes would decide it. */
function matches(entry: QueryEntry, f: Filter): boolean {
  const v = valueAt(entry, f.path);
  if (f.op === "EMPTY" || f.op === "NOT_EMPTY") {
    const empty = v === undefined ? undefined : isEmptyValue(v);
    return empty !== undefined && (f.op === "EMPTY" ? empty : !empty);
  }
  const nullness = f.op === "NULL" || f.op === "NOT_NULL" || (!f.op.endsWith("IN") && f.value === "null");
  if (nullness) {
    if (v === undefined) return false; // jsonb_typeof(NULL) is NULL: no match either way
    return applyOperator(
      f.op === "NULL" ? "EQUAL" : f.op === "NOT_NULL" ? "NOT_EQUAL" : f.op,
      () => compareText(jsonbType(v), "null"),
      () => false,
    );
  }
  if (f.op === "IN" || f.op === "NOT_IN") {
    const list = nodeType(f.value) === "array" ? f.value.slice(1, -1).split(",") : [textArgument(f)];
    if (f.path !== "_" && typeof v !== "string") return false;
    const hit = list.includes(v as string);
    return f.op === "IN" ? hit : !hit;
  }
  if (v === undefined) return false;
  const type = nodeType(f.value);
  if (f.path === "_" || type === "string") {
    if (typeof v !== "string") return false;
    const text = isCaseInsensitive(f.op) ? v.toLowerCase() : v;
    const arg = textArgument(f);
    return applyOperator(
      f.op,
      () => compareText(text, arg),
      () => sqlLike(text, arg),
    );
  }
  if (jsonbType(v) !== type) return false;
  const arg: Json = type === "boolean" ? f.value === "true" : type === "number" ? Number(f.value) : f.value;
  return applyOperator(
    f.op,
    () => compareJsonb(v, arg),
    () => false,
  );
}

/**
 * `cast(cast(x as text) as double)`: only a JSON number's text converts; any other value is the
 * database's error, answered 400 by `writeEntries` ("Unknown error when running the query: ...").
 */
function asDouble(v: Json): number {
  if (typeof v === "number") return v;
  throw new HttpError(
    400,
    `Unknown error when running the query: ERROR: invalid input syntax for type double precision: ${JSON.stringify(jsonbText(v))}`,
  );
}

function sortEntries(entries: QueryEntry[], order: DatastoreQuery["order"]): QueryEntry[] {
  const desc = order.direction === "DESC" || order.direction === "NDESC";
  const numeric = order.direction === "NASC" || order.direction === "NDESC";
  const byKey = (a: QueryEntry, b: QueryEntry) => compareText(a.key, b.key);
  if (order.path === "_") return entries.sort((a, b) => (desc ? -byKey(a, b) : byKey(a, b)));
  const keyed = entries.map((e) => {
    const v = valueAt(e, order.path);
    if (v === undefined) return { e, v: undefined };
    if (numeric) return { e, v: asDouble(v) as Json };
    return { e, v: (order.path === "." ? jsonbText(v) : v) as Json };
  });
  keyed.sort((a, b) => {
    // NULLS LAST both ways: ascending is PostgreSQL's default, descending says so in the query.
    if (a.v === undefined || b.v === undefined) {
      return a.v === b.v ? byKey(a.e, b.e) : a.v === undefined ? 1 : -1;
    }
    const c = compareJsonb(a.v, b.v);
    return (desc ? -c : c) || byKey(a.e, b.e);
  });
  return keyed.map((k) => k.e);
}

/** The members of one written entry: `JsonWriter.memberOpening` / `memberClosing`. */
function memberOpenings(members: readonly string[]): string[] {
  const out: string[] = [];
  let last: string[] = [];
  for (const member of members) {
    const path = member.split(".");
    let opening = "";
    for (let i = 0; i < path.length; i++) {
      if (i >= last.length || last[i] !== path[i]) {
        if (i > 0 && (i >= last.length || last[i - 1] !== path[i - 1])) opening += "{";
        opening += `"${path[i]}":`;
      }
    }
    out.push(opening);
    last = path;
  }
  return out;
}

function memberClosings(members: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < members.length - 1; i++) {
    const path = (members[i] as string).split(".");
    const next = (members[i + 1] as string).split(".");
    let first = path.length;
    for (let j = 0; j < path.length; j++) {
      if (j >= next.length || path[j] !== next[j]) {
        first = j;
        break;
      }
    }
    out.push(first < path.length - 1 ? "}".repeat(path.length - first - 1) : "");
  }
  const last = (members[members.length - 1] ?? "").split(".");
  if (members.length > 0) out.push(last.length > 1 ? "}".repeat(last.length - 1) : "");
  return out;
}

/**
 * Runs a query over a namespace's entries and writes DHIS2's answer text:
 * `{"pager":{"page":1,"pageSize":50},"entries":[{"key":"k",...}]}`, or the bare array when
 * `headless`. The key is written as stored, unescaped, as `JsonWriter` does.
 */
export function runQuery(entries: readonly QueryEntry[], query: DatastoreQuery): string {
  const selected = entries.filter((e) => {
    const hasField =
      query.includeAll ||
      query.fields.length === 0 ||
      query.fields.some((f) => valueAt(e, f.path) !== undefined);
    if (!hasField) return false;
    if (query.filters.length === 0) return true;
    return query.anyFilter
      ? query.filters.some((f) => matches(e, f))
      : query.filters.every((f) => matches(e, f));
  });
  let sorted = sortEntries([...selected], query.order);
  if (query.paging) {
    const offset = (query.page - 1) * query.pageSize;
    sorted = sorted.slice(offset, offset + query.pageSize);
  }
  const members = query.fields.map((f) => f.alias);
  const open = memberOpenings(members);
  const close = memberClosings(members);
  const rows = sorted.map((e) => {
    let row = `{"key":"${e.key}"`;
    query.fields.forEach((f, i) => {
      const v = valueAt(e, f.path);
      row += `,${open[i]}${v === undefined ? "null" : jsonbText(v)}${close[i]}`;
    });
    return `${row}}`;
  });
  const list = `[${rows.join(",")}]`;
  if (query.headless) return list;
  return `{"pager":{"page":${query.page},"pageSize":${query.pageSize}},"entries":${list}}`;
}
