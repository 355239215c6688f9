/**
 * `d2w analytics query`: a table on the terminal, or the server's own JSON/CSV/XML/XLSX streamed
 * to a file or stdout (closing the reference toolkit's "no CSV/XML/XLSX from the CLI" gap).
 */
import type { AnalyticsOutputFormat, AnalyticsShape, DataValueSet, Grid } from "@dhis2w/client";
import { exportAnalytics, queryAnalytics } from "@dhis2w/core";
import type { CliContext } from "../context.js";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError } from "../errors.js";

const FORMATS = ["table", "json", "csv", "xml", "xlsx"] as const;
type Format = (typeof FORMATS)[number];

function formatOf(given: string | undefined, out: string | undefined): Format {
  if (given) return given as Format;
  const ext = out ? /\.([a-z]+)$/i.exec(out)?.[1]?.toLowerCase() : undefined;
  return (FORMATS.find((f) => f !== "table" && f === ext) ?? (out ? "json" : "table")) as Format;
}

/** Metadata names for UIDs in grid cells, when the answer carries them. */
function namer(grid: Grid): (v: unknown) => unknown {
  const items = (grid.metaData?.items ?? {}) as Record<string, { name?: string }>;
  return (v) => (typeof v === "string" && items[v]?.name ? items[v].name : v);
}

function printGrid(ctx: CliContext, grid: Grid): void {
  const name = namer(grid);
  const columns = grid.headers.map((h, i) => ({
    header: h.column ?? h.name,
    value: (row: Grid["rows"][number]) => (h.name === "value" ? row[i] : name(row[i])),
  }));
  ctx.printRows(grid.rows, columns, "no rows");
}

function printDataValueSet(ctx: CliContext, set: DataValueSet): void {
  const rows = set.dataValues ?? [];
  ctx.printRows(
    rows,
    ["dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value"].map((k) => ({
      header: k,
      value: (r: (typeof rows)[number]) => (r as Record<string, unknown>)[k],
    })),
    "no data values",
  );
}

const query = defineCommand({
  meta: {
    name: "query",
    description: "Run an analytics query",
    examples: [
      "d2w analytics query --dx fbfJHSPpUQD --pe LAST_12_MONTHS --ou ImspTQPwCqd",
      "d2w analytics query --dx fbfJHSPpUQD --pe 2024 --ou LEVEL-2 --format xlsx --out anc.xlsx",
      "d2w analytics query --dx fbfJHSPpUQD --pe 2024 --ou ImspTQPwCqd --format csv > anc.csv",
    ],
  },
  args: {
    dx: { type: "list", description: "data items (data elements, indicators, operands)" },
    pe: { type: "list", description: "periods (2024, 202401, LAST_12_MONTHS)" },
    ou: { type: "list", description: "org units (UIDs, LEVEL-n, OU_GROUP-uid, USER_ORGUNIT)" },
    dimension: {
      type: "list",
      split: false,
      description: "another dimension, e.g. co or a category uid:items",
    },
    filter: { type: "list", split: false, description: "filter dimension, e.g. pe:2024" },
    shape: {
      type: "string",
      description: "table (aggregated), raw (rawData), dvs (dataValueSet)",
      choices: ["table", "raw", "dvs"],
      default: "table",
    },
    format: {
      type: "string",
      description: "output format (default: from --out, else table)",
      choices: FORMATS,
    },
    out: { type: "string", description: "write to this file", valueName: "file" },
    param: { type: "list", split: false, description: "extra query parameter key=value" },
  },
  async run(args, ctx) {
    const dims: string[] = [];
    for (const key of ["dx", "pe", "ou"] as const)
      if (args[key].length) dims.push(`${key}:${args[key].join(";")}`);
    dims.push(...args.dimension);
    if (dims.length === 0)
      throw new UsageError("analytics query: give at least one of --dx, --pe, --ou, --dimension");
    const params: Record<string, string> = {};
    for (const p of args.param) {
      const eq = p.indexOf("=");
      if (eq <= 0) throw new UsageError(`analytics query: --param takes key=value, got "${p}"`);
      params[p.slice(0, eq)] = p.slice(eq + 1);
    }
    const shape = args.shape as AnalyticsShape;
    const format = formatOf(args.format, args.out);
    const target = await ctx.resolve();
    const common = {
      dimensions: dims,
      ...(args.filter.length ? { filters: args.filter } : {}),
      ...(Object.keys(params).length ? { params } : {}),
    };
    if (format === "table") {
      if (args.out)
        throw new UsageError("analytics query: --format table prints; use json, csv, xml or xlsx with --out");
      const result = await queryAnalytics(target, { ...common, shape }, ctx.clientOptions());
      if (ctx.json) return ctx.printJson(result);
      if (shape === "dvs") return printDataValueSet(ctx, result as DataValueSet);
      return printGrid(ctx, result as Grid);
    }
    if (format === "xlsx" && !args.out) {
      throw new UsageError("analytics query: xlsx is binary; give --out FILE.xlsx");
    }
    const spec = { ...common, shape, format: format as AnalyticsOutputFormat };
    if (!args.out) {
      await exportAnalytics(target, ctx.io.stdout, spec, ctx.clientOptions());
      return;
    }
    const r = await exportAnalytics(target, args.out, spec, ctx.clientOptions());
    if (ctx.json) return ctx.printJson({ path: r.path, bytes: r.bytes, format });
    ctx.err(`wrote ${r.bytes} bytes (${format}) to ${r.path}`);
  },
});

export default defineGroup({
  meta: { name: "analytics", description: "Query analytics" },
  subCommands: [query],
});
