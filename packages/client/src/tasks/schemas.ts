/**
 * Job notifications as `/api/system/tasks/{jobType}/{id}` serves them: a bare array, newest first.
 * Fields after dhis2-core `org.hisp.dhis.system.notification.Notification` (`uid`, `level`,
 * `category`, `time`, `message`, `completed`, `dataType`, `data`); tolerant: every field is
 * optional except `message`/`completed`, which default, and unknown keys are kept.
 */
import * as z from "zod";

/** One job notification. `level` is DHIS2's `NotificationLevel` (`INFO`, `WARN`, `ERROR`, ...). */
export const TaskNotification = z.looseObject({
  uid: z.string().optional(),
  level: z.string().optional(),
  category: z.string().optional(),
  time: z.string().optional(),
  message: z.string().catch("").default(""),
  completed: z.boolean().catch(false).default(false),
  dataType: z.string().nullish(),
  data: z.unknown().optional(),
});
export type TaskNotification = z.infer<typeof TaskNotification>;

/** What `awaitCompletion` resolves to. */
export interface TaskCompletion {
  /** The final notification's level (`INFO`, `ERROR`, ...; `"INFO"` when the server gave none). */
  readonly level: string;
  /** The final notification's message. */
  readonly message: string;
  /** Every notification seen, oldest first, each once. */
  readonly notifications: readonly TaskNotification[];
  /** The terminal notification (`completed: true`). */
  readonly final: TaskNotification;
}
