export { TokenStoreError, type TokenStoreProblem } from "./errors.js";
export { TOKENS_FILE_NAME, type TokenStoreLocation, tokenStoreForScope, tokenStorePath } from "./paths.js";
export { SqliteTokenStore, type SqliteTokenStoreOptions, type TokenScope } from "./sqlite-token-store.js";
