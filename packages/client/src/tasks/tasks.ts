/**
 * `client.tasks`: waiting on DHIS2 background jobs. A kick-off (analytics refresh, async import,
 * data integrity run) answers `{ response: { id, jobType, relativeNotifierEndpoint } }`; its
 * notifications are then at `/api/system/tasks/{jobType}/{id}` as a bare array, NEWEST first, the
 * terminal one with `completed: true`, and a summary (e.g. an import summary) at
 * `/api/system/taskSummaries/{jobType}/{id}` (DHIS2 Web API docs, "System tasks" and
 * "Asynchronous ..."; QUIRKS.md "Wire formats"). Tracker async imports live at
 * `/api/tracker/jobs/{id}` and `/report` instead.
 */
import { Dhis2ClientError } from "../errors.js";
import { defaultSleep, type SleepLike } from "../http/pipeline.js";
import { isObject } from "../is-object.js";
import { TaskTimeoutError } from "./errors.js";
import { formatTaskRef, parseTaskRef, type TaskRefInput } from "./ref.js";
import { type TaskCompletion, TaskNotification } from "./schemas.js";

/** What {@link createTasks} needs from a client. `Dhis2Client` satisfies it. */
export interface TasksHttp {
  getRaw(path: string, options?: { signal?: AbortSignal }): Promise<unknown>;
}

/** Clock and sleep for polling; inject both in tests so nothing waits for real. */
export interface TasksOptions {
  /** Waits between polls (default: a timer that rejects when the signal aborts). */
  readonly sleep?: SleepLike;
  /** Epoch ms, for timeouts (default `Date.now`). */
  readonly now?: () => number;
}

/** Options of {@link Tasks.iterNotifications}. */
export interface PollOptions {
  /** Between polls; default 1000. */
  readonly pollIntervalMs?: number;
  /** Give up (with {@link TaskTimeoutError}) after this long; `null` waits forever. */
  readonly timeoutMs?: number | null;
  readonly signal?: AbortSignal;
}

/** Options of {@link Tasks.awaitCompletion}. */
export interface AwaitCompletionOptions extends PollOptions {
  /** Default 600_000 (10 minutes); `null` waits forever. */
  readonly timeoutMs?: number | null;
  /** Called once per new notification, oldest first (progress display). */
  readonly onNotification?: (notification: TaskNotification) => void;
}

const DEFAULT_POLL_MS = 1000;
const DEFAULT_AWAIT_TIMEOUT_MS = 600_000;
/** The job type whose notifications and report live under `/api/tracker/jobs/{id}`. */
export const TRACKER_IMPORT_JOB = "TRACKER_IMPORT_JOB";

/** `getRaw` wraps bare JSON (arrays, null) as `{ data }`; take it back out. */
function unwrap(raw: unknown): unknown {
  if (isObject(raw) && Object.keys(raw).length === 1 && "data" in raw) return raw.data;
  return raw;
}

/** Identity of a notification across polls: its `uid`, else time + level + message + completed. */
function identity(n: TaskNotification): string {
  return n.uid ?? `${n.time ?? ""}\u0000${n.level ?? ""}\u0000${n.message}\u0000${n.completed}`;
}

function checkDuration(name: string, value: number | null | undefined): void {
  if (value === undefined || value === null) return;
  if (!Number.isFinite(value) || value < 0) {
    throw new Dhis2ClientError(`tasks: ${name} must be a finite number of milliseconds >= 0, got ${value}`);
  }
}

/**
 * Polls DHIS2 jobs. Get one from `client.tasks` or `createTasks(client)`.
 *
 * @example
 * ```ts
 * const ref = (await client.maintenance.refreshAnalytics({ lastYears: 1 })).taskRef();
 * const done = await client.tasks.awaitCompletion(ref!, { timeoutMs: 300_000 });
 * console.log(done.level, done.message, done.notifications.length);
 * ```
 */
export class Tasks {
  readonly #http: TasksHttp;
  readonly #sleep: SleepLike;
  readonly #now: () => number;

  constructor(http: TasksHttp, options: TasksOptions = {}) {
    this.#http = http;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
  }

