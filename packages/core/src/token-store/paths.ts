import path from "node:path";
import { findProjectProfilesPath, globalConfigDir, PROJECT_DIR_NAME } from "../profiles/paths.js";
import { SqliteTokenStore, type SqliteTokenStoreOptions, type TokenScope } from "./sqlite-token-store.js";

/** The token file's name, next to `profiles.toml`. */
export const TOKENS_FILE_NAME = "tokens.sqlite";

/** Where to look for the profile file whose folder holds the tokens. */
export interface TokenStoreLocation {
  /** Folder the walk up for `.dhis2/profiles.toml` starts from (project scope). Default `process.cwd()`. */
  start?: string;
  /** The user-global config folder. Default `$XDG_CONFIG_HOME/dhis2`, else `$HOME/.config/dhis2`. */
  globalDir?: string;
  env?: Record<string, string | undefined>;
}

/**
 * The token file of a scope: next to the profile file that defines the profiles of that scope,
 * i.e. `<global config dir>/tokens.sqlite`, or the nearest `.dhis2/tokens.sqlite` walking up from
 * `start` (else `<start>/.dhis2/tokens.sqlite`).
 *
 * @example
 * ```ts
 * tokenStorePath("project", { start: "/repo/sub" }); // "/repo/.dhis2/tokens.sqlite" when /repo/.dhis2/profiles.toml exists
 * ```
 */
export function tokenStorePath(scope: TokenScope, location: TokenStoreLocation = {}): string {
  if (scope === "global") return path.join(globalConfigDir(location), TOKENS_FILE_NAME);
  const profiles = findProjectProfilesPath(location);
  const dir = profiles
    ? path.dirname(profiles)
    : path.join(path.resolve(location.start ?? process.cwd()), PROJECT_DIR_NAME);
  return path.join(dir, TOKENS_FILE_NAME);
}

/**
 * The SQLite token store of a scope (see {@link tokenStorePath}); the file is created on first
 * use with mode 0600 (its folder 0700).
 *
 * @example
 * ```ts
 * const store = tokenStoreForScope("global");
 * const token = await store.get("my-oauth-profile");
 * ```
 */
export function tokenStoreForScope(
  scope: TokenScope,
  options: TokenStoreLocation & Omit<SqliteTokenStoreOptions, "path" | "scope"> = {},
): SqliteTokenStore {
  const { start, globalDir, env, ...storeOptions } = options;
  const location: TokenStoreLocation = {};
  if (start !== undefined) location.start = start;
  if (globalDir !== undefined) location.globalDir = globalDir;
  if (env !== undefined) location.env = env;
  return new SqliteTokenStore({ ...storeOptions, path: tokenStorePath(scope, location), scope });
}
