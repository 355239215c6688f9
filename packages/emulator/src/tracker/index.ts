/**
 * The tracker module: `POST /api/tracker` (sync and async), `/api/tracker/jobs/{id}` (+ `/report`)
 * and the exporters `/api/tracker/trackedEntities|enrollments|events|relationships` (+ `/{uid}`).
 * Controller behaviour after dhis2-core `TrackerImportController` (dhis-web-api
 * .../controller/tracker/imports) and the Web API docs "Tracker" chapter (dhis2/dhis2-docs
 * src/developer/web-api/tracker.md).
 */
import type { EmulatorApp, EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import { taskStore } from "../data/tasks.js";
import { generateUid } from "../uid.js";
import { HttpError } from "../web-message.js";
import {
  type FullReport,
  type ImportParams,
  type ReportMode,
  renderReport,
  runImport,
  summaryLine,
} from "./importer.js";
import { validateTrackerParams } from "./params.js";
import { filterObjects, orderObjects } from "./query.js";
import { fieldSpecs, renderTracker } from "./render.js";
import { seedTrackerDemo } from "./seed.js";
import { type Json, type TrackerKind, TrackerStore, type TrackerType } from "./store.js";

export { type FullReport, type ImportParams, renderReport, runImport } from "./importer.js";
export { seedTrackerDemo, type TrackerSeedIds } from "./seed.js";
export { type Json, type TrackerKind, TrackerStore, type TrackerType } from "./store.js";

declare module "../app.js" {
  interface EmulatorExtensions {
    tracker?: TrackerStore;
  }
}

const JOB_TYPE = "TRACKER_IMPORT_JOB";
const TYPE_OF_KIND: Readonly<Record<TrackerKind, TrackerType>> = {
  trackedEntities: "TRACKED_ENTITY",
  enrollments: "ENROLLMENT",
  events: "EVENT",
  relationships: "RELATIONSHIP",
};
const NOT_FOUND_NAME: Readonly<Record<TrackerKind, string>> = {
  trackedEntities: "TrackedEntity",
  enrollments: "Enrollment",
  events: "Event",
  relationships: "Relationship",
};

/** The app's tracker store (created on first use). */
export function trackerStore(app: EmulatorApp): TrackerStore {
  app.extensions.tracker ??= new TrackerStore();
  return app.extensions.tracker;
}

function enumParam<T extends string>(ctx: Ctx, name: string, allowed: readonly T[], fallback: T): T {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return fallback;
  const v = raw.toUpperCase() as T;
  if (!allowed.includes(v))
    throw new HttpError(
      400,
      `Value ${raw} is not valid for parameter ${name}. Valid values are: [${allowed.join(", ")}]`,
    );
  return v;
}

function intParam(ctx: Ctx, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new HttpError(400, `${name} must be greater than or equal to 1, got ${raw}`);
  return n;
}

function reportMode(ctx: Ctx): ReportMode {
  return enumParam(ctx, "reportMode", ["FULL", "ERRORS", "WARNINGS"] as const, "ERRORS");
}

async function postTracker(ctx: Ctx): Promise<void> {
  const params: ImportParams = {
    // ImportRequestParams defaults: CREATE_AND_UPDATE, atomicMode ALL, FULL validation, COMMIT.
    importStrategy: enumParam(
      ctx,
      "importStrategy",
      ["CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE"] as const,
      "CREATE_AND_UPDATE",
    ),
    atomicMode: enumParam(ctx, "atomicMode", ["ALL", "OBJECT"] as const, "ALL"),
    validationMode: enumParam(ctx, "validationMode", ["FULL", "FAIL_FAST", "SKIP"] as const, "FULL"),
    importMode: enumParam(ctx, "importMode", ["COMMIT", "VALIDATE"] as const, "COMMIT"),
  };
  const mode = reportMode(ctx);
  const body = await ctx.readJson<unknown>();
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(
      400,
      "The tracker payload must be a JSON object with trackedEntities, enrollments, events or relationships",
    );
  }
  const store = trackerStore(ctx.app);
  const env = {
    metadata: ctx.state.metadata,
    store,
    now: () => ctx.state.timestamp(),
    user: ctx.user,
    files: ctx.app.extensions.files,
  };
  // The Web API docs list async=true as the default of POST /api/tracker.
  const asyncMode = (ctx.query.get("async") ?? "true").toLowerCase() !== "false";
  if (!asyncMode) {
    const report = runImport(body as Json, params, env);
    ctx.json(report.status === "ERROR" ? 409 : 200, renderReport(report, mode));
    return;
  }
  const tasks = taskStore(ctx.app);
  const id = generateUid();
  tasks.notify(JOB_TYPE, id, "Tracker import started");
  setTimeout(() => {
    try {
      const report: FullReport = runImport(body as Json, params, env);
      tasks.summarize(JOB_TYPE, id, report);
      tasks.notify(JOB_TYPE, id, summaryLine(report), {
        completed: true,
        level: report.status === "ERROR" ? "ERROR" : "INFO",
      });
    } catch (error) {
      tasks.notify(JOB_TYPE, id, `Import failed: ${(error as Error).message}`, {
        completed: true,
        level: "ERROR",
      });
    }
  }, 0);
  const location = `${ctx.origin}/api/tracker/jobs/${id}`;
  ctx.webMessage(200, "Tracker job added", { response: { responseType: "TrackerJob", id, location } });
}

