export * from "./auth/oauth2.js";
export type { AuthProvider } from "./auth/provider.js";
export { Dhis2ClientError, NoProfileError } from "./errors.js";
export { AuthKind, Profile, profileFromEnvRaw } from "./profile.js";
export * from "./resources/index.js";
