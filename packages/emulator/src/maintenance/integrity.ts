/**
 * `/api/dataIntegrity` (2.38+ shapes), after the DHIS2 Web API docs "Data integrity"
 * (dhis2/dhis2-docs `src/developer/web-api/data-validation.md`) and dhis2-core
 * `DataIntegrityController`:
 * - `GET /api/dataIntegrity`: the catalog (`checks`, `section`, `slow`, `programmatic` filters);
 * - `POST /api/dataIntegrity/summary|details?checks=a,b` (or a JSON array body): a job kick-off
 *   (`DATA_INTEGRITY` / `DATA_INTEGRITY_DETAILS`); each check's result lands in that level's cache
 *   when the job reaches it (summary runs do not fill the details cache, and the other way round);
 * - `GET /api/dataIntegrity/summary|details?checks=&timeout=`: the cached results as a map by check
 *   name (only checks that completed); a `timeout` waits for pending runs (here: finishes them);
 * - `GET .../running`, `.../completed`: check names;
 * - `POST /api/dataIntegrity`: the older full run (`DATA_INTEGRITY`; its report is the task summary).
 */
import type { EmulatorApp } from "../app.js";
import type { Ctx } from "../ctx.js";
import { answerJobKickoff, type JobStep, taskStore } from "../data/tasks.js";
import { requireMaintenanceAuthority } from "./auth.js";
import {
  catalogEntry,
  checkCode,
  type IntegrityCheckDef,
  type IntegrityIssue,
  selectChecks,
} from "./integrity-checks.js";

type Level = "summary" | "details";

interface CheckResult {
  check: IntegrityCheckDef;
  startTime: string;
  finishedTime: string;
  issues: IntegrityIssue[];
  total: number;
}

/** The per-level result caches and running sets (DHIS2 keeps results for an hour; we keep them). */
export class IntegrityCache {
  readonly results: Record<Level, Map<string, CheckResult>> = { summary: new Map(), details: new Map() };
  readonly running: Record<Level, Map<string, number>> = { summary: new Map(), details: new Map() };

  /** Resets everything (`POST /api/maintenance/cacheClear`). */
  clear(): void {
    for (const level of ["summary", "details"] as const) this.results[level].clear();
  }
}

declare module "../app.js" {
  interface EmulatorExtensions {
    integrity?: IntegrityCache;
  }
}

const JOB_TYPES: Record<Level, string> = { summary: "DATA_INTEGRITY", details: "DATA_INTEGRITY_DETAILS" };

function cacheOf(app: EmulatorApp): IntegrityCache {
  app.extensions.integrity ??= new IntegrityCache();
  return app.extensions.integrity;
}

function common(r: CheckResult): Record<string, unknown> {
  const c = r.check;
  return {
    name: c.name,
    displayName: c.displayName,
    section: c.section,
    sectionOrder: c.sectionOrder,
    severity: c.severity,
    description: c.description,
    ...(c.introduction !== undefined ? { introduction: c.introduction } : {}),
    ...(c.recommendation !== undefined ? { recommendation: c.recommendation } : {}),
    ...(c.issuesIdType !== undefined ? { issuesIdType: c.issuesIdType } : {}),
    isSlow: c.isSlow,
    code: checkCode(c.name),
    startTime: r.startTime,
    finishedTime: r.finishedTime,
  };
}

function summaryJson(r: CheckResult): Record<string, unknown> {
  const count = r.issues.length;
  return {
    ...common(r),
    count,
    ...(r.total > 0 ? { percentage: (100 * count) / r.total } : {}),
  };
}

function detailsJson(r: CheckResult): Record<string, unknown> {
  return { ...common(r), issues: r.issues };
}

/** `checks` from the query (repeatable, comma-separated) or from a JSON array body. */
async function requestedChecks(ctx: Ctx): Promise<string[]> {
  const fromQuery = ctx.query.getAll("checks");
  if (ctx.method !== "POST") return fromQuery;
  const text = (await ctx.bodyText()).trim();
  if (!text) return fromQuery;
  try {
    const body = JSON.parse(text) as unknown;
    if (Array.isArray(body)) return [...fromQuery, ...body.filter((x): x is string => typeof x === "string")];
  } catch {
    // A non-JSON body is a comma-separated list, as Spring binds it.
    return [...fromQuery, text];
  }
  return fromQuery;
}

