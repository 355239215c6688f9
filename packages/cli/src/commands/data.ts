/** `d2w data ...`: chunked data value import with a live progress line; streamed export. */
import type { Conflict, DataValuesExportQuery, DataValuesImportOptions } from "@dhis2w/client";
import { exportDataValuesTo, importDataValues } from "@dhis2w/core";
import { ProgressLine } from "../context.js";
import { defineCommand, defineGroup } from "../define.js";
import { errorsOutArg, errorTable, writeErrorsOut } from "../error-groups.js";
import { UsageError } from "../errors.js";
import { importStrategyArg } from "../import-report.js";
import { FULL } from "../output.js";

/** Input rows a conflict is about, 1-based as a person counts lines of data. */
function rowsOf(c: Conflict): string {
  const idx = c.indexes ?? [];
  if (idx.length === 0) return "";
  const shown = idx.slice(0, 5).map((i) => String(i + 1));
  return idx.length > 5 ? `${shown.join(",")},… (${idx.length})` : shown.join(",");
}

const importCmd = defineCommand({
  meta: {
    name: "import",
    description: "Import data values from .json, .json.gz, .csv or .csv.gz (streamed, chunked)",
    examples: ["d2w data import values.json.gz --chunk-size 5000 --dry-run"],
  },
  args: {
    file: { type: "positional", description: "data value file", required: true },
    chunkSize: { type: "number", description: "rows per request (default 10000)", min: 1 },
    concurrency: { type: "number", description: "requests in flight (default 1)", min: 1 },
    dryRun: { type: "boolean", description: "validate only; nothing is stored" },
    strategy: importStrategyArg,
    dataSet: { type: "string", description: "data set UID set on every chunk" },
    errorsOut: {
      ...errorsOutArg,
      description: "write every conflict (JSON) to this file; stdout groups them when there are many",
    },
  },
  async run(args, ctx) {
    const progress = new ProgressLine(ctx);
    const opts: DataValuesImportOptions = {
      dryRun: args.dryRun,
      ...(args.chunkSize !== undefined ? { chunkSize: args.chunkSize } : {}),
      ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}),
      ...(args.strategy
        ? { importStrategy: args.strategy as DataValuesImportOptions["importStrategy"] }
        : {}),
      ...(args.dataSet ? { dataSet: args.dataSet } : {}),
      onProgress: (p) => {
        const c = p.importCount;
        progress.update(
          `chunk ${p.chunk + 1}: ${p.rowsRead} rows read, ${c.imported} imported, ${c.updated} updated, ${c.ignored} ignored, ${p.conflicts} conflicts`,
        );
      },
    };
    const r = await importDataValues(await ctx.resolve(), args.file, opts, ctx.clientOptions());
    progress.done();
    if (ctx.json) {
      ctx.printJson({
        ...r,
        failedChunks: r.failedChunks.map((f) => ({ ...f, error: f.error.message })),
      });
    } else {
      const c = r.importCount;
      ctx.out(
        `${r.dryRun ? "dry run " : ""}status ${r.status}: ${r.rowsRead} rows, ${c.imported} imported, ${c.updated} updated, ${c.ignored} ignored, ${c.deleted} deleted`,
      );
      if (r.conflicts.length > 0) {
        const objectOf = (x: Conflict) => x.object ?? Object.values(x.objects ?? {}).join(",");
        const table = errorTable(
          ctx,
          r.conflicts,
          [
            { header: "ROW", value: rowsOf },
            { header: "OBJECT", value: objectOf },
            { header: "CODE", value: (x) => x.errorCode },
            { header: "MESSAGE", value: (x) => x.value, max: FULL },
          ],
          {
            code: (x) => x.errorCode,
            object: (x) => {
              const rows = rowsOf(x);
              return rows ? `${objectOf(x)} (row ${rows})` : objectOf(x);
            },
            message: (x) => x.value,
            noun: "conflict",
          },
        );
        ctx.printRows(table.rows, table.columns);
        table.afterwards();
      }
      for (const f of r.failedChunks) {
        ctx.err(`chunk ${f.chunk} (rows ${f.firstRow + 1}-${f.lastRow + 1}) failed: ${f.error.message}`);
      }
    }
    await writeErrorsOut(ctx, args.errorsOut, r.conflicts, "conflict");
    return r.status === "OK" ? 0 : 1;
  },
});

const exportCmd = defineCommand({
  meta: {
    name: "export",
    description: "Export data values as JSON or CSV, to a file (.gz compresses) or stdout",
    examples: [
      "d2w data export --data-set BfMAe6Itzgt --period 202401 --org-unit ImspTQPwCqd --children --out values.csv",
    ],
  },
  args: {
    dataSet: { type: "list", description: "data set UID(s)" },
    period: { type: "list", description: "period(s), e.g. 202401" },
    startDate: { type: "string", description: "instead of --period: from this date" },
    endDate: { type: "string", description: "instead of --period: to this date" },
    orgUnit: { type: "list", description: "org unit UID(s)" },
    children: { type: "boolean", description: "include the org units' descendants" },
    out: { type: "string", description: "file to write (default stdout)", valueName: "file" },
    format: {
      type: "string",
      description: "json or csv (default: from --out, else json)",
      choices: ["json", "csv"],
    },
  },
  async run(args, ctx) {
    if (args.dataSet.length === 0) throw new UsageError("data export: give --data-set");
    if (args.orgUnit.length === 0) throw new UsageError("data export: give --org-unit");
    if (args.period.length === 0 && !(args.startDate && args.endDate)) {
      throw new UsageError("data export: give --period, or --start-date and --end-date");
    }
    const query: DataValuesExportQuery = {
      dataSet: args.dataSet,
      orgUnit: args.orgUnit,
      children: args.children,
      ...(args.period.length ? { period: args.period } : {}),
      ...(args.startDate ? { startDate: args.startDate } : {}),
      ...(args.endDate ? { endDate: args.endDate } : {}),
    };
    const format = args.format as "json" | "csv" | undefined;
    const target = await ctx.resolve();
    if (!args.out) {
      await exportDataValuesTo(
        target,
        ctx.io.stdout,
        query,
        { format: format ?? "json" },
        ctx.clientOptions(),
      );
      return;
    }
    const r = await exportDataValuesTo(
      target,
      args.out,
      query,
      format ? { format } : {},
      ctx.clientOptions(),
    );
    ctx.err(`wrote ${r.bytes} bytes to ${args.out}`);
  },
});

export default defineGroup({
  meta: { name: "data", description: "Import and export data values" },
  subCommands: [importCmd, exportCmd],
});
