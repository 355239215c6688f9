/**
 * The capture scope as DHIS2 caches it (QUIRKS: "the scope is cached per session"), read in
 * dhis2-core 2.41.8.1, 2.42.4.1 and 2.43.0:
 * - `/api/dataValues` (one value; GET, POST, DELETE) asks `OrganisationUnitService
 *   .isInUserHierarchyCached(user, ou)`: the answer is kept per username and org unit for an hour
 *   after it was computed (`createInUserOrgUnitHierarchyCache`, `expireAfterWrite(1, HOURS)`), a
 *   refusal is 409 E2020 "Organisation unit is not in the hierarchy of the current user". 2.43
 *   writes single values through `DataEntryService` (a SQL check, uncached, E8011) instead.
 * - `/api/dataValueSets` on 2.42 takes the org units of the request's `UserDetails`
 *   (`DefaultDataValueSetService.createDataValueImportContext`: `currentUser.getUserOrgUnitIds()`).
 *   Those are built at login and kept with the session, and for a personal access token in
 *   `ApiTokenAuthManager`'s cache for an hour (`createApiKeyCache`, dropped only when the token is
 *   deleted). 2.41 reads the user from the database per import, 2.43 checks with SQL: no cache.
 *   Basic auth without a session cookie authenticates every request afresh (the emulator sets no
 *   cookies), so there only the token cache shows.
 * Neither cache is dropped when a user's org units change (`UserObjectBundleHook` invalidates
 * sessions only when roles or the password change); `POST /api/maintenance/cacheClear` publishes
 * `ApplicationCacheClearedEvent`, on which `DefaultCacheProvider` empties every cache. Which
 * cache a version has is `dataValues.captureScopeCaches` of its row in the client's version table.
 */
import { hashToken } from "../api-tokens.js";
import type { EmulatorApp } from "../app.js";
import type { Ctx } from "../ctx.js";

declare module "../app.js" {
  interface EmulatorExtensions {
    /** The server-side caches of users' capture scopes. */
    captureScope?: CaptureScopeCache;
  }
}

const HOUR_MS = 3_600_000;

/** The two caches; `clear()` is what `/api/maintenance/cacheClear` does to them. */
export class CaptureScopeCache {
  readonly #hierarchy = new Map<string, { value: boolean; at: number }>();
  readonly #tokens = new Map<string, { orgUnits: readonly string[]; at: number }>();

  /** The cached "is `ou` in the user's hierarchy" answer, computed when missing or an hour old. */
  inHierarchy(username: string, ou: string, now: number, compute: () => boolean): boolean {
    const key = `${username}-${ou}`;
    const hit = this.#hierarchy.get(key);
    if (hit && now - hit.at < HOUR_MS) return hit.value;
    const value = compute();
    this.#hierarchy.set(key, { value, at: now });
    return value;
  }

  /** The org units a token's cached `UserDetails` carry, taken from `current` when missing or stale. */
  tokenScope(tokenHash: string, now: number, current: () => readonly string[]): readonly string[] {
    const hit = this.#tokens.get(tokenHash);
    if (hit && now - hit.at < HOUR_MS) return hit.orgUnits;
    const orgUnits = [...current()];
    this.#tokens.set(tokenHash, { orgUnits, at: now });
    return orgUnits;
  }

  clear(): void {
    this.#hierarchy.clear();
    this.#tokens.clear();
  }
}

/** The app's cache (created on first use). */
export function captureScopeCache(app: EmulatorApp): CaptureScopeCache {
  app.extensions.captureScope ??= new CaptureScopeCache();
  return app.extensions.captureScope;
}

/** The capture org units a data value set import of this request sees. */
export function importCaptureRoots(ctx: Ctx): Set<string> {
  const user = ctx.user;
  const live = () => user?.organisationUnits ?? [];
  const header = ctx.header("authorization") ?? "";
  if (
    !user ||
    ctx.authScheme !== "apiToken" ||
    !ctx.state.behaviour.dataValues.captureScopeCaches.apiTokenUserDetails
  ) {
    return new Set(live());
  }
  const token = header.slice(header.indexOf(" ") + 1).trim();
  return new Set(captureScopeCache(ctx.app).tokenScope(hashToken(token), ctx.state.clock.now(), live));
}

/**
 * Whether a single-value request may touch `ou`: on versions with the hierarchy cache, the
 * cached answer; elsewhere (and without a user) `undefined`, so the caller checks as before.
 */
export function singleValueInHierarchy(ctx: Ctx, ou: string, compute: () => boolean): boolean | undefined {
  const user = ctx.user;
  if (!user || !ctx.state.behaviour.dataValues.captureScopeCaches.singleValueHierarchy) return undefined;
  return captureScopeCache(ctx.app).inHierarchy(user.username, ou, ctx.state.clock.now(), compute);
}
