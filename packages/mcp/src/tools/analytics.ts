import { AnalyticsMetaData, type Grid } from "@dhis2w/client";
import { queryAnalytics } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as z from "zod";
import { registerTool, type ToolRuntime } from "../tool.js";

/** Most rows one `analytics_query` answer carries; the rest is cut and `truncated` is set. */
export const MAX_ANALYTICS_ROWS = 10_000;
const DEFAULT_ROWS = 1000;

const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
type Cell = z.infer<typeof Cell>;
const NUMERIC = new Set([
  "NUMBER",
  "INTEGER",
  "INTEGER_POSITIVE",
  "INTEGER_NEGATIVE",
  "INTEGER_ZERO_OR_POSITIVE",
  "PERCENTAGE",
  "UNIT_INTERVAL",
]);

/**
 * Grid rows as records keyed by header name; numeric columns as numbers, and for every cell that
 * is an id in `metaData.items` a `<header>Name` next to it (`dx` -> `dxName`).
 */
export function gridRecords(grid: Grid): Record<string, Cell>[] {
  const meta = grid.metaData ? AnalyticsMetaData.safeParse(grid.metaData) : undefined;
  const items = meta?.success ? meta.data.items : {};
  return grid.rows.map((row) => {
    const out: Record<string, Cell> = {};
    grid.headers.forEach((h, i) => {
      let cell: Cell = row[i] ?? null;
      if (typeof cell === "string" && NUMERIC.has(h.valueType ?? "") && cell.trim() !== "") {
        const n = Number(cell);
        if (Number.isFinite(n)) cell = n;
      }
      out[h.name] = cell;
      if (typeof cell === "string" && Object.hasOwn(items, cell)) {
        const name = items[cell]?.name;
        if (name !== undefined) out[`${h.name}Name`] = name;
      }
    });
    return out;
  });
}

/** `analytics_query`. */
export function registerAnalyticsTools(server: McpServer, runtime: ToolRuntime): void {
  registerTool(server, runtime, {
    name: "analytics_query",
    title: "Query DHIS2 analytics",
    description: `Aggregated DHIS2 data from /api/analytics. Dimensions are "dim:item;item" strings: dx = data elements, indicators, program indicators or operands (deUid.cocUid); pe = ISO periods (202401, 2024Q1, 2024W5, 2024) or relative periods (LAST_12_MONTHS, THIS_YEAR, LAST_4_QUARTERS); ou = org unit UIDs, LEVEL-n, OU_GROUP-uid, USER_ORGUNIT. "dimensions" become rows/columns, "filters" are aggregated over. Example: dimensions ["dx:fbfJHSPpUQD;cYeuwXTCPkU", "pe:LAST_12_MONTHS", "ou:ImspTQPwCqd;LEVEL-2"], filters []. Rows come back as records keyed by header (dx, pe, ou, value) with dxName/peName/ouName from the answer's metadata. shape "raw" gives unaggregated rows (rawData), "dvs" a data value set (dataElement, period, orgUnit, value). Analytics reads the analytics tables: new data shows up after maintenance_refresh_analytics.`,
    input: z.object({
      dimensions: z
        .array(z.string())
        .min(1)
        .describe('e.g. ["dx:fbfJHSPpUQD", "pe:LAST_12_MONTHS", "ou:USER_ORGUNIT"]'),
      filters: z.array(z.string()).optional().describe('Dimensions aggregated over, e.g. ["pe:2024"]'),
      shape: z.enum(["table", "raw", "dvs"]).optional().describe("table (default), raw or dvs"),
      params: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
        .optional()
        .describe(
          'Other /api/analytics parameters, e.g. { aggregationType: "AVERAGE", displayProperty: "SHORTNAME" }',
        ),
      maxRows: z
        .number()
        .int()
        .min(1)
        .max(MAX_ANALYTICS_ROWS)
        .optional()
        .describe(`Rows returned at most (default ${DEFAULT_ROWS}); the answer says when it was cut`),
    }),
    output: z.object({
      shape: z.enum(["table", "raw", "dvs"]),
      headers: z.array(z.object({ name: z.string(), column: z.string().optional() })),
      rows: z.array(z.record(z.string(), Cell)),
      rowCount: z.number().describe("Rows in the full answer"),
      truncated: z.boolean(),
      dimensions: z
        .record(z.string(), z.array(z.string()))
        .optional()
        .describe("Each dimension's items as resolved by the server (relative periods expanded)"),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const max = args.maxRows ?? DEFAULT_ROWS;
      const base = {
        dimensions: args.dimensions,
        ...(args.filters && args.filters.length > 0 ? { filters: args.filters } : {}),
        ...(args.params ? { params: args.params } : {}),
        signal: ctx.signal,
      };
      if (args.shape === "dvs") {
        const set = await queryAnalytics(client, { ...base, shape: "dvs" });
        const rows = set.dataValues.map((dv) => {
          const out: Record<string, Cell> = {};
          for (const [k, v] of Object.entries(dv)) {
            if (v === null || ["string", "number", "boolean"].includes(typeof v)) out[k] = v as Cell;
          }
          return out;
        });
        const names = [
          "dataElement",
          "period",
          "orgUnit",
          "categoryOptionCombo",
          "attributeOptionCombo",
          "value",
        ];
        return {
          shape: "dvs" as const,
          headers: names.map((name) => ({ name })),
          rows: rows.slice(0, max),
          rowCount: rows.length,
          truncated: rows.length > max,
        };
      }
      const shape = args.shape ?? "table";
      const grid = await queryAnalytics(client, { ...base, shape });
      const rows = gridRecords(grid);
      const meta = grid.metaData ? AnalyticsMetaData.safeParse(grid.metaData) : undefined;
      return {
        shape,
        headers: grid.headers.map((h) => ({
          name: h.name,
          column: h.column,
        })),
        rows: rows.slice(0, max),
        rowCount: rows.length,
        truncated: rows.length > max,
        ...(meta?.success ? { dimensions: meta.data.dimensions } : {}),
      };
    },
  });
}
