/**
 * The JSON shapes of `/api/analytics` (a "grid") and the metaData block it carries. Shape after a
 * live 2.42 answer and dhis2-core `org.hisp.dhis.common.Grid` / `org.hisp.grid.GridHeader`:
 * `headers[{ name, column, valueType, type, hidden, meta }]`, `metaData{ items, dimensions }`,
 * `rows` (strings), `height`, `width`, `headerWidth` (DHIS2 Web API docs, "Analytics").
 * Tolerant on purpose: unknown members are kept, missing ones default.
 */
import * as z from "zod";

/**
 * One grid column.
 *
 * @example
 * ```ts
 * GridHeader.parse({ name: "dx", column: "Data", valueType: "TEXT", type: "java.lang.String", hidden: false, meta: true });
 * ```
 */
export const GridHeader = z.looseObject({
  name: z.string(),
  column: z.string().optional(),
  valueType: z.string().optional(),
  type: z.string().optional(),
  hidden: z.boolean().optional(),
  meta: z.boolean().optional(),
});
export type GridHeader = z.infer<typeof GridHeader>;

/** A cell: DHIS2 sends strings, but numbers and nulls appear in some outputs (e.g. `includeNumDen`). */
const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * The answer of `/api/analytics` and `/api/analytics/rawData.json`.
 *
 * @example
 * ```ts
 * const grid = Grid.parse(await client.getRaw("/api/analytics", { params: { dimension: ["dx:fClA2Erf6IO", "pe:2024"] } }));
 * console.log(grid.height, grid.rows[0]);
 * ```
 */
export const Grid = z.looseObject({
  headers: z.array(GridHeader).default([]),
  metaData: z.record(z.string(), z.unknown()).optional(),
  rows: z.array(z.array(Cell)).default([]),
  height: z.number().optional(),
  width: z.number().optional(),
  headerWidth: z.number().optional(),
  title: z.string().optional(),
});
export type Grid = z.infer<typeof Grid>;

/** One `metaData.items` entry: `name` always, more with `includeMetadataDetails=true`. */
export const AnalyticsMetaDataItem = z.looseObject({
  name: z.string().optional(),
  uid: z.string().optional(),
  code: z.string().optional(),
  dimensionItemType: z.string().optional(),
  valueType: z.string().optional(),
  totalAggregationType: z.string().optional(),
  startDate: z.string().optional(),
  endDate: z.string().optional(),
});
export type AnalyticsMetaDataItem = z.infer<typeof AnalyticsMetaDataItem>;

/**
 * The typed view of `grid.metaData`: item names by id, and each dimension's resolved items
 * (relative periods and `LEVEL-n` come back expanded).
 *
 * @example
 * ```ts
 * const meta = AnalyticsMetaData.parse(grid.metaData);
 * for (const pe of meta.dimensions.pe ?? []) console.log(pe, meta.items[pe]?.name);
 * ```
 */
export const AnalyticsMetaData = z.looseObject({
  items: z.record(z.string(), AnalyticsMetaDataItem).default({}),
  dimensions: z.record(z.string(), z.array(z.string())).default({}),
  ouHierarchy: z.record(z.string(), z.string()).optional(),
});
export type AnalyticsMetaData = z.infer<typeof AnalyticsMetaData>;

/** A grid row keyed by header name: `{ dx, pe, ou, value }` for a dx/pe/ou query. */
export type GridRecord = Record<string, string | number | boolean | null>;

/**
 * Maps a grid's rows to objects keyed by header `name`, so `row[3]` becomes `record.value`.
 * Hidden columns are kept (they are in `rows` too).
 *
 * @example
 * ```ts
 * for (const r of gridToRecords(grid)) console.log(r.dx, r.pe, r.ou, Number(r.value));
 * ```
 */
export function gridToRecords(grid: Pick<Grid, "headers" | "rows">): GridRecord[] {
  const names = grid.headers.map((h) => h.name);
  return grid.rows.map((row) => {
    const out: GridRecord = {};
    names.forEach((name, i) => {
      out[name] = row[i] ?? null;
    });
    return out;
  });
}
