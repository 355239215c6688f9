import type { VersionKey } from "../versions.js";
import { QueryValidationError } from "./errors.js";
import { buildFieldsParam } from "./fields.js";
import { buildFilterParams, type ResourceFilter } from "./filters.js";
import { buildOrderParam, type OrderOption } from "./order.js";
import type { ResourceDef, ResourceTable } from "./resource-def.js";
import type { QueryParams } from "./surface.js";

/** Page size used by `iterate()` when none is given (DHIS2's own default). */
export const DEFAULT_PAGE_SIZE = 50;

/** Options of `list`, `listRaw` and `iterate`. `F` is the literal fields string, for typing. */
export interface ListOptions<F extends string = string> {
  /** DHIS2 filters, `property:operator:value` (sent as repeated `filter` parameters). */
  filters?: ResourceFilter | readonly ResourceFilter[];
  /** How filters combine; DHIS2's default is AND. */
  rootJunction?: "AND" | "OR";
  /** `"name:asc"`, `["level:asc", "name:iasc"]`. */
  order?: OrderOption;
  /** Items per page (DHIS2 default 50). */
  pageSize?: number;
  /** 1-based page number. */
  page?: number;
  /** `false` asks for everything in one response. */
  paging?: boolean;
  /** DHIS2 field selection; a string literal narrows the result type. */
  fields?: F | readonly string[];
  /** Any other query parameter DHIS2 reads (`query`, `translate`, `locale`, ...). */
  params?: QueryParams;
  signal?: AbortSignal;
}

/** Where a query is checked against: the table entry, the version's table (nested fields) and the server version. */
export interface QueryContext {
  readonly def?: ResourceDef | undefined;
  readonly table?: ResourceTable | undefined;
  readonly versionKey?: VersionKey | undefined;
}

function positiveInt(option: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new QueryValidationError(
      `${option} must be a positive integer, got ${value}`,
      option,
      String(value),
    );
  }
  return String(value);
}

/**
 * Validates list options and turns them into DHIS2 query parameters; throws
 * {@link QueryValidationError} before any request when something is malformed.
 *
 * @example
 * ```ts
 * buildListParams({ filters: ["name:like:ANC", "code:eq:X"], rootJunction: "OR", paging: false });
 * // { filter: ["name:like:ANC", "code:eq:X"], rootJunction: "OR", paging: "false" }
 * ```
 */
export function buildListParams(opts: ListOptions = {}, ctx: QueryContext = {}): QueryParams {
  const params: Record<string, string | readonly string[]> = { ...opts.params };
  const filter = buildFilterParams(opts.filters, ctx);
  if (filter.length > 0) params.filter = filter;
  if (opts.rootJunction !== undefined) {
    if (opts.rootJunction !== "AND" && opts.rootJunction !== "OR") {
      throw new QueryValidationError(
        `rootJunction must be "AND" or "OR", got "${String(opts.rootJunction)}"`,
        "rootJunction",
        String(opts.rootJunction),
      );
    }
    params.rootJunction = opts.rootJunction;
  }
  const order = buildOrderParam(opts.order, ctx.def);
  if (order !== undefined) params.order = order;
  const fields = buildFieldsParam(opts.fields, ctx);
  if (fields !== undefined) params.fields = fields;
  const pageSize = positiveInt("pageSize", opts.pageSize);
  const page = positiveInt("page", opts.page);
  if (opts.paging === false) {
    params.paging = "false";
  } else {
    if (pageSize !== undefined) params.pageSize = pageSize;
    if (page !== undefined) params.page = page;
  }
  return params;
}
