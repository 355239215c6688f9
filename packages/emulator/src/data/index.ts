/**
 * Aggregate data values: `/api/dataValueSets` (import JSON/CSV, sync or `async=true`; export) and
 * `/api/dataValues` (one value: get, set, soft delete). Semantics after DHIS2's Web API docs
 * ("Data values") and dhis2-core `DataValueSetController` / `DataValueController`.
 */
import type { EmulatorApp, EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import { generateUid } from "../uid.js";
import { HttpError } from "../web-message.js";
import { importCaptureRoots, singleValueInHierarchy } from "./capture-scope.js";
import { csvToDataValues } from "./csv.js";
import { installDataEntry } from "./data-entry.js";
import { exportDataValueSet } from "./export.js";
import {
  type DataImportOptions,
  type ImportStrategy,
  type ImportSummaryBody,
  importDataValueSet,
} from "./import.js";
import { DataLookup, parseIdScheme } from "./lookup.js";
import { checkDataSetDetection, installDataValueQuirks } from "./quirks.js";
import { DataValueStore } from "./store.js";
import { answerJobKickoff, taskStore } from "./tasks.js";

declare module "../app.js" {
  interface EmulatorExtensions {
    dataValues?: DataValueStore;
  }
}

const STRATEGIES: readonly ImportStrategy[] = ["CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE"];
const JOB_TYPE = "DATAVALUE_IMPORT";

/** The app's data value store (created on first use). */
export function dataValueStore(app: EmulatorApp): DataValueStore {
  app.extensions.dataValues ??= new DataValueStore();
  return app.extensions.dataValues;
}

function lookupFor(ctx: Ctx): DataLookup {
  return new DataLookup(ctx.state.metadata, importCaptureRoots(ctx));
}

function flag(ctx: Ctx, name: string): boolean {
  return (ctx.query.get(name) ?? "").toLowerCase() === "true";
}

function importOptions(ctx: Ctx): DataImportOptions {
  const raw = (
    ctx.query.get("importStrategy") ??
    ctx.query.get("strategy") ??
    "CREATE_AND_UPDATE"
  ).toUpperCase();
  const strategy =
    raw === "NEW_AND_UPDATES"
      ? "CREATE_AND_UPDATE"
      : raw === "NEW"
        ? "CREATE"
        : raw === "UPDATES"
          ? "UPDATE"
          : raw;
  if (!STRATEGIES.includes(strategy as ImportStrategy)) {
    throw new HttpError(409, `Invalid importStrategy: ${raw} (expected one of ${STRATEGIES.join(", ")})`);
  }
  const idScheme = parseIdScheme(ctx.query.get("idScheme"), "UID");
  return {
    strategy: strategy as ImportStrategy,
    dryRun: flag(ctx, "dryRun"),
    dataElementIdScheme: parseIdScheme(ctx.query.get("dataElementIdScheme"), idScheme),
    orgUnitIdScheme: parseIdScheme(ctx.query.get("orgUnitIdScheme"), idScheme),
    categoryOptionComboIdScheme: parseIdScheme(ctx.query.get("categoryOptionComboIdScheme"), idScheme),
    userId: ctx.user?.id ?? "",
    username: ctx.user?.username ?? "",
    now: ctx.state.clock.now(),
  };
}

async function readDataValueSet(ctx: Ctx): Promise<Record<string, unknown>> {
  const type = (ctx.header("content-type") ?? "").toLowerCase();
  if (type.includes("csv")) return { dataValues: csvToDataValues(await ctx.bodyText()) };
  const body = await ctx.readJson<unknown>();
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(400, "JSON parse error: a data value set must be an object with a dataValues array");
  }
  return body as Record<string, unknown>;
}

function withOptions(summary: ImportSummaryBody, o: DataImportOptions): Record<string, unknown> {
  return {
    responseType: summary.responseType,
    status: summary.status,
    importOptions: {
      idSchemes: {},
      dryRun: o.dryRun,
      async: false,
      importStrategy: o.strategy,
      mergeMode: "REPLACE",
      reportMode: "FULL",
      skipExistingCheck: false,
    },
    description: summary.description,
    importCount: summary.importCount,
    conflicts: summary.conflicts,
    rejectedIndexes: summary.rejectedIndexes,
    dataSetComplete: summary.dataSetComplete,
  };
}

async function postDataValueSets(ctx: Ctx): Promise<void> {
  const options = importOptions(ctx);
  const set = await readDataValueSet(ctx);
  checkDataSetDetection(ctx, set);
  const store = dataValueStore(ctx.app);
  const lookup = lookupFor(ctx);
  if (flag(ctx, "async")) {
    const tasks = taskStore(ctx.app);
    const id = generateUid();
    tasks.notify(JOB_TYPE, id, "Process started");
    // The job runs after the answer, like DHIS2's scheduler.
    setTimeout(() => {
      try {
        const summary = importDataValueSet(store, lookup, set, options);
        tasks.summarize(JOB_TYPE, id, withOptions(summary, options));
        tasks.notify(JOB_TYPE, id, "Import done", { completed: true });
      } catch (error) {
        tasks.notify(JOB_TYPE, id, `Process failed: ${(error as Error).message}`, {
          completed: true,
          level: "ERROR",
        });
      }
    }, 0);
    answerJobKickoff(ctx, { jobType: JOB_TYPE, id });
    return;
  }
  const summary = importDataValueSet(store, lookup, set, options);
  // dhis2-core WebMessageUtils.importSummary: conflicts -> 409 WARNING, else 200 OK.
  if (summary.conflicts.length > 0) {
    ctx.webMessage(409, "One more conflicts encountered, please check import summary.", {
      status: "WARNING",
      response: withOptions(summary, options),
    });
  } else {
    ctx.webMessage(200, "Import was successful.", { response: withOptions(summary, options) });
  }
}

