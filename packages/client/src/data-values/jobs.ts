/**
 * Waiting for an `async=true` data value import: the kick-off answers
 * `{ response: { id, jobType: "DATAVALUE_IMPORT", relativeNotifierEndpoint } }`; notifications at
 * `/api/system/tasks/{jobType}/{id}` are a bare array, newest first, the terminal one with
 * `completed: true`; the ImportSummary is then at `/api/system/taskSummaries/{jobType}/{id}`
 * (DHIS2 Web API docs, "Data values" > "Importing data values asynchronously").
 */
import { Dhis2ClientError } from "../errors.js";
import type { DataValuesHttp } from "./transport.js";

/** Polling knobs for async imports; `sleep` is injectable so tests need no real timers. */
export interface JobPollOptions {
  pollIntervalMs?: number;
  /** Give up waiting for one job after this long; `null` (default) waits as long as it takes. */
  timeoutMs?: number | null;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
}

/** A job reference pulled from a kick-off answer. */
export interface JobRef {
  jobType: string;
  id: string;
}

/** Reads `{ jobType, id }` from a job kick-off WebMessage, or `undefined`. */
export function jobRefOf(raw: unknown): JobRef | undefined {
  const response = (raw as { response?: unknown } | null)?.response as Record<string, unknown> | undefined;
  if (!response || typeof response !== "object") return undefined;
  const { id, jobType } = response;
  return typeof id === "string" && typeof jobType === "string" ? { id, jobType } : undefined;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

function notifications(raw: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(raw)) return raw as Array<Record<string, unknown>>;
  // A client may wrap a bare JSON array as `{ data: [...] }`.
  const data = (raw as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? (data as Array<Record<string, unknown>>) : [];
}

/** Polls a data value import job to completion and returns its task summary (the ImportSummary). */
export async function awaitImportJob(
  http: DataValuesHttp,
  kickoff: unknown,
  options: JobPollOptions,
): Promise<unknown> {
  const ref = jobRefOf(kickoff);
  if (!ref)
    throw new Dhis2ClientError(
      "async import: the answer carries no job reference (response.id, response.jobType)",
    );
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const interval = options.pollIntervalMs ?? 500;
  const started = now();
  const path = `${encodeURIComponent(ref.jobType)}/${encodeURIComponent(ref.id)}`;
  for (;;) {
    const list = notifications(await http.getRaw(`/api/system/tasks/${path}`, { signal: options.signal }));
    if (list.some((n) => n.completed === true)) break;
    if (options.timeoutMs != null && now() - started >= options.timeoutMs) {
      throw new Dhis2ClientError(
        `async import: job ${ref.jobType}/${ref.id} not completed after ${options.timeoutMs} ms`,
      );
    }
    await sleep(interval, options.signal);
  }
  return http.getRaw(`/api/system/taskSummaries/${path}`, { signal: options.signal });
}
