/**
 * A tiny in-memory job notifier, after DHIS2's `/api/system/tasks` and `/api/system/taskSummaries`
 * (QUIRKS.md "Wire formats": notifications are a bare JSON array, NEWEST first, the terminal one
 * with `completed: true`). Shared through `app.extensions.tasks`, so other async jobs can use it.
 */
import type { EmulatorApp } from "../app.js";
import { dhis2Timestamp } from "../clock.js";
import { generateUid } from "../uid.js";

/** One notification as DHIS2 serialises it. */
export interface TaskNotification {
  uid: string;
  level: "INFO" | "WARN" | "ERROR" | "LOOP" | "DEBUG";
  category: string;
  time: string;
  message: string;
  completed: boolean;
  id: string;
  dataType?: string;
}

declare module "../app.js" {
  interface EmulatorExtensions {
    tasks?: TaskStore;
  }
}

/** Notifications and summaries by job type and job id. */
export class TaskStore {
  readonly #notes = new Map<string, TaskNotification[]>();
  readonly #summaries = new Map<string, unknown>();

  constructor(readonly now: () => number) {}

  /** Adds a notification (kept newest first). */
  notify(
    jobType: string,
    id: string,
    message: string,
    opts: { completed?: boolean; level?: TaskNotification["level"] } = {},
  ): void {
    const key = `${jobType}/${id}`;
    const list = this.#notes.get(key) ?? [];
    list.unshift({
      uid: generateUid(),
      level: opts.level ?? "INFO",
      category: jobType,
      time: dhis2Timestamp(this.now()),
      message,
      completed: opts.completed ?? false,
      id,
    });
    this.#notes.set(key, list);
  }

  /** Stores the job's summary (the import summary of a data value import). */
  summarize(jobType: string, id: string, summary: unknown): void {
    this.#summaries.set(`${jobType}/${id}`, summary);
  }

  notifications(jobType: string, id: string): TaskNotification[] {
    return this.#notes.get(`${jobType}/${id}`) ?? [];
  }

  summary(jobType: string, id: string): unknown {
    return this.#summaries.get(`${jobType}/${id}`);
  }

  /** Every job of a type with its notifications (`GET /api/system/tasks/{jobType}`). */
  byType(jobType: string): Record<string, TaskNotification[]> {
    const out: Record<string, TaskNotification[]> = {};
    for (const [key, list] of this.#notes)
      if (key.startsWith(`${jobType}/`)) out[key.slice(jobType.length + 1)] = list;
    return out;
  }
}

/** The app's task store, created (with its routes) on first use. */
export function taskStore(app: EmulatorApp): TaskStore {
  if (app.extensions.tasks) return app.extensions.tasks;
  const store = new TaskStore(() => app.state.clock.now());
  app.extensions.tasks = store;
  app.get("/api/system/tasks/:jobType", (ctx) => ctx.json(200, store.byType(ctx.params.jobType ?? "")));
  app.get("/api/system/tasks/:jobType/:id", (ctx) =>
    ctx.json(200, store.notifications(ctx.params.jobType ?? "", ctx.params.id ?? "")),
  );
  app.get("/api/system/taskSummaries/:jobType/:id", (ctx) => {
    const summary = store.summary(ctx.params.jobType ?? "", ctx.params.id ?? "");
    // DHIS2 answers an empty body (null) for a job without a summary yet.
    ctx.json(200, summary ?? null);
  });
  return store;
}
