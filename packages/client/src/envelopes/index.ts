export {
  Conflict,
  ErrorReport,
  ImportCount,
  ImportReport,
  ImportStats,
  ObjectReport,
  TaskRef,
  TypeReport,
  WebMessage,
} from "./schemas.js";
export { WebMessageResponse } from "./web-message.js";
