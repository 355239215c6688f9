/**
 * The emulator's job runner and notifier, after DHIS2's `/api/system/tasks` and
 * `/api/system/taskSummaries` (QUIRKS.md "Wire formats": notifications are a bare JSON array,
 * NEWEST first, the terminal one with `completed: true`). Shared through `app.extensions.tasks`.
 *
 * Notification fields follow dhis2-core `org.hisp.dhis.system.notification.Notification`
 * (`uid`, `level`, `category` = the job type, `time`, `message`, `completed`, `dataType`, `data`;
 * see also dhis2/dhis2-java-client `response/job/JobNotification.java`).
 *
 * Two ways to publish:
 * - `notify`/`summarize`: the caller publishes each notification itself (async data value imports);
 * - `startJob(jobType, steps)`: a job that progresses by itself. Each read of the job's
 *   notifications publishes `pacing.stepsPerPoll` more steps (default 1), and with `pacing.stepMs`
 *   set the emulator clock moves it too; so a client that polls sees the list grow between polls,
 *   and tests stay deterministic and fast. `settle()` runs everything pending to the end.
 */
import { atPatch } from "@dhis2w/client";
import type { EmulatorApp } from "../app.js";
import { dhis2Timestamp } from "../clock.js";
import type { Ctx } from "../ctx.js";
import { generateUid } from "../uid.js";

/** DHIS2's `NotificationLevel`. */
export type NotificationLevel = "OFF" | "LOOP" | "DEBUG" | "INFO" | "WARN" | "ERROR";

/** One notification as DHIS2 serialises it. */
export interface TaskNotification {
  uid: string;
  level: NotificationLevel;
  category: string;
  time: string;
  message: string;
  completed: boolean;
  id: string;
  dataType?: string;
  data?: unknown;
}

/** One unit of work of a {@link TaskStore.startJob} job. */
export interface JobStep {
  /** The notification published when the step runs. */
  message: string;
  level?: NotificationLevel;
  /** The step's work, run when it is published; a throw fails the job (ERROR, completed). */
  run?: () => void;
}

/** Options of {@link TaskStore.startJob}. */
export interface StartJobOptions {
  /** The job id (default a fresh UID). */
  id?: string;
  /** Message of the terminal notification (default `"<jobType> completed"`). */
  doneMessage?: string | (() => string);
  /** Computed after the last step; becomes the job's task summary. */
  summary?: () => unknown;
  /** Level of the terminal notification (default INFO; DHIS2's `failedProcess` gives ERROR). */
  doneLevel?: () => NotificationLevel;
}

/** How {@link TaskStore.startJob} jobs move forward. */
export interface JobPacing {
  /** Steps published by each `GET /api/system/tasks/{jobType}/{id}` (default 1; 0 = polls don't move jobs). */
  stepsPerPoll: number;
  /** Also publish one step per `stepMs` of the emulator clock (default null: the clock doesn't move jobs). */
  stepMs: number | null;
}

/** A job kick-off's reference. */
export interface JobRef {
  jobType: string;
  id: string;
}

interface RunningJob extends JobRef {
  readonly steps: readonly JobStep[];
  readonly options: StartJobOptions;
  next: number;
  lastStepAt: number;
  done: boolean;
}

declare module "../app.js" {
  interface EmulatorExtensions {
    tasks?: TaskStore;
  }
}

const key = (jobType: string, id: string) => `${jobType}/${id}`;

/** Notifications, summaries and running jobs by job type and job id. */
export class TaskStore {
  readonly #notes = new Map<string, TaskNotification[]>();
  readonly #summaries = new Map<string, unknown>();
  readonly #jobs = new Map<string, RunningJob>();
  /** How jobs started with {@link startJob} move; tests may change it at any time. */
  pacing: JobPacing = { stepsPerPoll: 1, stepMs: null };

  constructor(readonly now: () => number) {}

