/** `d2w metadata ...`: list/get by plural name, export and import bundles. */
import { writeFile } from "node:fs/promises";
import {
  type MetadataBundle,
  type MetadataImportOptions,
  type MetadataImportReport,
  QueryValidationError,
} from "@dhis2w/client";
import { exportMetadata, getMetadata, importMetadata, listMetadata } from "@dhis2w/core";
import type { CliContext } from "../context.js";
import { defineCommand, defineGroup } from "../define.js";
import { errorsOutArg, errorTable, writeErrorsOut } from "../error-groups.js";
import { UsageError, UserError } from "../errors.js";
import { asObject, readJsonFile } from "../files.js";
import { importStrategyArg, printImportOutcome } from "../import-report.js";
import { columnsOf, FULL, formatRecord } from "../output.js";

const list = defineCommand({
  meta: {
    name: "list",
    description: "List objects of a type (plural: dataElements, organisationUnits, ...)",
    examples: [
      'd2w metadata list dataElements --filter "name:ilike:anc" --fields id,name,valueType --page-size 20',
    ],
  },
  args: {
    type: { type: "positional", description: "DHIS2 plural, e.g. dataElements", required: true },
    filter: { type: "list", split: false, description: "DHIS2 filter property:operator:value" },
    fields: { type: "string", description: "fields to return (default id,displayName)" },
    order: { type: "string", description: "e.g. name:asc" },
    pageSize: { type: "number", description: "items per page", min: 1 },
    page: { type: "number", description: "page number", min: 1 },
    all: { type: "boolean", description: "every page" },
  },
  async run(args, ctx) {
    const r = await listMetadata(
      await ctx.resolve(),
      args.type,
      {
        ...(args.filter.length ? { filters: args.filter } : {}),
        ...(args.fields ? { fields: args.fields } : {}),
        ...(args.order ? { order: args.order } : {}),
        pageSize: args.pageSize,
        page: args.page,
        all: args.all,
      },
      ctx.clientOptions(),
    );
    if (ctx.json)
      return ctx.printJson(r.pager ? { pager: r.pager, [args.type]: r.items } : { [args.type]: r.items });
    ctx.printRows(r.items, columnsOf(r.items), `no ${args.type}`);
    if (r.pager?.total !== undefined) {
      ctx.err(`page ${r.pager.page} of ${r.pager.pageCount ?? "?"} (${r.pager.total} in all)`);
    }
  },
});

const get = defineCommand({
  meta: { name: "get", description: "One object by UID" },
  args: {
    type: { type: "positional", description: "DHIS2 plural", required: true },
    uid: { type: "positional", description: "object UID", required: true },
    fields: { type: "string", description: "fields to return (default: all)" },
  },
  async run(args, ctx) {
    const obj = await getMetadata(
      await ctx.resolve(),
      args.type,
      args.uid,
      args.fields ? { fields: args.fields } : {},
      ctx.clientOptions(),
    );
    if (ctx.json) return ctx.printJson(obj);
    ctx.out(formatRecord(obj));
  },
});

const exportCmd = defineCommand({
  meta: { name: "export", description: "Export a metadata bundle of some types" },
  args: {
    types: { type: "list", description: "plurals to export, e.g. dataElements,dataSets" },
    fields: { type: "string", description: "fields for every type (default :owner)" },
    out: { type: "string", description: "write to this file instead of stdout", valueName: "file" },
  },
  async run(args, ctx) {
    if (args.types.length === 0) {
      throw new UsageError("metadata export: give --types, e.g. --types dataElements,dataSets");
    }
    const bundle = await exportMetadata(
      await ctx.resolve(),
      { types: args.types, ...(args.fields ? { fields: args.fields } : {}) },
      ctx.clientOptions(),
    );
    const text = JSON.stringify(bundle, null, 2);
    if (!args.out) return ctx.out(text);
    await writeFile(args.out, `${text}\n`);
    const counts = args.types.map((t) => `${(bundle as Record<string, unknown[]>)[t]?.length ?? 0} ${t}`);
    ctx.err(`wrote ${counts.join(", ")} to ${args.out}`);
  },
});

async function printImportReport(
  ctx: CliContext,
  report: MetadataImportReport,
  errorsOut: string | undefined,
): Promise<number> {
  const errors = report.errors();
  const skipped = report.skippedTypes;
  // What DHIS2 exports but does not import as metadata was left out: said aloud (stderr, also
  // with --json, whose output lists them as skippedTypes), never dropped silently.
  if (skipped.length > 0) {
    ctx.err(
      `skipped (DHIS2 does not import them as metadata): ${skipped.map((s) => `${s.type} (${s.count})`).join(", ")}`,
    );
  }
  const table = errorTable(
    ctx,
    errors,
    [
      { header: "TYPE", value: (e) => e.type },
      { header: "UID", value: (e) => e.uid },
      { header: "INDEX", value: (e) => e.index },
      { header: "CODE", value: (e) => e.errorCode },
      { header: "MESSAGE", value: (e) => e.message, max: FULL },
    ],
    {
      code: (e) => e.errorCode,
      type: (e) => e.type,
      object: (e) => e.uid ?? (e.index !== undefined ? `#${e.index}` : undefined),
      message: (e) => e.message,
    },
  );
  const code = printImportOutcome(ctx, {
    status: report.status,
    stats: report.stats,
    errors: table.rows,
    json: {
      status: report.status,
      stats: report.stats,
      errors,
      skippedTypes: skipped,
      httpStatusCode: report.httpStatusCode,
    },
    columns: table.columns,
  });
  table.afterwards();
  await writeErrorsOut(ctx, errorsOut, errors);
  return code;
}

const importCmd = defineCommand({
  meta: { name: "import", description: "Import a metadata bundle (.json or .json.gz); exit 1 on errors" },
  args: {
    file: { type: "positional", description: "bundle file", required: true },
    strategy: importStrategyArg,
    atomic: {
      type: "string",
      description: "ALL: nothing stored on any error; NONE: store what is valid",
      choices: ["ALL", "NONE"],
    },
    dryRun: { type: "boolean", description: "validate only; nothing is stored" },
    errorsOut: errorsOutArg,
    rejectNonMetadata: {
      type: "boolean",
      description:
        "refuse keys DHIS2 exports but does not import as metadata (interpretations, legends...) instead of skipping them",
    },
  },
  async run(args, ctx) {
    const bundle = asObject(await readJsonFile(args.file), args.file) as MetadataBundle;
    const opts: MetadataImportOptions = {
      ...(args.rejectNonMetadata ? { nonMetadata: "reject" as const } : {}),
      ...(args.strategy ? { importStrategy: args.strategy as MetadataImportOptions["importStrategy"] } : {}),
      ...(args.atomic ? { atomicMode: args.atomic as "ALL" | "NONE" } : {}),
      dryRun: args.dryRun,
    };
    const report = await importMetadata(await ctx.resolve(), bundle, opts, ctx.clientOptions()).catch(
      (error: unknown) => {
        // What the client refuses in the bundle is wrong in the file, not on the command line:
        // a problem with the file (exit 1), named.
        if (error instanceof QueryValidationError) {
          // The library's hint names its option; on the command line it is a flag.
          const message = error.message.replace(
            'without { nonMetadata: "reject" }',
            "without --reject-non-metadata",
          );
          throw new UserError(`${args.file}: ${message}`, { cause: error });
        }
        throw error;
      },
    );
    return printImportReport(ctx, report, args.errorsOut);
  },
});

export default defineGroup({
  meta: { name: "metadata", description: "List, get, export and import metadata" },
  subCommands: [list, get, exportCmd, importCmd],
});