/** Resolves `/api/dataValues` query parameters into a store key, or throws DHIS2's 409. */
function singleKey(ctx: Ctx, lookup: DataLookup) {
  const q = ctx.query;
  const need = (name: string, what: string): string => {
    const v = q.get(name);
    if (!v) throw new HttpError(409, `Missing required parameter \`${name}\` (${what})`);
    return v;
  };
  const de = need("de", "data element");
  const pe = need("pe", "period");
  const ou = need("ou", "organisation unit");
  if (!ctx.state.metadata.has("dataElements", de))
    throw new HttpError(409, `Illegal data element identifier: ${de}`);
  if (!ctx.state.metadata.has("organisationUnits", ou))
    throw new HttpError(409, `Illegal organisation unit identifier: ${ou}`);
  const co = q.get("co") ?? lookup.defaultCoc();
  if (!lookup.hasCoc(co)) throw new HttpError(409, `Illegal category option combo identifier: ${co}`);
  let aoc = lookup.defaultCoc();
  const cc = q.get("cc");
  const cp = q.get("cp");
  if (cc && cp) {
    const wanted = new Set(cp.split(";"));
    const match = ctx.state.metadata.list("categoryOptionCombos").find((coc) => {
      const combo = (coc.categoryCombo as { id?: string } | undefined)?.id;
      const opts = Array.isArray(coc.categoryOptions)
        ? (coc.categoryOptions as { id?: string }[]).map((o) => o.id)
        : [];
      return (
        combo === cc && opts.length === wanted.size && opts.every((o) => o !== undefined && wanted.has(o))
      );
    });
    if (!match)
      throw new HttpError(
        409,
        `Attribute option combo does not exist for category combo ${cc} and options ${cp}`,
      );
    aoc = match.id;
  }
  return { dataElement: de, period: pe, orgUnit: ou, categoryOptionCombo: co, attributeOptionCombo: aoc };
}

/**
 * The key and lookup of a `/api/dataValues` request. The parameters are checked first (as
 * `DataValidator` does), then the org unit: where the version caches the hierarchy answer
 * (`capture-scope.ts`), a cached refusal is DHIS2's 409 E2020 and a cached yes lets the value
 * through whatever the user's org units are now.
 */
function singleRequest(ctx: Ctx) {
  const live = new DataLookup(ctx.state.metadata, new Set(ctx.user?.organisationUnits ?? []));
  const key = singleKey(ctx, live);
  const unit = ctx.state.metadata.get("organisationUnits", key.orgUnit)!;
  const inScope = singleValueInHierarchy(ctx, key.orgUnit, () => live.inCaptureScope(unit));
  if (inScope === undefined) return { key, lookup: live };
  if (!inScope) {
    throw new HttpError(
      409,
      `Organisation unit is not in the hierarchy of the current user: \`${key.orgUnit}\``,
      { errorCode: "E2020" },
    );
  }
  return { key, lookup: new DataLookup(ctx.state.metadata, new Set([...live.captureRoots, key.orgUnit])) };
}

function getDataValue(ctx: Ctx): void {
  const store = dataValueStore(ctx.app);
  const row = store.find(singleRequest(ctx).key);
  // dhis2-core DataValueController.getDataValue: ConflictException, then List.of(value).
  if (!store.exists(row)) throw new HttpError(409, "Data value does not exist");
  ctx.json(200, [store.get(row).value]);
}

function postDataValue(ctx: Ctx): void {
  const { key, lookup } = singleRequest(ctx);
  const q = ctx.query;
  const row: Record<string, unknown> = {
    ...key,
    value: q.get("value") ?? undefined,
    comment: q.get("comment") ?? undefined,
  };
  if (q.has("followUp")) row.followup = flag(ctx, "followUp");
  const options = { ...importOptions(ctx), strategy: "CREATE_AND_UPDATE" as const, dryRun: false };
  const summary = importDataValueSet(dataValueStore(ctx.app), lookup, { dataValues: [row] }, options);
  const conflict = summary.conflicts[0];
  if (conflict) throw new HttpError(409, conflict.value, { errorCode: conflict.errorCode });
  ctx.empty(201);
}

function deleteDataValue(ctx: Ctx): void {
  const store = dataValueStore(ctx.app);
  const row = store.find(singleRequest(ctx).key);
  if (!store.exists(row)) throw new HttpError(409, "Data value cannot be deleted because it does not exist");
  store.softDelete(row, ctx.state.clock.now());
  ctx.empty(204);
}

/** The data values module (listed in `src/modules.ts`). */
export const dataValuesModule: EmulatorModule = {
  name: "data-values",
  install(app) {
    installDataEntry(app);
    dataValueStore(app);
    taskStore(app);
    app.post("/api/dataValueSets", postDataValueSets);
    app.get("/api/dataValueSets", exportDataValueSet);
    app.get("/api/dataValues", getDataValue);
    app.post("/api/dataValues", postDataValue);
    app.delete("/api/dataValues", deleteDataValue);
    installDataValueQuirks(app, () => dataValueStore(app));
  },
};

export { DataValueStore } from "./store.js";
export { TaskStore, taskStore } from "./tasks.js";