  /** Adds a notification (kept newest first). */
  notify(
    jobType: string,
    id: string,
    message: string,
    opts: { completed?: boolean; level?: NotificationLevel; dataType?: string; data?: unknown } = {},
  ): void {
    const k = key(jobType, id);
    const list = this.#notes.get(k) ?? [];
    list.unshift({
      uid: generateUid(),
      level: opts.level ?? "INFO",
      category: jobType,
      time: dhis2Timestamp(this.now()),
      message,
      completed: opts.completed ?? false,
      id,
      ...(opts.dataType !== undefined ? { dataType: opts.dataType } : {}),
      ...(opts.data !== undefined ? { data: opts.data } : {}),
    });
    this.#notes.set(k, list);
  }

  /** Stores the job's summary (the import summary of a data value import). */
  summarize(jobType: string, id: string, summary: unknown): void {
    this.#summaries.set(key(jobType, id), summary);
  }

  /**
   * Starts a job of `steps`: the first step runs at once (DHIS2 publishes a "started" notification
   * with the kick-off), the rest as polls or the clock move it (see {@link pacing}); after the last
   * one come the summary and the terminal `completed: true` notification.
   */
  startJob(jobType: string, steps: readonly JobStep[], options: StartJobOptions = {}): JobRef {
    const id = options.id ?? generateUid();
    const job: RunningJob = { jobType, id, steps, options, next: 0, lastStepAt: this.now(), done: false };
    this.#jobs.set(key(jobType, id), job);
    this.#advance(job, 1);
    return { jobType, id };
  }

  /** True while a {@link startJob} job has steps left. */
  isRunning(jobType: string, id: string): boolean {
    const job = this.#jobs.get(key(jobType, id));
    return job !== undefined && !job.done;
  }

  /** Publishes up to `count` more steps of one job; returns how many it published. */
  step(jobType: string, id: string, count = 1): number {
    const job = this.#jobs.get(key(jobType, id));
    return job ? this.#advance(job, count) : 0;
  }

  /** Runs every pending job (or those of `jobType`) to the end. */
  settle(jobType?: string): void {
    for (const job of this.#jobs.values()) {
      if (!job.done && (jobType === undefined || job.jobType === jobType)) {
        this.#advance(job, Number.POSITIVE_INFINITY);
      }
    }
  }

  /** What a poll of one job answers: the clock's due steps and `stepsPerPoll` more, then the list. */
  poll(jobType: string, id: string): TaskNotification[] {
    const job = this.#jobs.get(key(jobType, id));
    if (job && !job.done) {
      this.#applyClock(job);
      this.#advance(job, this.pacing.stepsPerPoll);
    }
    return this.notifications(jobType, id);
  }

  notifications(jobType: string, id: string): TaskNotification[] {
    return this.#notes.get(key(jobType, id)) ?? [];
  }

  summary(jobType: string, id: string): unknown {
    this.#tick();
    return this.#summaries.get(key(jobType, id));
  }

  /** Every job of a type with its notifications (`GET /api/system/tasks/{jobType}`). */
  byType(jobType: string): Record<string, TaskNotification[]> {
    this.#tick();
    const out: Record<string, TaskNotification[]> = {};
    for (const [k, list] of this.#notes)
      if (k.startsWith(`${jobType}/`)) out[k.slice(jobType.length + 1)] = list;
    return out;
  }

  /** Every job type with its jobs (`GET /api/system/tasks`). */
  all(): Record<string, Record<string, TaskNotification[]>> {
    this.#tick();
    const out: Record<string, Record<string, TaskNotification[]>> = {};
    for (const [k, list] of this.#notes) {
      const slash = k.indexOf("/");
      const jobType = k.slice(0, slash);
      out[jobType] = { ...out[jobType], [k.slice(slash + 1)]: list };
    }
    return out;
  }

  #tick(): void {
    for (const job of this.#jobs.values()) if (!job.done) this.#applyClock(job);
  }

  #applyClock(job: RunningJob): void {
    const stepMs = this.pacing.stepMs;
    if (stepMs === null || stepMs <= 0) return;
    const due = Math.floor((this.now() - job.lastStepAt) / stepMs);
    if (due > 0) this.#advance(job, due);
  }