function getJob(ctx: Ctx): void {
  ctx.json(200, taskStore(ctx.app).notifications(JOB_TYPE, ctx.params.id ?? ""), {
    "Cache-Control": "no-store",
  });
}

function getJobReport(ctx: Ctx): void {
  const id = ctx.params.id ?? "";
  const report = taskStore(ctx.app).summary(JOB_TYPE, id) as FullReport | undefined;
  if (!report) throw new HttpError(404, `Summary for job ${id} does not exist`);
  ctx.json(200, renderReport(report, reportMode(ctx)), { "Cache-Control": "no-store" });
}

function pageLink(ctx: Ctx, page: number): string {
  const q = new URLSearchParams(ctx.query);
  q.set("page", String(page));
  return `${ctx.origin}${ctx.rawPath}?${q.toString()}`;
}

function listHandler(kind: TrackerKind) {
  return (ctx: Ctx): void => {
    const behaviour = ctx.state.behaviour.tracker;
    const store = trackerStore(ctx.app);
    if (validateTrackerParams(ctx, kind, store)) {
      ctx.tomcatError(400);
      return;
    }
    const matched = orderObjects(filterObjects(ctx, kind, store, behaviour.legacyParamNames), ctx.query);
    const specs = fieldSpecs(kind, ctx.query);
    const env = { store, includeDeleted: ctx.query.get("includeDeleted") === "true" };
    const render = (o: Json) => renderTracker(kind, o, specs, env);
    if ((ctx.query.get("paging") ?? "").toLowerCase() === "false") {
      ctx.json(200, { [kind]: matched.map(render) });
      return;
    }
    const page = intParam(ctx, "page", 1);
    const pageSize = intParam(ctx, "pageSize", 50);
    const slice = matched.slice((page - 1) * pageSize, page * pageSize);
    const pager: Json = { page, pageSize };
    // Totals only on request: counting is the expensive part on a real server.
    if ((ctx.query.get("totalPages") ?? "").toLowerCase() === "true") {
      pager.total = matched.length;
      pager.pageCount = Math.ceil(matched.length / pageSize);
    }
    if (page > 1) pager.prevPage = pageLink(ctx, page - 1);
    if (matched.length > page * pageSize) pager.nextPage = pageLink(ctx, page + 1);
    const body: Json = behaviour.listRepeatsPagingFlat ? { page, pageSize, pager } : { pager };
    body[kind] = slice.map(render);
    ctx.json(200, body);
  };
}

function getHandler(kind: TrackerKind) {
  return (ctx: Ctx): void => {
    const store = trackerStore(ctx.app);
    const uid = ctx.params.uid ?? "";
    const obj = store.get(TYPE_OF_KIND[kind], uid);
    if (!obj || obj.deleted === true) {
      ctx.notFound(NOT_FOUND_NAME[kind], uid);
      return;
    }
    ctx.json(200, renderTracker(kind, obj, fieldSpecs(kind, ctx.query), { store, includeDeleted: false }));
  };
}

/** The tracker module (listed in `src/modules.ts`). */
export const trackerModule: EmulatorModule = {
  name: "tracker",
  install(app: EmulatorApp) {
    const store = trackerStore(app);
    app.post("/api/tracker", postTracker);
    app.get("/api/tracker/jobs/:id", getJob);
    app.get("/api/tracker/jobs/:id/report", getJobReport);
    for (const kind of ["trackedEntities", "enrollments", "events", "relationships"] as const) {
      app.get(`/api/tracker/${kind}`, listHandler(kind));
      app.get(`/api/tracker/${kind}/:uid`, getHandler(kind));
    }
    if (app.seedName === "demo") seedTrackerDemo(app.state, store);
  },
};
