/**
 * The options of the data store query API and their checks: what dhis2-core's `DatastoreQuery`
 * would refuse with a 409 (a path that is not `[-_a-zA-Z0-9]{1,32}` segments, up to 6 deep; an
 * unknown operator; a unary operator with a value, a binary one without; a unary operator on the
 * key) is refused here first, with the expression quoted.
 */
import { DataStoreInputError } from "./errors.js";

/** Options of `DataStore.query`. */
export interface DataStoreQueryOptions {
  /** Fields to extract: `"name,age"`, `"."` (the whole value), `"a[b,c]"`, `"x~hoist(alias)"`. None: keys only. */
  readonly fields?: string | readonly string[];
  /** `path:operator[:value]`, e.g. `"age:gt:5"`, `"_:like:pet"` (`_` is the key, `.` the whole value). */
  readonly filter?: string | readonly string[];
  /** Join the filters with OR instead of AND. */
  readonly rootJunction?: "AND" | "OR";
  /** `path[:asc|desc|nasc|ndesc]`; default `_` (the key, ascending). */
  readonly order?: string;
  /** Entries per request, 1-1000 (DHIS2's cap); default 50. */
  readonly pageSize?: number;
  /** Also entries where none of the fields has a value. */
  readonly includeAll?: boolean;
  readonly signal?: AbortSignal;
}

const UNARY = ["null", "!null", "empty", "!empty"];
const BINARY = [
  ...["in", "!in", "eq", "!eq", "neq", "ne", "lt", "lte", "le", "gt", "gte", "ge"],
  ...["like", "!like", "$like", "!$like", "like$", "!like$", "ieq", "ilike", "!ilike"],
  ...["$ilike", "startswith", "!$ilike", "!startswith", "ilike$", "endswith", "!ilike$", "!endswith"],
];
const PATH = /^[-_a-zA-Z0-9]{1,32}(?:\.[-_a-zA-Z0-9]{1,32}){0,5}$/;
/** A comma outside `[...]` / `(...)` separates filters on the server (`DatastoreQuery.FILTER_SPLIT`). */
const LOOSE_COMMA = /,(?![^[\]]*\]|[^()]*\))/;

function checkPath(path: string, field: "filter" | "order", expr: string, op: string): string {
  const normalised = path.replace(/\[(\d+)]/g, ".$1");
  if (path !== "." && !PATH.test(normalised)) {
    throw new DataStoreInputError(
      `${op}: ${field} "${expr}": "${path}" is not a path DHIS2 accepts (up to 6 dot-separated names of 1-32 letters, digits, "-" or "_"; "_" is the key, "." the whole value)`,
      field,
      expr,
    );
  }
  return normalised;
}

function checkFilter(expr: string, op: string): string {
  const parts = expr.split(/::|:|~|@/);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length < 2) {
    throw new DataStoreInputError(
      `${op}: filter "${expr}" is not of the form path:operator[:value]`,
      "filter",
      expr,
    );
  }
  const path = checkPath(parts[0] as string, "filter", expr, op);
  const operator = (parts[1] as string).toLowerCase();
  const value = parts.slice(2).join(":");
  const unary = UNARY.includes(operator);
  if (!unary && !BINARY.includes(operator)) {
    throw new DataStoreInputError(
      `${op}: filter "${expr}": unknown operator "${parts[1]}"; use one of ${[...UNARY, ...BINARY].join(", ")}`,
      "filter",
      expr,
    );
  }
  if (unary && path === "_") {
    throw new DataStoreInputError(
      `${op}: filter "${expr}": the key (_) cannot take a unary operator`,
      "filter",
      expr,
    );
  }
  if (unary && value.trim() !== "") {
    throw new DataStoreInputError(`${op}: filter "${expr}": "${operator}" takes no value`, "filter", expr);
  }
  if (!unary && value.trim() === "") {
    throw new DataStoreInputError(`${op}: filter "${expr}": "${operator}" needs a value`, "filter", expr);
  }
  if (LOOSE_COMMA.test(expr)) {
    throw new DataStoreInputError(
      `${op}: filter "${expr}" has a comma outside [...], which DHIS2 reads as the start of another filter; for several values use in:[a,b]`,
      "filter",
      expr,
    );
  }
  return expr;
}

const list = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : [...v];

/**
 * Checks the options and returns the query parameters of the first page (`page` is added per
 * request). `fields` is always sent: without it DHIS2 answers the plain key list.
 */
export function checkQuery(
  options: DataStoreQueryOptions,
  op: string,
): {
  fields: string;
  filter: string[];
  pageSize: number;
  order?: string;
  rootJunction?: string;
  includeAll?: boolean;
} {
  const fields = list(options.fields).join(",");
  if (!/^[\p{L}\p{Nd}.,[\]()~\-_]*$/u.test(fields)) {
    throw new DataStoreInputError(
      `${op}: fields "${fields}" may hold only names, ".", ",", "[...]", "(...)" and "~hoist(alias)"`,
      "fields",
      fields,
    );
  }
  const filter = list(options.filter).map((f) => checkFilter(f, op));
  const pageSize = options.pageSize ?? 50;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new DataStoreInputError(
      `${op}: pageSize must be a whole number from 1 to 1000, got ${pageSize}`,
      "pageSize",
      String(pageSize),
    );
  }
  let order: string | undefined;
  if (options.order !== undefined) {
    const [path = "", dir, ...rest] = options.order.split(/::|:|~|@/);
    if (
      rest.length > 0 ||
      (dir !== undefined && !["asc", "desc", "nasc", "ndesc"].includes(dir.toLowerCase()))
    ) {
      throw new DataStoreInputError(
        `${op}: order "${options.order}" must be path[:asc|desc|nasc|ndesc]`,
        "order",
        options.order,
      );
    }
    checkPath(path, "order", options.order, op);
    order = options.order;
  }
  return {
    fields,
    filter,
    pageSize,
    ...(order !== undefined ? { order } : {}),
    ...(options.rootJunction ? { rootJunction: options.rootJunction } : {}),
    ...(options.includeAll ? { includeAll: true } : {}),
  };
}
