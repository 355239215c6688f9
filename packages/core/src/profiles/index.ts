export * from "./atomic-write.js";
export * from "./errors.js";
export * from "./paths.js";
export {
  profileSecrets,
  REDACTED,
  redactProfile,
  SECRET_PROFILE_FIELDS,
  scrubSecrets,
} from "./redact.js";
export * from "./resolve.js";
export * from "./service.js";
export { loadCatalog, type ProfileCatalog, type ProfileWriteResult } from "./store.js";
export {
  type ProfileEntry,
  type ProfilesDocument,
  parseProfilesText,
  profileToToml,
  readProfilesFile,
  TOML_TO_PROFILE_KEY,
} from "./toml-file.js";
export * from "./verify.js";
