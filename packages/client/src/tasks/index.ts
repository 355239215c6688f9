export { TaskTimeoutError } from "./errors.js";
export { formatTaskRef, parseTaskRef, type TaskRefInput } from "./ref.js";
export { type TaskCompletion, TaskNotification } from "./schemas.js";
export {
  type AwaitCompletionOptions,
  createTasks,
  type PollOptions,
  type TaskSummary,
  Tasks,
  type TasksHttp,
  type TasksOptions,
} from "./tasks.js";
