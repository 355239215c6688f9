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
import { defaultSleep } from "../http/pipeline.js";
import { formatIssues } from "../standard-schema.js";
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

/** The job did not complete within `timeoutMs`. */
export class TrackerJobTimeoutError extends Dhis2ClientError {
  constructor(
    readonly jobId: string,
    readonly timeoutMs: number,
  ) {
    super(`tracker import job ${jobId} did not complete within ${timeoutMs} ms`);
    this.name = "TrackerJobTimeoutError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

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

/** Runs one import; a 409 whose body is an import report comes back as that report. */
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
    throw error;
  }
  if (options.async) {
    const ref = trackerJobRefOf(raw);
    if (!ref) throw new Dhis2ClientError("tracker.import(async): the answer carries no job id (response.id)");
    return ref;
  }
  return parseTrackerImportReport(raw);
}

function notifications(raw: unknown): Record<string, unknown>[] {
  // getRaw hands a bare JSON array back as { data: [...] }.
  const list = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.data) ? raw.data : [];
  return list.filter(isObject);
}

/** Polls an async import until its last notification says `completed`, then fetches the report. */
export async function awaitTrackerImport(
  http: TrackerHttp,
  ref: TrackerJobRef | string,
  options: TrackerAwaitOptions = {},
): Promise<TrackerImportReport> {
  const id = typeof ref === "string" ? ref : ref.id;
  if (!id) throw new Dhis2ClientError("tracker.awaitImport: a job id is required");
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs === undefined ? 300_000 : options.timeoutMs;
  const interval = options.pollIntervalMs ?? 1000;
  const signal = options.signal;
  const started = now();
  const path = `/api/tracker/jobs/${encodeURIComponent(id)}`;
  for (;;) {
    signal?.throwIfAborted();
    const list = notifications(await http.getRaw(path, signal ? { signal } : {}));
    if (list.some((n) => n.completed === true)) break;
    if (timeoutMs !== null && now() - started >= timeoutMs) throw new TrackerJobTimeoutError(id, timeoutMs);
    await sleep(interval, signal);
  }
  const params = options.reportMode ? { reportMode: options.reportMode } : {};
  const raw = await http.getRaw(`${path}/report`, { params, ...(signal ? { signal } : {}) });
  return parseTrackerImportReport(raw, `GET ${path}/report`);
}
