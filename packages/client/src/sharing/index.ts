export {
  ACCESS,
  type AccessParts,
  type AccessString,
  accessString,
  checkAccessString,
  hasDataAccess,
  InvalidAccessStringError,
  isAccessString,
  parseAccessString,
} from "./access-string.js";
export { parseSharing, type Sharing, type SharingEntry } from "./parse.js";
export {
  createSharing,
  SharingApi,
  type SharingHttp,
  SharingInputError,
  SharingNotAppliedError,
  type SharingUpdate,
} from "./sharing.js";
