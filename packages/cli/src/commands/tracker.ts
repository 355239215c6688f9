/** `d2w tracker ...`: one page of tracked entities, enrollments or events; bundle imports. */
import { type TrackerBundle, type TrackerImportOptions, trackerImportErrors } from "@dhis2w/client";
import { importTracker, listTracked, type TrackedKind } from "@dhis2w/core";
import { defineCommand, defineGroup } from "../define.js";
import { errorsOutArg, errorTable, writeErrorsOut } from "../error-groups.js";
import { UsageError } from "../errors.js";
import { asObject, readJsonFile } from "../files.js";
import { importStrategyArg, printImportOutcome } from "../import-report.js";
import { FULL } from "../output.js";

const KINDS: Record<string, TrackedKind> = {
  "tracked-entities": "trackedEntities",
  trackedEntities: "trackedEntities",
  tei: "trackedEntities",
  enrollments: "enrollments",
  events: "events",
};

const COLUMNS: Record<TrackedKind, string[]> = {
  trackedEntities: ["trackedEntity", "trackedEntityType", "orgUnit", "createdAt", "updatedAt"],
  enrollments: ["enrollment", "trackedEntity", "program", "status", "orgUnit", "enrolledAt"],
  events: ["event", "programStage", "enrollment", "orgUnit", "status", "occurredAt"],
};

const list = defineCommand({
  meta: {
    name: "list",
    description: "One page of tracked-entities, enrollments or events",
    examples: [
      "d2w tracker list tracked-entities --program IpHINAT79UW --org-unit DiszpKrYNg8 --page-size 10",
    ],
  },
  args: {
    kind: { type: "positional", description: "tracked-entities, enrollments or events", required: true },
    program: { type: "string", description: "program UID" },
    orgUnit: { type: "list", description: "org unit UID(s)" },
    orgUnitMode: {
      type: "string",
      description: "SELECTED, CHILDREN, DESCENDANTS, ACCESSIBLE, CAPTURE, ALL",
      choices: ["SELECTED", "CHILDREN", "DESCENDANTS", "ACCESSIBLE", "CAPTURE", "ALL"],
    },
    pageSize: { type: "number", description: "rows per page (server default 50)", min: 1 },
    page: { type: "number", description: "page number", min: 1 },
    fields: { type: "string", description: "fields to return" },
  },
  async run(args, ctx) {
    const kind = KINDS[args.kind];
    if (!kind) {
      throw new UsageError(
        `tracker list: kind must be tracked-entities, enrollments or events, got "${args.kind}"`,
      );
    }
    const page = await listTracked(
      await ctx.resolve(),
      kind,
      {
        ...(args.program ? { program: args.program } : {}),
        ...(args.orgUnit.length ? { orgUnits: args.orgUnit } : {}),
        ...(args.orgUnitMode ? { orgUnitMode: args.orgUnitMode as never } : {}),
        pageSize: args.pageSize,
        page: args.page,
        ...(args.fields ? { fields: args.fields } : {}),
      },
      ctx.clientOptions(),
    );
    if (ctx.json) return ctx.printJson({ pager: page.pager, [kind]: page.items });
    ctx.printRows(
      page.items,
      COLUMNS[kind].map((k) => ({ header: k, value: (r: Record<string, unknown>) => r[k] })),
      `no ${args.kind}`,
    );
  },
});

const importCmd = defineCommand({
  meta: { name: "import", description: "Import a tracker bundle (.json or .json.gz); exit 1 on errors" },
  args: {
    file: {
      type: "positional",
      description: "bundle { trackedEntities, enrollments, events, relationships }",
      required: true,
    },
    strategy: importStrategyArg,
    atomic: {
      type: "string",
      description: "ALL: nothing saved on any error; OBJECT: save valid objects",
      choices: ["ALL", "OBJECT"],
    },
    dryRun: { type: "boolean", description: "validate only (importMode VALIDATE)" },
    errorsOut: errorsOutArg,
  },
  async run(args, ctx) {
    const bundle = asObject(await readJsonFile(args.file), args.file) as TrackerBundle;
    const opts: Omit<TrackerImportOptions, "async"> = {
      ...(args.strategy ? { importStrategy: args.strategy as TrackerImportOptions["importStrategy"] } : {}),
      ...(args.atomic ? { atomicMode: args.atomic as "ALL" | "OBJECT" } : {}),
      ...(args.dryRun ? { importMode: "VALIDATE" as const } : {}),
    };
    const report = await importTracker(await ctx.resolve(), bundle, opts, ctx.clientOptions());
    const errors = trackerImportErrors(report);
    const table = errorTable(
      ctx,
      errors,
      [
        { header: "TYPE", value: (e) => e.trackerType },
        { header: "UID", value: (e) => e.uid },
        { header: "CODE", value: (e) => e.errorCode },
        { header: "MESSAGE", value: (e) => e.message, max: FULL },
      ],
      {
        code: (e) => e.errorCode,
        type: (e) => e.trackerType,
        object: (e) => e.uid,
        message: (e) => e.message,
      },
    );
    const code = printImportOutcome(ctx, {
      status: report.status,
      stats: report.stats,
      errors: table.rows,
      json: report,
      columns: table.columns,
    });
    table.afterwards();
    await writeErrorsOut(ctx, args.errorsOut, errors);
    return code;
  },
});

export default defineGroup({
  meta: { name: "tracker", description: "Tracker reads and imports" },
  subCommands: [list, importCmd],
});
