/**
 * `POST /api/tracker` and its async jobs. Parameters and behaviour after the Web API docs, "Tracker
 * import" (dhis2/dhis2-docs src/developer/web-api/tracker.md) and dhis2-core
 * `TrackerImportController` (dhis-web-api .../tracker/imports): a sync import answers the
 * ImportReport itself, HTTP 409 when its status is ERROR; an async one answers
 * `{ message: "Tracker job added", response: { id, location } }`; notifications are at
 * `/api/tracker/jobs/{id}` (a bare array, newest first, the last one `completed: true`) and the
 * report at `/api/tracker/jobs/{id}/report` (QUIRKS.md "Wire formats").
 */
import { Dhis2ClientError } from "../errors.js";
import { ImportOutcomeUnknownError, writeOutcomeOf } from "../import-outcome.js";
import { isObject } from "../is-object.js";
import { formatIssues } from "../standard-schema.js";
import { TaskTimeoutError } from "../tasks/errors.js";
import type { TaskNotification } from "../tasks/schemas.js";
import { Tasks, TRACKER_IMPORT_JOB } from "../tasks/tasks.js";
import type { TrackerHttp } from "./endpoint.js";
import { isTrackerImportReport, TrackerImportReport, type TrackerJobRef } from "./report.js";
import type { TrackerBundle } from "./schemas.js";

/** Options of `client.tracker.import`. Unset ones take the server's defaults. */
export interface TrackerImportOptions {
  readonly importStrategy?: "CREATE" | "UPDATE" | "CREATE_AND_UPDATE" | "DELETE";
  /** `ALL` (default): nothing is saved when anything is invalid; `OBJECT`: valid objects are saved. */
  readonly atomicMode?: "ALL" | "OBJECT";
  /** `true`: return a job reference at once (see `awaitImport`). Default `false` here. */
  readonly async?: boolean;
  readonly validationMode?: "FULL" | "FAIL_FAST" | "SKIP";
  readonly reportMode?: "FULL" | "ERRORS" | "WARNINGS";
  /** `VALIDATE` checks without saving. */
  readonly importMode?: "COMMIT" | "VALIDATE";
  readonly idScheme?: string;
  readonly skipRuleEngine?: boolean;
  readonly skipSideEffects?: boolean;
  readonly signal?: AbortSignal;
}

/** Options of `client.tracker.awaitImport`. */
export interface TrackerAwaitOptions {
  /** Give up after this long; default 300_000; `null` waits as long as it takes. */
  readonly timeoutMs?: number | null;
  /** Between polls; default 1000. */
  readonly pollIntervalMs?: number;
  readonly reportMode?: "FULL" | "ERRORS" | "WARNINGS";
  readonly signal?: AbortSignal;
  /** Injectable for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

/**
 * The job did not complete within `timeoutMs`: a {@link TaskTimeoutError} (so one `catch` serves
 * every job wait) that also names the tracker job id.
 *
 * @example
 * ```ts
 * try { await client.tracker.awaitImport(ref, { timeoutMs: 60_000 }); }
 * catch (e) { if (e instanceof TrackerJobTimeoutError) console.log(e.jobId, e.notifications.length); }
 * ```
 */
export class TrackerJobTimeoutError extends TaskTimeoutError {
  override readonly name = "TrackerJobTimeoutError" as const;
  readonly jobId: string;

