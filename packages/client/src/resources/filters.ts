import { SUPPORTED_VERSIONS, type VersionKey } from "../versions.js";
import { didYouMean, QueryValidationError } from "./errors.js";
import type { ResourceDef } from "./resource-def.js";

/**
 * Every operator DHIS2's metadata query parser accepts, with the aliases it accepts too.
 * Source: dhis2/dhis2-core `dhis-services/dhis-service-core/src/main/java/org/hisp/dhis/query/DefaultQueryParser.java`
 * (2.42, 2.43) and `DefaultJpaQueryParser.java` (2.41, which lacks `!empty`).
 */
export const FILTER_OPERATORS = [
  "eq",
  "ieq",
  "!eq",
  "neq",
  "ne",
  "gt",
  "ge",
  "gte",
  "lt",
  "le",
  "lte",
  "like",
  "!like",
  "$like",
  "!$like",
  "like$",
  "!like$",
  "ilike",
  "!ilike",
  "$ilike",
  "startsWith",
  "!$ilike",
  "ilike$",
  "endsWith",
  "!ilike$",
  "token",
  "!token",
  "in",
  "!in",
  "null",
  "!null",
  "empty",
  "!empty",
] as const;

/** One DHIS2 filter operator. */
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Operators that take no value (`name:null`). */
export const UNARY_OPERATORS: ReadonlySet<string> = new Set(["null", "!null", "empty", "!empty"]);
const LIST_OPERATORS: ReadonlySet<string> = new Set(["in", "!in"]);
const KNOWN: ReadonlySet<string> = new Set(FILTER_OPERATORS);

/** A filter as an object, for callers who would rather not build the `path:op:value` string. */
export interface FilterSpec {
  /** Property path, dots for nesting: "name", "parent.id", "dataSetElements.dataSet.id". */
  readonly path: string;
  readonly operator: FilterOperator;
  /** A scalar, or a list for `in`/`!in` (sent as `[a,b]`); omitted for null/!null/empty/!empty. */
  readonly value?: string | number | boolean | readonly (string | number | boolean)[];
}

/** What `filters` accepts: DHIS2's own `property:operator:value` strings, or {@link FilterSpec}s. */
export type ResourceFilter = string | FilterSpec;

/** A filter taken apart. */
export interface ParsedFilter {
  readonly path: string;
  readonly operator: FilterOperator;
  readonly value: string | undefined;
}

/** Where a filter is checked against: the resource's table entry (optional) and the server version. */
export interface FilterContext {
  readonly def?: ResourceDef | undefined;
  readonly versionKey?: VersionKey | undefined;
}

const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const UID = /^[A-Za-z][A-Za-z0-9]{10}$/;

/**
 * Parses and checks one filter; throws {@link QueryValidationError} naming the bad part.
 *
 * @example
 * ```ts
 * parseFilter("parent.id:in:[ImspTQPwCqd,O6uvpzGd5pu]"); // { path: "parent.id", operator: "in", value: "[...]" }
 * ```
 */
export function parseFilter(filter: ResourceFilter, ctx: FilterContext = {}): ParsedFilter {
  const text = typeof filter === "string" ? filter : specToString(filter);
  const bad = (why: string, part: string) =>
    new QueryValidationError(`invalid filter "${text}": ${why}`, "filters", part);
  const first = text.indexOf(":");
  if (first < 0) throw bad("expected property:operator[:value]", text);
  const path = text.slice(0, first);
  const second = text.indexOf(":", first + 1);
  const operator = second < 0 ? text.slice(first + 1) : text.slice(first + 1, second);
  const value = second < 0 ? undefined : text.slice(second + 1);

  if (path.trim() === "") throw bad("the property path is empty", path);
  for (const segment of path.split(".")) {
    if (!PATH_SEGMENT.test(segment)) throw bad(`"${segment}" is not a property name in path "${path}"`, path);
  }
  if (operator === "") throw bad("the operator is missing", operator);
  if (!KNOWN.has(operator)) {
    throw bad(`unknown operator "${operator}"${didYouMean(operator, FILTER_OPERATORS)}`, operator);
  }
  const row = ctx.versionKey ? SUPPORTED_VERSIONS[ctx.versionKey] : undefined;
  if (operator === "!empty" && row && !row.metadata.notEmptyFilterOperator) {
    throw bad(`DHIS2 2.${row.minor} rejects the "!empty" operator; use "!null" or a newer server`, operator);
  }
  if (UNARY_OPERATORS.has(operator)) {
    if (value !== undefined) throw bad(`operator "${operator}" takes no value, got "${value}"`, value);
  } else if (value === undefined || value === "") {
    throw bad(`operator "${operator}" needs a value`, operator);
  } else if (LIST_OPERATORS.has(operator)) {
    if (!value.startsWith("[") || !value.endsWith("]")) {
      throw bad(`operator "${operator}" needs a bracketed list like [a,b], got "${value}"`, value);
    }
    if (value.slice(1, -1).trim() === "") throw bad(`operator "${operator}" needs at least one value`, value);
  }
  checkPath(path, ctx.def, "filters", text);
  return { path, operator: operator as FilterOperator, value };
}

/**
 * Checks that the first segment of a property path is a property of the resource. DHIS2 also
 * accepts `identifiable` (id/code/name token search) and an attribute UID as a path.
 */
export function checkPath(path: string, def: ResourceDef | undefined, option: string, whole: string): void {
  if (!def) return;
  const head = path.split(".")[0] ?? path;
  if (head === "identifiable" || UID.test(head)) return;
  const names = propertyNames(def);
  if (names.has(head)) return;
  throw new QueryValidationError(
    `invalid ${option === "filters" ? "filter" : option} "${whole}": ${def.plural} has no property "${head}"${didYouMean(head, names)}`,
    option,
    head,
  );
}

/** The wire names of a resource's properties (table keys and `name`s). */
export function propertyNames(def: ResourceDef): Set<string> {
  const names = new Set<string>();
  for (const [key, prop] of Object.entries(def.properties)) {
    names.add(key);
    names.add(prop.name);
  }
  // DHIS2 speaks `id` on the wire even where /api/schemas says `uid`.
  if (names.has("uid") || def.identifiable) names.add("id");
  return names;
}

function specToString(spec: FilterSpec): string {
  const { path, operator, value } = spec;
  if (value === undefined) return `${path}:${operator}`;
  if (Array.isArray(value)) return `${path}:${operator}:[${value.join(",")}]`;
  return `${path}:${operator}:${String(value)}`;
}

/** Validates every filter and returns the strings to send as repeated `filter` parameters. */
export function buildFilterParams(
  filters: readonly ResourceFilter[] | ResourceFilter | undefined,
  ctx: FilterContext,
): string[] {
  if (filters === undefined) return [];
  const list: readonly ResourceFilter[] = Array.isArray(filters) ? filters : [filters as ResourceFilter];
  return list.map((f) => {
    const parsed = parseFilter(f, ctx);
    return parsed.value === undefined
      ? `${parsed.path}:${parsed.operator}`
      : `${parsed.path}:${parsed.operator}:${parsed.value}`;
  });
}
