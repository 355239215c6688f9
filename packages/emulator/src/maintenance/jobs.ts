/**
 * The table jobs: `POST|PUT /api/resourceTables/analytics` (ANALYTICS_TABLE),
 * `/api/resourceTables` (RESOURCE_TABLE) and `/api/resourceTables/monitoring` (MONITORING).
 * Parameters and job types after dhis2-core `webapi/controller/ResourceTableController.java` and
 * the DHIS2 Web API docs ("Maintenance" > "Resource tables" / "Analytics tables"); each answers a
 * job kick-off and then progresses on the task store (see `data/tasks.ts`).
 */
import { dhis2Timestamp } from "../clock.js";
import type { Ctx } from "../ctx.js";
import { answerJobKickoff, type JobStep, taskStore } from "../data/tasks.js";
import { HttpError } from "../web-message.js";
import { requireMaintenanceAuthority } from "./auth.js";

/** The analytics table types `skip*` flags remove (dhis2-core `AnalyticsTableType`). */
const TABLES: readonly { type: string; table: string; skippedBy: string }[] = [
  { type: "DATA_VALUE", table: "analytics", skippedBy: "skipAggregate" },
  { type: "COMPLETENESS", table: "analytics_completeness", skippedBy: "skipAggregate" },
  { type: "COMPLETENESS_TARGET", table: "analytics_completenesstarget", skippedBy: "skipAggregate" },
  { type: "ORG_UNIT_TARGET", table: "analytics_orgunittarget", skippedBy: "skipAggregate" },
  { type: "VALIDATION_RESULT", table: "analytics_validationresult", skippedBy: "skipValidationResult" },
  { type: "EVENT", table: "analytics_event", skippedBy: "skipEvents" },
  { type: "ENROLLMENT", table: "analytics_enrollment", skippedBy: "skipEnrollment" },
  { type: "TRACKED_ENTITY_INSTANCE", table: "analytics_te", skippedBy: "skipTrackedEntities" },
  { type: "OWNERSHIP", table: "analytics_ownership", skippedBy: "skipOrgUnitOwnership" },
];

/** Spring's boolean binding: absent = default, "true"/"false" (any case), anything else is a 400. */
function boolParam(ctx: Ctx, name: string): boolean {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return false;
  const v = raw.toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw new HttpError(400, `Value '${raw}' is not valid for parameter ${name}. It should be of type Boolean`);
}

function lastYearsParam(ctx: Ctx): number | undefined {
  const raw = ctx.query.get("lastYears");
  if (raw === null || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new HttpError(
      400,
      `Value '${raw}' is not valid for parameter lastYears. It should be of type Integer`,
    );
  }
  return Number(raw);
}

/** dhis2-core `Clock.time()`: commons-lang `DurationFormatUtils.formatDurationHMS`, `HH:mm:ss.SSS`. */
function elapsed(startMs: number, nowMs: number): string {
  const ms = Math.max(0, nowMs - startMs);
  const s = Math.floor(ms / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(ms % 1000, 3)}`;
}

/** `POST /api/resourceTables/analytics`. */
export function postAnalyticsTables(ctx: Ctx): void {
  requireMaintenanceAuthority(ctx);
  const lastYears = lastYearsParam(ctx);
  const skip = new Set(
    [
      "skipResourceTables",
      "skipAggregate",
      "skipValidationResult",
      "skipEvents",
      "skipEnrollment",
      "skipTrackedEntities",
      "skipOrgUnitOwnership",
      "skipOutliers",
    ].filter((name) => boolParam(ctx, name)),
  );
  const state = ctx.state;
  const started = state.clock.now();
  const year = new Date(started).getUTCFullYear();
  const years =
    lastYears !== undefined && lastYears > 0 ? `${year - lastYears + 1}-${year}` : "all years with data";
  const steps: JobStep[] = [
    { message: `Analytics table update process started (${years})` },
    ...(skip.has("skipResourceTables") ? [] : [{ message: "Generating resource tables" }]),
    ...TABLES.filter((t) => !skip.has(t.skippedBy)).map((t) => ({
      message: `Populating analytics table: ${t.table} (${t.type})`,
    })),
    {
      message: "Swapping analytics tables",
      run: () => {
        // DefaultAnalyticsTableGenerator.updateLastSuccessfulSystemSettings: the job's start
        // time (params.getStartTime()) and the run time so far (Clock.time()).
        state.settings.set("keyLastSuccessfulAnalyticsTablesUpdate", dhis2Timestamp(started));
        state.settings.set("keyLastSuccessfulAnalyticsTablesRuntime", elapsed(started, state.clock.now()));
        // The analytics table's outlier columns (sourceid, std_dev, mad, ...) exist only when
        // the run did not skip them (AnalyticsOutlierService.checkAnalyticsTableForOutliers).
        ctx.app.extensions.analyticsOutliers = !skip.has("skipOutliers");
        if (!skip.has("skipResourceTables")) {
          state.settings.set("keyLastSuccessfulResourceTablesUpdate", state.timestamp());
        }
      },
    },
  ];
  const ref = taskStore(ctx.app).startJob("ANALYTICS_TABLE", steps, {
    doneMessage: () => `Analytics tables updated: ${elapsed(started, state.clock.now())}`,
  });
  answerJobKickoff(ctx, ref);
}

/** `POST /api/resourceTables`. */
export function postResourceTables(ctx: Ctx): void {
  requireMaintenanceAuthority(ctx);
  const state = ctx.state;
  const steps: JobStep[] = [
    { message: "Resource table update process started" },
    { message: "Generating organisation unit structure table" },
    { message: "Generating category option combo table" },
    { message: "Generating period structure table" },
    {
      message: "Generating data element group set table",
      run: () => state.settings.set("keyLastSuccessfulResourceTablesUpdate", state.timestamp()),
    },
  ];
  const ref = taskStore(ctx.app).startJob("RESOURCE_TABLE", steps, {
    doneMessage: "Resource tables generated",
  });
  answerJobKickoff(ctx, ref);
}

/** `POST /api/resourceTables/monitoring`. */
export function postMonitoring(ctx: Ctx): void {
  requireMaintenanceAuthority(ctx);
  const steps: JobStep[] = [
    { message: "Monitoring process started" },
    { message: "Running validation rule analysis" },
    { message: "Sending validation notifications" },
  ];
  const ref = taskStore(ctx.app).startJob("MONITORING", steps, {
    doneMessage: "Monitoring process done",
  });
  answerJobKickoff(ctx, ref);
}