  constructor(jobId: string, timeoutMs: number, notifications: readonly TaskNotification[] = []) {
    super({ jobType: TRACKER_IMPORT_JOB, id: jobId }, timeoutMs, notifications);
    this.jobId = jobId;
    this.message = `tracker import job ${jobId} did not complete within ${timeoutMs} ms`;
  }
}

/** Parses an import report, saying what is wrong when it is not one. */
export function parseTrackerImportReport(raw: unknown, where = "POST /api/tracker"): TrackerImportReport {
  const parsed = TrackerImportReport.safeParse(raw);
  if (!parsed.success) {
    throw new Dhis2ClientError(
      `${where}: the answer is not a tracker import report (${formatIssues(parsed.error.issues)})`,
    );
  }
  return parsed.data;
}

/** `{ id, location }` of an async kick-off, or undefined. */
export function trackerJobRefOf(raw: unknown): TrackerJobRef | undefined {
  const response = isObject(raw) ? raw.response : undefined;
  if (!isObject(response)) return undefined;
  const location = typeof response.location === "string" ? response.location : undefined;
  const id =
    typeof response.id === "string" && response.id !== ""
      ? response.id
      : location?.match(/\/tracker\/jobs\/([A-Za-z0-9]+)\/?$/)?.[1];
  if (!id) return undefined;
  return location === undefined ? { id } : { id, location };
}

function importParams(options: TrackerImportOptions): Record<string, string | boolean> {
  const params: Record<string, string | boolean> = { async: options.async === true };
  const keys = [
    "importStrategy",
    "atomicMode",
    "validationMode",
    "reportMode",
    "importMode",
    "idScheme",
    "skipRuleEngine",
    "skipSideEffects",
  ] as const;
  for (const key of keys) {
    const value = options[key];
    if (value !== undefined) params[key] = value;
  }
  return params;
}

/** The body of an HTTP error (`Dhis2ApiError.body`), found by shape. */
function errorBody(error: unknown): unknown {
  return isObject(error) || error instanceof Error ? (error as { body?: unknown }).body : undefined;
}

/**
 * Runs one import; a 409 whose body is an import report comes back as that report. A request
 * that was sent without an answer coming back throws {@link ImportOutcomeUnknownError}.
 */
export async function runTrackerImport(
  http: TrackerHttp,
  bundle: TrackerBundle,
  options: TrackerImportOptions,
): Promise<TrackerImportReport | TrackerJobRef> {
  if (!isObject(bundle)) throw new Dhis2ClientError("tracker.import: the bundle must be an object");
  const request = { params: importParams(options), ...(options.signal ? { signal: options.signal } : {}) };
  let raw: unknown;
  try {
    raw = await http.postRaw("/api/tracker", bundle, request);
  } catch (error) {
    // DHIS2 answers a sync import whose status is ERROR with HTTP 409 and the full report.
    const body = errorBody(error);
    if (!options.async && isTrackerImportReport(body)) return parseTrackerImportReport(body);
    // Sent, but no answer came back (a reset after DHIS2 committed, a timeout, a gateway that
    // gave up): the bundle may be stored. Saying "failed" would be wrong.
    const aborted = options.signal?.aborted || (error instanceof Error && error.name === "AbortError");
    if (!aborted && writeOutcomeOf(error) === "unknown") {
      throw new ImportOutcomeUnknownError(
        `tracker.import: POST /api/tracker${options.async ? " (async)" : ""}`,
        error,
      );
    }
    throw error;
  }
  if (options.async) {
    const ref = trackerJobRefOf(raw);
    if (!ref) throw new Dhis2ClientError("tracker.import(async): the answer carries no job id (response.id)");
    return ref;
  }
  return parseTrackerImportReport(raw);
}

/**
 * Polls an async import until its last notification says `completed` (through `client.tasks`,
 * which knows `TRACKER_IMPORT_JOB` lives at `/api/tracker/jobs/{id}`), then fetches the report.
 */
export async function awaitTrackerImport(
  http: TrackerHttp,
  ref: TrackerJobRef | string,
  options: TrackerAwaitOptions = {},
): Promise<TrackerImportReport> {
  const id = typeof ref === "string" ? ref : ref.id;
  if (!id) throw new Dhis2ClientError("tracker.awaitImport: a job id is required");
  const timeoutMs = options.timeoutMs === undefined ? 300_000 : options.timeoutMs;
  const { signal } = options;
  const tasks = new Tasks(http, {
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  try {
    await tasks.awaitCompletion(
      { jobType: TRACKER_IMPORT_JOB, id },
      { timeoutMs, pollIntervalMs: options.pollIntervalMs ?? 1000, ...(signal ? { signal } : {}) },
    );
  } catch (error) {
    if (error instanceof TaskTimeoutError && !(error instanceof TrackerJobTimeoutError)) {
      throw new TrackerJobTimeoutError(id, error.timeoutMs, error.notifications);
    }
    throw error;
  }
  const path = `/api/tracker/jobs/${encodeURIComponent(id)}/report`;
  const params = options.reportMode ? { reportMode: options.reportMode } : {};
  const raw = await http.getRaw(path, { params, ...(signal ? { signal } : {}) });
  return parseTrackerImportReport(raw, `GET ${path}`);
}