/** Starts a run of `checks` at `level`; each step computes one check into the cache. */
function startRun(ctx: Ctx, level: Level, checks: IntegrityCheckDef[], jobType = JOB_TYPES[level]): void {
  const cache = cacheOf(ctx.app);
  const state = ctx.state;
  const running = cache.running[level];
  for (const c of checks) running.set(c.name, (running.get(c.name) ?? 0) + 1);
  const results: CheckResult[] = [];
  const steps: JobStep[] = [
    { message: `Running ${checks.length} data integrity ${level} checks` },
    ...checks.map((check) => ({
      message: `Data integrity check ${check.name} done`,
      run: () => {
        const startTime = state.timestamp();
        try {
          const { issues, total } = check.run(state.metadata);
          const result = { check, startTime, finishedTime: state.timestamp(), issues, total };
          cache.results[level].set(check.name, result);
          results.push(result);
        } finally {
          const left = (running.get(check.name) ?? 1) - 1;
          if (left > 0) running.set(check.name, left);
          else running.delete(check.name);
        }
      },
    })),
  ];
  const ref = taskStore(ctx.app).startJob(jobType, steps, {
    doneMessage: `Data integrity ${level} checks completed`,
    summary: () =>
      Object.fromEntries(
        results.map((r) => [r.check.name, level === "summary" ? summaryJson(r) : detailsJson(r)]),
      ),
  });
  answerJobKickoff(ctx, ref);
}

function readResults(ctx: Ctx, level: Level): Record<string, unknown> {
  const timeout = Number(ctx.query.get("timeout") ?? 0);
  // DHIS2 waits up to `timeout` ms for pending checks; the emulator's checks are instant, so finish them.
  if (timeout > 0) taskStore(ctx.app).settle(JOB_TYPES[level]);
  const wanted = ctx.query.getAll("checks");
  const names = wanted.length > 0 ? new Set(selectChecks(wanted).map((c) => c.name)) : undefined;
  const out: Record<string, unknown> = {};
  for (const [name, r] of cacheOf(ctx.app).results[level]) {
    if (names && !names.has(name)) continue;
    out[name] = level === "summary" ? summaryJson(r) : detailsJson(r);
  }
  return out;
}

function listCatalog(ctx: Ctx): unknown[] {
  const wanted = ctx.query.getAll("checks");
  const section = ctx.query.get("section");
  const slow = ctx.query.get("slow");
  const programmatic = ctx.query.get("programmatic");
  const all = wanted.length > 0 ? selectChecks(wanted) : selectChecks(["*"]);
  return all
    .filter((c) => section === null || c.section === section)
    .filter((c) => slow === null || c.isSlow === (slow === "true"))
    .filter((c) => programmatic === null || c.isProgrammatic === (programmatic === "true"))
    .map(catalogEntry);
}

/** Registers the `/api/dataIntegrity` routes. */
export function installIntegrityRoutes(app: EmulatorApp): void {
  cacheOf(app);
  app.get("/api/dataIntegrity", (ctx) => ctx.json(200, listCatalog(ctx)));
  app.post("/api/dataIntegrity", async (ctx) => {
    requireMaintenanceAuthority(ctx);
    startRun(ctx, "details", selectChecks(await requestedChecks(ctx)), "DATA_INTEGRITY");
  });
  for (const level of ["summary", "details"] as const) {
    app.get(`/api/dataIntegrity/${level}`, (ctx) => ctx.json(200, readResults(ctx, level)));
    app.post(`/api/dataIntegrity/${level}`, async (ctx) => {
      requireMaintenanceAuthority(ctx);
      startRun(ctx, level, selectChecks(await requestedChecks(ctx)));
    });
    app.get(`/api/dataIntegrity/${level}/running`, (ctx) =>
      ctx.json(200, [...cacheOf(ctx.app).running[level].keys()].sort()),
    );
    app.get(`/api/dataIntegrity/${level}/completed`, (ctx) =>
      ctx.json(200, [...cacheOf(ctx.app).results[level].keys()].sort()),
    );
  }
}
