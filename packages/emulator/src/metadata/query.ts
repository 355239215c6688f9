/**
 * List queries over one resource: filters joined by `rootJunction`, `order`, paging and the
 * `pager` block, then `fields`. Pure over a `ReadContext`, so unit tests need no server.
 *
 * Defaults from dhis2-core: the default order is `name` case-insensitive ascending then `id`
 * (`DefaultQueryPlanner.autoFill`); page size 50, page clamped to `[1, pageCount]` in the pager
 * (`org.hisp.dhis.common.Pager`); list default fields `id,displayName` (`FieldPreset.ID_NAME`);
 * `nextPage`/`prevPage` built like `DefaultLinkService.generatePagerLinks` (the other request
 * parameters are appended, `page`/`pageSize` re-added first).
 */
import type { ResourceDef } from "@dhis2w/client";
import { type FieldSpec, parseFields, renderObject } from "./fields.js";
import {
  compileFilter,
  type FilterOptions,
  type Predicate,
  QueryError,
  resolvePath,
  type Step,
} from "./filter.js";
import type { ReadContext } from "./resolve.js";
import { isSimple, type JsonObject } from "./schema-index.js";

/** DHIS2's pager block. */
export interface Pager {
  page: number;
  total: number;
  pageSize: number;
  pageCount: number;
  nextPage?: string;
  prevPage?: string;
}