  /** The steps, then the terminal notification, each counting as one. */
  #advance(job: RunningJob, count: number): number {
    let published = 0;
    while (published < count && !job.done) {
      published++;
      const step = job.steps[job.next];
      if (step) {
        job.next++;
        try {
          step.run?.();
          this.notify(job.jobType, job.id, step.message, { level: step.level ?? "INFO" });
        } catch (error) {
          this.#finish(job, `Process failed: ${(error as Error).message}`, "ERROR");
        }
        continue;
      }
      try {
        if (job.options.summary) this.summarize(job.jobType, job.id, job.options.summary());
        const done = job.options.doneMessage;
        this.#finish(
          job,
          typeof done === "function" ? done() : (done ?? `${job.jobType} completed`),
          job.options.doneLevel?.() ?? "INFO",
        );
      } catch (error) {
        this.#finish(job, `Process failed: ${(error as Error).message}`, "ERROR");
      }
    }
    if (published > 0) job.lastStepAt = this.now();
    return published;
  }

  #finish(job: RunningJob, message: string, level: NotificationLevel): void {
    job.done = true;
    this.notify(job.jobType, job.id, message, { completed: true, level });
  }
}

/**
 * `responseType` of a job kick-off's `response` on this server, or `undefined` when none is sent:
 * `jobs.kickoffResponseType` of the version's row, at the patch the server reports (the suffix
 * was dropped in 2.42.5 and 2.43.1).
 *
 * @example
 * jobKickoffResponseType(ctx); // "JobConfigurationWebMessageResponse" on 2.42.4.1
 */
export function jobKickoffResponseType(ctx: Ctx): string | undefined {
  const row = ctx.state.behaviour;
  return atPatch(row.jobs.kickoffResponseType, row.minor, ctx.state.versionString);
}

/** What a kick-off carries beyond the job's reference. */
export interface KickoffOptions {
  /** The job's `jobParameters` (e.g. a metadata import's `MetadataImportParams`); left out when absent (NON_NULL). */
  jobParameters?: Record<string, unknown>;
}

/**
 * Answers a job kick-off as DHIS2 2.41–2.43 do (dhis2-core `WebMessageUtils.jobConfigurationReport`):
 * 200, `message: "Initiated <name>"`, `response: { name, id, created, jobType, jobStatus,
 * jobParameters, relativeNotifierEndpoint }` (+ `responseType` per {@link jobKickoffResponseType})
 * and `Location: /system/tasks/<jobType>`. Every controller builds the job with
 * `new JobConfiguration(jobType)`, whose name is `"<JOB_TYPE> (<epoch ms>)"`; its status is
 * `NOT_STARTED` (a once-ASAP job whose status field is still unset, `JobConfiguration.getJobStatus`).
 */
export function answerJobKickoff(ctx: Ctx, ref: JobRef, options: KickoffOptions = {}): void {
  const name = `${ref.jobType} (${ctx.state.clock.now()})`;
  const responseType = jobKickoffResponseType(ctx);
  ctx.webMessage(
    200,
    `Initiated ${name}`,
    {
      response: {
        ...(responseType ? { responseType } : {}),
        name,
        id: ref.id,
        created: ctx.state.timestamp(),
        jobType: ref.jobType,
        jobStatus: "NOT_STARTED",
        ...(options.jobParameters ? { jobParameters: options.jobParameters } : {}),
        relativeNotifierEndpoint: `/api/system/tasks/${ref.jobType}/${ref.id}`,
      },
    },
    { Location: `/system/tasks/${ref.jobType}` },
  );
}

/** The app's task store, created (with its routes) on first use. */
export function taskStore(app: EmulatorApp): TaskStore {
  if (app.extensions.tasks) return app.extensions.tasks;
  const store = new TaskStore(() => app.state.clock.now());
  app.extensions.tasks = store;
  app.get("/api/system/tasks", (ctx) => ctx.json(200, store.all()));
  app.get("/api/system/tasks/:jobType", (ctx) => ctx.json(200, store.byType(ctx.params.jobType ?? "")));
  app.get("/api/system/tasks/:jobType/:id", (ctx) =>
    ctx.json(200, store.poll(ctx.params.jobType ?? "", ctx.params.id ?? "")),
  );
  app.get("/api/system/taskSummaries/:jobType/:id", (ctx) => {
    const summary = store.summary(ctx.params.jobType ?? "", ctx.params.id ?? "");
    // DHIS2 answers an empty body (null) for a job without a summary yet.
    ctx.json(200, summary ?? null);
  });
  return store;
}
