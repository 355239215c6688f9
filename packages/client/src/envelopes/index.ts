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
export { uidFromLocation, WebMessageResponse } from "./web-message.js";
