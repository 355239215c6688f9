// The Profile schema/type and the error of profile lookups are the client's; re-exported so that
// code working with profiles imports from one place (the seed imports Profile from core).
export { NoProfileError, Profile } from "@dhis2w/client";
export * from "./client-context.js";
export * from "./oauth2/index.js";
export * from "./profiles/index.js";
export * from "./services/index.js";
export * from "./token-store/index.js";
