import type { TaskRef } from "../envelopes/schemas.js";
import { Dhis2ClientError } from "../errors.js";
import type { TaskNotification } from "./schemas.js";

/**
 * A job did not report `completed: true` within the wait's `timeoutMs`. The job itself keeps
 * running on the server; `notifications` holds what was seen so far (oldest first).
 *
 * @example
 * ```ts
 * try { await client.tasks.awaitCompletion(ref, { timeoutMs: 60_000 }); }
 * catch (e) { if (e instanceof TaskTimeoutError) console.log(e.notifications.at(-1)?.message); }
 * ```
 */
export class TaskTimeoutError extends Dhis2ClientError {
  override readonly name: string = "TaskTimeoutError";
  readonly ref: TaskRef;
  readonly timeoutMs: number;
  readonly notifications: readonly TaskNotification[];

  constructor(ref: TaskRef, timeoutMs: number, notifications: readonly TaskNotification[]) {
    const last = notifications.at(-1);
    super(
      `job ${ref.jobType}/${ref.id} did not complete within ${timeoutMs} ms` +
        (last ? ` (last notification: ${JSON.stringify(last.message)})` : " (no notifications yet)"),
    );
    this.ref = ref;
    this.timeoutMs = timeoutMs;
    this.notifications = notifications;
  }
}
