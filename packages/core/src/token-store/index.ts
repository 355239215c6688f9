export { TokenStoreError, type TokenStoreProblem } from "./errors.js";
export { TOKENS_FILE_NAME, type TokenStoreLocation, tokenStoreForScope, tokenStorePath } from "./paths.js";
export {
  DEFAULT_LOCK_TTL_MS,
  SqliteTokenStore,
  type SqliteTokenStoreOptions,
  type TokenScope,
  type TokenStoreCallOptions,
} from "./sqlite-token-store.js";