  /** One poll: the job's notifications so far, OLDEST first (the server sends newest first). */
  async notifications(
    ref: TaskRefInput,
    options: { signal?: AbortSignal } = {},
  ): Promise<TaskNotification[]> {
    const r = parseTaskRef(ref);
    const path =
      r.jobType === TRACKER_IMPORT_JOB
        ? `/api/tracker/jobs/${encodeURIComponent(r.id)}`
        : `/api/system/tasks/${encodeURIComponent(r.jobType)}/${encodeURIComponent(r.id)}`;
    const raw = unwrap(await this.#http.getRaw(path, { signal: options.signal }));
    if (raw === null || raw === undefined || (isObject(raw) && Object.keys(raw).length === 0)) return [];
    if (!Array.isArray(raw)) {
      throw new Dhis2ClientError(`GET ${path}: expected a JSON array of notifications, got ${typeof raw}`);
    }
    const out: TaskNotification[] = [];
    for (const item of raw) {
      const parsed = TaskNotification.safeParse(item);
      if (parsed.success) out.push(parsed.data);
    }
    return out.reverse();
  }

  /**
   * Yields each notification once, oldest first, polling until the one with `completed: true`
   * (yielded last). Notifications repeated across polls are yielded once (by `uid`, or by time,
   * level and message when the server sends no `uid`). Breaking out of the loop stops polling.
   *
   * @example
   * ```ts
   * for await (const n of client.tasks.iterNotifications("ANALYTICS_TABLE/Ab1cD2eF3gH", { pollIntervalMs: 500 })) {
   *   console.log(`${n.level ?? "INFO"} ${n.completed ? "[x]" : "[ ]"} ${n.message}`);
   * }
   * ```
   */
  async *iterNotifications(
    ref: TaskRefInput,
    options: PollOptions = {},
  ): AsyncGenerator<TaskNotification, void, undefined> {
    const r = parseTaskRef(ref);
    const interval = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    const timeoutMs = options.timeoutMs ?? null;
    checkDuration("pollIntervalMs", interval);
    checkDuration("timeoutMs", timeoutMs);
    const { signal } = options;
    const started = this.#now();
    const seen = new Set<string>();
    const seenList: TaskNotification[] = [];
    for (;;) {
      signal?.throwIfAborted();
      for (const n of await this.notifications(r, { signal })) {
        const id = identity(n);
        if (seen.has(id)) continue;
        seen.add(id);
        seenList.push(n);
        yield n;
        if (n.completed) return;
      }
      let wait = interval;
      if (timeoutMs !== null) {
        const left = timeoutMs - (this.#now() - started);
        if (left <= 0) throw new TaskTimeoutError(r, timeoutMs, [...seenList]);
        wait = Math.min(interval, left);
      }
      await this.#sleep(wait, signal);
    }
  }

  /**
   * Polls until the job reports `completed: true` and returns the final notification's level and
   * message with every notification seen. Throws {@link TaskTimeoutError} after `timeoutMs`
   * (default 10 minutes; `null` = forever), and the signal's reason when it aborts. A job that
   * failed still completes: check `level === "ERROR"`.
   *
   * @example
   * ```ts
   * const done = await client.tasks.awaitCompletion({ jobType: "ANALYTICS_TABLE", id }, { pollIntervalMs: 2000 });
   * if (done.level === "ERROR") throw new Error(done.message);
   * ```
   */
  async awaitCompletion(ref: TaskRefInput, options: AwaitCompletionOptions = {}): Promise<TaskCompletion> {
    const notifications: TaskNotification[] = [];
    const timeoutMs = options.timeoutMs === undefined ? DEFAULT_AWAIT_TIMEOUT_MS : options.timeoutMs;
    for await (const n of this.iterNotifications(ref, { ...options, timeoutMs })) {
      notifications.push(n);
      options.onNotification?.(n);
      if (n.completed) {
        return { level: n.level ?? "INFO", message: n.message, notifications, final: n };
      }
    }
    // iterNotifications only ends on a completed notification, a timeout or an abort.
    throw new Dhis2ClientError(
      `job ${formatTaskRef(parseTaskRef(ref))} stopped reporting without completing`,
    );
  }

  /**
   * The job's summary (`/api/system/taskSummaries/{jobType}/{id}`; for tracker jobs
   * `/api/tracker/jobs/{id}/report`): the ImportSummary of an async data value import, the
   * ImportReport of a metadata import, ... `undefined` while the server has none.
   *
   * @example
   * ```ts
   * const summary = await client.tasks.summary(ref);
   * console.log(WebMessageResponse.safeParse(summary)?.importCount());
   * ```
   */
  async summary(ref: TaskRefInput, options: { signal?: AbortSignal } = {}): Promise<TaskSummary | undefined> {
    const r = parseTaskRef(ref);
    const path =
      r.jobType === TRACKER_IMPORT_JOB
        ? `/api/tracker/jobs/${encodeURIComponent(r.id)}/report`
        : `/api/system/taskSummaries/${encodeURIComponent(r.jobType)}/${encodeURIComponent(r.id)}`;
    const raw = await this.#http.getRaw(path, { signal: options.signal });
    const value = unwrap(raw);
    if (value === null || value === undefined) return undefined;
    if (isObject(value)) return Object.keys(value).length === 0 ? undefined : value;
    return { data: value };
  }
}

/** A job summary: whatever JSON object the job stored (non-objects arrive as `{ data }`). */
export type TaskSummary = Record<string, unknown>;

/**
 * The `client.tasks` facade over any client with `getRaw`.
 *
 * @example
 * ```ts
 * const tasks = createTasks(client);
 * const done = await tasks.awaitCompletion("ANALYTICS_TABLE/Ab1cD2eF3gH");
 * ```
 */
export function createTasks(http: TasksHttp, options: TasksOptions = {}): Tasks {
  return new Tasks(http, options);
}
