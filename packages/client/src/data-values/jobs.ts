/**
 * Waiting for an `async=true` data value import: the kick-off answers
 * `{ response: { id, jobType: "DATAVALUE_IMPORT", relativeNotifierEndpoint } }`; notifications at
 * `/api/system/tasks/{jobType}/{id}` are a bare array, newest first, the terminal one with
 * `completed: true`; the ImportSummary is then at `/api/system/taskSummaries/{jobType}/{id}`
 * (DHIS2 Web API docs, "Data values" > "Importing data values asynchronously").
 */
import { Dhis2ClientError } from "../errors.js";
import { Tasks } from "../tasks/tasks.js";
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

/**
 * Polls a data value import job to completion (through `client.tasks`; a timeout throws its
 * `TaskTimeoutError`) and returns its task summary (the ImportSummary).
 */
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
  const { signal } = options;
  const tasks = new Tasks(http, {
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  await tasks.awaitCompletion(ref, {
    timeoutMs: options.timeoutMs ?? null,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    ...(signal ? { signal } : {}),
  });
  const path = `${encodeURIComponent(ref.jobType)}/${encodeURIComponent(ref.id)}`;
  return http.getRaw(`/api/system/taskSummaries/${path}`, { signal });
}
