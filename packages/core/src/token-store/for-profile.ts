/**
 * Which token store, and which key in it, an OAuth2 profile uses. One rule for `openClient` and
 * `loginProfile`, so a login stores the token exactly where a later `openClient` looks:
 * 1. an explicit `tokenStore` (keyed by `profileName`, else the resolved profile's name);
 * 2. a profile returned by `resolveProfile` (and no other `profileName` or `scope` asked for):
 *    the `tokens.sqlite` next to the `profiles.toml` it was read from, keyed by its name;
 * 3. `profileName`: `tokenStoreForScope(scope ?? "global")`, keyed by it;
 * 4. none of these: an in-memory profile, whose token lives in memory only (`undefined`).
 */
import path from "node:path";
import { Dhis2ClientError, type Profile, type TokenStore } from "@dhis2w/client";
import { originOf } from "../profiles/provenance.js";
import { TOKENS_FILE_NAME, type TokenStoreLocation, tokenStoreForScope } from "./paths.js";
import { SqliteTokenStore, type TokenScope } from "./sqlite-token-store.js";

/** What decides the store (the token part of core's `openClient` options). */
export interface TokenStoreChoice extends TokenStoreLocation {
  profileName?: string | undefined;
  scope?: TokenScope | undefined;
  tokenStore?: TokenStore | undefined;
}

/** A store and the key of the profile's token in it. */
export interface ProfileTokenStore {
  store: TokenStore;
  key: string;
}

/** The store of `profile` (see the rules above); `undefined` for an in-memory profile. */
export function tokenStoreForProfile(
  profile: Profile,
  choice: TokenStoreChoice,
): ProfileTokenStore | undefined {
  const { profileName, scope, tokenStore, start, globalDir, env } = choice;
  const origin = originOf(profile);
  if (tokenStore) {
    const key = profileName ?? origin?.name;
    if (key === undefined) {
      throw new Dhis2ClientError(
        "openClient: a tokenStore needs { profileName } (the key of the token in it)",
      );
    }
    return { store: tokenStore, key };
  }
  if (
    origin?.name !== undefined &&
    origin.path !== undefined &&
    origin.scope !== undefined &&
    scope === undefined &&
    (profileName === undefined || profileName === origin.name)
  ) {
    const file = path.join(path.dirname(origin.path), TOKENS_FILE_NAME);
    return { store: new SqliteTokenStore({ path: file, scope: origin.scope }), key: origin.name };
  }
  if (profileName === undefined) return undefined;
  const location: TokenStoreLocation = {};
  if (start !== undefined) location.start = start;
  if (globalDir !== undefined) location.globalDir = globalDir;
  if (env !== undefined) location.env = env;
  return { store: tokenStoreForScope(scope ?? "global", location), key: profileName };
}
