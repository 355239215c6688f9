export {
  type AppOptions,
  type BeforeHook,
  EmulatorApp,
  type EmulatorExtensions,
  type EmulatorModule,
  type Handler,
  type RouteOptions,
} from "./app.js";
export { AuthChain, type AuthOutcome, type BearerValidator } from "./auth.js";
export { type Clock, dhis2Timestamp, fixedClock, type ManualClock, systemClock } from "./clock.js";
export { Ctx, JSON_TYPE, type ResponseStream } from "./ctx.js";
export type { ValidationResultRecord } from "./data/validation-results.js";
export {
  DEFAULT_MAX_REQUEST_RECORDS,
  type Fault,
  type FaultSpec,
  Faults,
  type PathMatcher,
  type RequestRecord,
  Stats,
  type StatsOptions,
} from "./faults.js";
export { type Method, type NormalizedPath, normalizePath, Router } from "./router.js";
export { createSeedContext, type SeedContext } from "./seed/context.js";
export { DEFAULTS, type DemoIds, type SeedStep, seedDemo } from "./seed/demo.js";
export { DEMO_ROLES, DEMO_USERS } from "./seed/users.js";
export {
  createEmulatorApp,
  type RunningEmulator,
  type StartEmulatorOptions,
  startEmulator,
} from "./server.js";
export { EmulatorState, type EmulatorUser, type MetadataObject, MetadataStore } from "./state.js";
export { QUERY_ALIAS_TTL_MS } from "./system/query-alias.js";
export { generateUid, isValidUid, UID_RE } from "./uid.js";
export { VERSION_PROFILES, type VersionKey } from "./versions.js";
export { HttpError, reasonPhrase, type WebMessage, webMessageBody } from "./web-message.js";