/** The parameters of a list query (already split out of the URL). */
export interface ListParams {
  readonly filters?: readonly string[];
  readonly rootJunction?: string;
  readonly order?: readonly string[];
  readonly fields?: string;
  readonly page?: number;
  readonly pageSize?: number;
  readonly paging?: boolean;
  /** `query=`: id or code equal, or name containing it (case-insensitive). */
  readonly query?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const DEFAULT_LIST_FIELDS = "id,displayName";

/** Compiles all filters joined by the root junction (AND unless `OR`). */
export function compileFilters(
  ctx: ReadContext,
  def: ResourceDef,
  filters: readonly string[],
  rootJunction: string | undefined,
  opts: FilterOptions,
  query?: string,
): Predicate | undefined {
  const preds = filters.map((f) => compileFilter(ctx.idx, def, f, opts));
  // dhis2-core `InMemoryQueryEngine.matchesQuery`: id eq, code eq or name ilike (anywhere); it
  // joins the other filters under the same root junction.
  if (query) {
    const needle = query.toLowerCase();
    preds.push(
      (_c, o) =>
        o.id === query ||
        o.code === query ||
        (typeof o.name === "string" && o.name.toLowerCase().includes(needle)),
    );
  }
  if (preds.length === 0) return undefined;
  if ((rootJunction ?? "AND").toUpperCase() === "OR") return (c, o) => preds.some((p) => p(c, o));
  return (c, o) => preds.every((p) => p(c, o));
}

type Comparator = (a: JsonObject, b: JsonObject) => number;

function compareValues(a: unknown, b: unknown, ci: boolean): number {
  // Postgres sorts NULLs last in ascending order.
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const sa = ci ? String(a).toLowerCase() : String(a);
  const sb = ci ? String(b).toLowerCase() : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Builds the comparator for `order` entries like `name:asc`, `level:desc`, `name:iasc`. Unknown or
 * non-simple properties are skipped, as DHIS2 only orders by persisted simple properties.
 */
export function compileOrder(ctx: ReadContext, def: ResourceDef, order: readonly string[]): Comparator {
  const keys: { steps: Step[]; dir: number; ci: boolean }[] = [];
  const entries = order.flatMap((o) => o.split(",")).filter((o) => o.trim() !== "");
  const defaults = entries.length === 0;
  const list = defaults ? ["name:iasc", "id:asc"] : entries;
  for (const entry of list) {
    const [prop = "", dirRaw = "asc"] = entry.trim().split(":");
    const p = def.properties[prop];
    if (!p || !isSimple(p) || (defaults && p.persisted !== true)) continue;
    const dir = dirRaw.toLowerCase();
    if (!["asc", "desc", "iasc", "idesc"].includes(dir)) continue;
    keys.push({
      steps: [{ name: p.name, prop: p }],
      dir: dir.endsWith("desc") ? -1 : 1,
      ci: dir.startsWith("i"),
    });
  }
  if (keys.length === 0) return () => 0;
  // Sort keys are read once per object, not once per comparison.
  const cache = new WeakMap<JsonObject, unknown[]>();
  const keyOf = (o: JsonObject): unknown[] => {
    let v = cache.get(o);
    if (!v) {
      v = keys.map((k) => resolvePath(ctx, def, o, k.steps)[0]);
      cache.set(o, v);
    }
    return v;
  };
  return (a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const c = compareValues(ka[i], kb[i], k.ci);
      if (c !== 0) return c * k.dir;
    }
    return 0;
  };
}

/** The pager for `total` items; `linkBase` + `extraParams` build nextPage/prevPage. */
export function buildPager(
  page: number,
  pageSize: number,
  total: number,
  linkBase: string,
  extraParams: string,
): Pager {
  const pageCount = Math.ceil(total / pageSize);
  const clamped = Math.max(1, Math.min(page, pageCount));
  const pager: Pager = { page: clamped, total, pageSize, pageCount };
  const sizePart = pageSize === DEFAULT_PAGE_SIZE ? "" : `&pageSize=${pageSize}`;
  const extra = extraParams ? `&${extraParams}` : "";
  if (clamped < pageCount) pager.nextPage = `${linkBase}?page=${clamped + 1}${sizePart}${extra}`;
  if (clamped > 1) {
    if (clamped - 1 === 1) {
      const q = [pageSize === DEFAULT_PAGE_SIZE ? "" : `pageSize=${pageSize}`, extraParams]
        .filter((x) => x !== "")
        .join("&");
      pager.prevPage = q ? `${linkBase}?${q}` : linkBase;
    } else pager.prevPage = `${linkBase}?page=${clamped - 1}${sizePart}${extra}`;
  }
  return pager;
}

/** The outcome of a list query. */
export interface ListResult {
  pager?: Pager;
  items: JsonObject[];
}

/**
 * Runs a list query over `objects`.
 *
 * @example
 * const { pager, items } = runList(ctx, def, store.list("dataElements"), { filters: ["name:like:ANC"] }, opts, link);
 */
export function runList(
  ctx: ReadContext,
  def: ResourceDef,
  objects: Iterable<JsonObject>,
  params: ListParams,
  opts: FilterOptions,
  link: { base: string; extraParams: string },
): ListResult {
  const pred = compileFilters(ctx, def, params.filters ?? [], params.rootJunction, opts, params.query);
  let matched: JsonObject[] = [];
  for (const o of objects) if (!pred || pred(ctx, o)) matched.push(o);
  matched = stableSort(matched, compileOrder(ctx, def, params.order ?? []));
  const fields = parseFields(
    params.fields && params.fields.trim() !== "" ? params.fields : DEFAULT_LIST_FIELDS,
  );
  const render = (o: JsonObject) => renderObject(ctx, def, o, fields);
  if (params.paging === false) return { items: matched.map(render) };
  const pageSize = Math.max(1, params.pageSize ?? DEFAULT_PAGE_SIZE);
  const page = Math.max(1, params.page ?? 1);
  const slice = matched.slice((page - 1) * pageSize, page * pageSize);
  return {
    pager: buildPager(page, pageSize, matched.length, link.base, link.extraParams),
    items: slice.map(render),
  };
}

function stableSort<T>(arr: T[], cmp: (a: T, b: T) => number): T[] {
  return arr
    .map((v, i) => ({ v, i }))
    .sort((a, b) => cmp(a.v, b.v) || a.i - b.i)
    .map((x) => x.v);
}

/** Re-exported for the routes: parse once, render many. */
export { type FieldSpec, parseFields, QueryError, renderObject };
