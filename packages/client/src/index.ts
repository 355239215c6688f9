export * from "./analytics/index.js";
export * from "./apps/index.js";
export { BasicAuth } from "./auth/basic.js";
export * from "./auth/oauth2.js";
export { PatAuth } from "./auth/pat.js";
export type { AuthProvider } from "./auth/provider.js";
export {
  type ClientNotice,
  Dhis2Client,
  type Dhis2ClientOptions,
  type RawResponse,
  type RequestOptions,
} from "./client.js";
export * from "./data-store/index.js";
export * from "./data-values/index.js";
export * from "./envelopes/index.js";
export { Dhis2ClientError, NoProfileError } from "./errors.js";
export * from "./expressions/index.js";
export * from "./files/index.js";
export * from "./http/errors/index.js";
export type { QueryParams, QueryValue } from "./http/params.js";
export type { FetchLike, RequestEvent, ResponseEvent, SleepLike } from "./http/pipeline.js";
export { parseRetryAfter, RetryPolicy, type RetryPolicyOptions } from "./http/retry.js";
export { ImportOutcomeUnknownError, type WriteOutcome, writeOutcomeOf } from "./import-outcome.js";
export { addOp, copyOp, type JsonPatchOp, moveOp, removeOp, replaceOp, testOp } from "./json-patch.js";
export * from "./maintenance/index.js";
export * from "./messaging/index.js";
export { type OpenClientOptions, openClient, openClientWithAuth } from "./open-client.js";
export * from "./organisation-units/index.js";
export * from "./periods.js";
export * from "./predictors/index.js";
export { AuthKind, Profile, profileFromEnvRaw } from "./profile.js";
export {
  checkUid,
  checkUids,
  InvalidUidError,
  ObjectNotFoundError,
} from "./reference-errors.js";
export * from "./resources/index.js";
export * from "./sharing/index.js";
export * from "./sql-views/index.js";
export type { StandardSchemaV1 } from "./standard-schema.js";
export { Me, MeRef, SystemInfo } from "./system/schemas.js";
export { type SettingValue, SystemApi } from "./system/system.js";
export * from "./tasks/index.js";
export * from "./tracker/index.js";
export { generateUid, generateUids, isValidUid, UID_RE } from "./uid.js";
export * from "./users/index.js";
export * from "./validation/index.js";
export {
  atPatch,
  type ByPatch,
  type CorsBehaviour,
  type DataStoreBehaviour,
  type DataValuesBehaviour,
  isVersionKey,
  type JobsBehaviour,
  type MetadataBehaviour,
  type OAuth2Behaviour,
  type ParsedDhis2Version,
  parseDhis2Version,
  type ReferenceBuild,
  resolveVersionKey,
  SUPPORTED_VERSIONS,
  type SystemInfoBehaviour,
  type SystemSettingsBehaviour,
  type TrackerBehaviour,
  type ValidationBehaviour,
  VERSION_KEYS,
  type VersionBehaviour,
  type VersionKey,
  versionBehaviour,
} from "./versions.js";
