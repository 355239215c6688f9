/**
 * `client.users`: user accounts and their access, over the endpoints DHIS2's own Users app uses
 * (dhis2/user-app): JSON Patch `add` of whole lists on `/api/users/{uid}` for org units
 * (`UserForm/getJsonPatch.js`), group membership as a collection item, and dhis2-core
 * `UserController`'s `POST /api/users/{uid}/disabled|enabled` (204, all of 2.41-2.43).
 *
 * What DHIS2 does not say is checked here: a collection item that does not exist is ignored
 * with a 200 (dhis2-core `DefaultCollectionService.updateCollectionItems` only visits the items
 * it finds), so a TypeReport with nothing counted means the user does not exist; org units are
 * looked up before a user's lists are written.
 *
 * The capture scope is cached by the server (dhis2-core `DefaultOrganisationUnitService
 * .isInUserHierarchyCached`, one hour per user and org unit, used by `/api/dataValues`; 2.42's
 * data value import reads it from the session's or API token's `UserDetails`, the token's kept an
 * hour by `ApiTokenAuthManager`). Neither is dropped when a user's org units change; only
 * `/api/maintenance/cacheClear` (`ApplicationCacheClearedEvent`) empties them. So when the
 * connected user's own capture scope changes, `assignOrganisationUnits` clears the caches, and
 * the next data write sees the new scope at once.
 */

import { Dhis2ApiError } from "../http/errors/api-error.js";
import { isObject } from "../is-object.js";
import { checkUid, checkUids, ObjectNotFoundError } from "../reference-errors.js";
import { isValidUid } from "../uid.js";
import {
  ids,
  type OrganisationUnitScopes,
  SCOPES,
  type Scope,
  statsOf,
  summary,
  USER_FIELDS,
  type UserOrganisationUnits,
  type UserSummary,
  UsersInputError,
  type UsersListOptions,
} from "./types.js";

export {
  type OrganisationUnitScopes,
  type UserOrganisationUnits,
  type UserSummary,
  UsersInputError,
  type UsersListOptions,
} from "./types.js";

type Params = Record<string, string | readonly string[]>;
type Opts = { params?: Params; signal?: AbortSignal };

/** What the users facade needs from a client; `Dhis2Client` satisfies it. */
export interface UsersHttp {
  getRaw(path: string, options?: Opts): Promise<unknown>;
  postRaw(path: string, body?: unknown, options?: Opts): Promise<unknown>;
  patchRaw(path: string, ops: unknown, options?: Opts): Promise<unknown>;
  deleteRaw(path: string, options?: Opts): Promise<unknown>;
}

const is404 = (err: unknown) => err instanceof Dhis2ApiError && err.statusCode === 404;
const sig = (signal: AbortSignal | undefined) => (signal ? { signal } : {});

/**
 * User accounts: list and look up, assign org units, manage group membership, disable and
 * enable. Every UID is checked before any request; users, groups and org units that do not
 * exist are an {@link ObjectNotFoundError}.
 *
 * @example
 * ```ts
 * const admin = await client.users.get("admin");
 * await client.users.assignOrganisationUnits(admin.id, { capture: ["ImspTQPwCqd"] });
 * await client.users.addToGroup(admin.id, "wl5cDMuUhmF");
 * ```
 */
export class UsersApi {
  readonly #http: UsersHttp;
  #me: Promise<string> | undefined;

  constructor(http: UsersHttp) {
    this.#http = http;
  }

  /**
   * Every user (or those matching `query` / `filters`), page after page, ordered by username.
   *
   * @example
   * ```ts
   * for await (const u of client.users.list({ query: "traore" })) console.log(u.username, u.organisationUnits);
   * ```
   */
  list(options: UsersListOptions = {}): AsyncIterable<UserSummary> {
    const pageSize = options.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new UsersInputError(
        `users.list: pageSize must be a positive integer, got ${String(pageSize)}`,
        "pageSize",
      );
    }
    const http = this.#http;
    const params: Params = {
      fields: USER_FIELDS,
      order: "username:asc",
      pageSize: String(pageSize),
      ...(options.query !== undefined ? { query: options.query } : {}),
      ...(options.filters?.length ? { filter: options.filters } : {}),
    };
    return {
      async *[Symbol.asyncIterator]() {
        for (let page = 1; ; page++) {
          const raw = (await http.getRaw("/api/users", {
            params: { ...params, page: String(page) },
            ...sig(options.signal),
          })) as { users?: unknown[]; pager?: { pageCount?: number } };
          const users = Array.isArray(raw.users) ? raw.users : [];
          for (const u of users) yield summary(u);
          const pageCount = raw.pager?.pageCount;
          if (users.length < pageSize || (typeof pageCount === "number" && page >= pageCount)) return;
        }
      },
    };
  }

  /**
   * One user by UID or username.
   *
   * @example
   * ```ts
   * const { id, organisationUnits } = await client.users.get("admin");
   * ```
   */
  async get(userOrUsername: string, options: { signal?: AbortSignal } = {}): Promise<UserSummary> {
    const op = "users.get";
    if (typeof userOrUsername !== "string" || userOrUsername.trim() === "") {
      throw new UsersInputError(`${op}: give a username or a user UID`, "user");
    }
    if (isValidUid(userOrUsername)) {
      try {
        return summary(
          await this.#http.getRaw(`/api/users/${userOrUsername}`, {
            params: { fields: USER_FIELDS },
            ...sig(options.signal),
          }),
        );
      } catch (err) {
        if (!is404(err)) throw err;
      }
    }
    const raw = (await this.#http.getRaw("/api/users", {
      params: { filter: `username:eq:${userOrUsername}`, fields: USER_FIELDS, paging: "false" },
      ...sig(options.signal),
    })) as { users?: unknown[] };
    const found = Array.isArray(raw.users) ? raw.users : [];
    if (found.length === 0) throw new ObjectNotFoundError(op, "user", [userOrUsername]);
    return summary(found[0]);
  }

  async #summary(op: string, uid: string, signal: AbortSignal | undefined): Promise<UserSummary> {
    try {
      return summary(
        await this.#http.getRaw(`/api/users/${uid}`, { params: { fields: USER_FIELDS }, ...sig(signal) }),
      );
    } catch (err) {
      if (is404(err)) throw new ObjectNotFoundError(op, "user", [uid], { cause: err });
      throw err;
    }
  }

  /** The connected user's UID (asked once). */
  #myId(signal: AbortSignal | undefined): Promise<string> {
    this.#me ??= (async () => {
      const raw = await this.#http.getRaw("/api/me", { params: { fields: "id" }, ...sig(signal) });
      return isObject(raw) && typeof raw.id === "string" ? raw.id : "";
    })().catch((err: unknown) => {
      this.#me = undefined;
      throw err;
    });
    return this.#me;
  }

  /**
   * Gives a user org units for data capture, data view and tracker search. By default the
   * units are added to what the user has; `replace: true` makes each list given exactly that
   * (lists left out stay as they are). When the connected user's own capture scope changes, the
   * server's caches are cleared (`POST /api/maintenance/cacheClear`, which needs `ALL` or
   * `F_PERFORM_MAINTENANCE`) so its next data write sees the new scope; `clearCache` forces
   * (`true`) or skips (`false`) that.
   *
   * @example
   * ```ts
   * const me = await client.users.get("admin");
   * await client.users.assignOrganisationUnits(me.id, { capture: ["ImspTQPwCqd"], view: ["ImspTQPwCqd"] });
   * await client.dataValues.import({ dataValues: [...] }); // lands at once
   * ```
   */
  async assignOrganisationUnits(
    userUid: string,
    units: OrganisationUnitScopes,
    options: { replace?: boolean; clearCache?: boolean; signal?: AbortSignal } = {},
  ): Promise<UserOrganisationUnits> {
    const op = "users.assignOrganisationUnits";
    const user = checkUid(op, "userUid", userUid);
    if (typeof units !== "object" || units === null) {
      throw new UsersInputError(`${op}: give { capture, view, search } lists of org unit UIDs`, "units");
    }
    const given = (Object.keys(SCOPES) as Scope[]).filter((s) => units[s] !== undefined);
    if (given.length === 0) {
      throw new UsersInputError(`${op}: give at least one of capture, view, search`, "units");
    }
    const wanted = new Map<Scope, string[]>(given.map((s) => [s, checkUids(op, s, units[s])]));
    const { signal } = options;
    const current = await this.#summary(op, user, signal);
    const all = [...new Set([...wanted.values()].flat())];
    await this.#orgUnitsExist(op, all, signal);

    const next = new Map<Scope, string[]>();
    const changed: Scope[] = [];
    for (const s of Object.keys(SCOPES) as Scope[]) {
      const have = [...current[SCOPES[s]]];
      const asked = wanted.get(s);
      const list =
        asked === undefined
          ? have
          : options.replace
            ? [...new Set(asked)]
            : [...new Set([...have, ...asked])];
      next.set(s, list);
      if (asked !== undefined && !sameSet(have, list)) changed.push(s);
    }
    if (changed.length > 0) {
      // The Users app's own form: one `add` of the whole list per changed property.
      const ops = changed.map((s) => ({
        op: "add",
        path: `/${SCOPES[s]}`,
        value: next.get(s)!.map((id) => ({ id })),
      }));
      await this.#http.patchRaw(`/api/users/${user}`, ops, sig(signal));
    }
    let cacheCleared = false;
    const captureChanged = changed.includes("capture");
    const clear = options.clearCache ?? (captureChanged && (await this.#myId(signal)) === user);
    if (clear) cacheCleared = await this.#clearCaches(signal);
    return {
      user,
      capture: next.get("capture")!,
      view: next.get("view")!,
      search: next.get("search")!,
      changed,
      cacheCleared,
    };
  }

  /** `POST /api/maintenance/cacheClear`; false when the user may not (401/403). */
  async #clearCaches(signal: AbortSignal | undefined): Promise<boolean> {
    try {
      await this.#http.postRaw("/api/maintenance/cacheClear", undefined, sig(signal));
      return true;
    } catch (err) {
      if (err instanceof Dhis2ApiError && (err.statusCode === 403 || err.statusCode === 401)) return false;
      throw err;
    }
  }

  async #orgUnitsExist(op: string, uids: readonly string[], signal: AbortSignal | undefined): Promise<void> {
    if (uids.length === 0) return;
    const raw = (await this.#http.getRaw("/api/organisationUnits", {
      params: { filter: `id:in:[${uids.join(",")}]`, fields: "id", paging: "false" },
      ...sig(signal),
    })) as { organisationUnits?: unknown[] };
    const found = new Set(ids(raw.organisationUnits));
    const missing = uids.filter((u) => !found.has(u));
    if (missing.length > 0) throw new ObjectNotFoundError(op, "organisationUnit", missing);
  }

  async #membership(
    op: string,
    add: boolean,
    userUid: string,
    groupUid: string,
    signal: AbortSignal | undefined,
  ): Promise<{ changed: boolean }> {
    const user = checkUid(op, "userUid", userUid);
    const group = checkUid(op, "groupUid", groupUid);
    // The owning side (UserGroup.users); dhis2-core `AbstractCrudController.addCollectionItem`.
    const path = `/api/userGroups/${group}/users/${user}`;
    let raw: unknown;
    try {
      raw = add
        ? await this.#http.postRaw(path, undefined, sig(signal))
        : await this.#http.deleteRaw(path, sig(signal));
    } catch (err) {
      if (is404(err)) throw new ObjectNotFoundError(op, "userGroup", [group], { cause: err });
      throw err;
    }
    const stats = statsOf(raw);
    const done = add ? stats.updated : stats.deleted;
    // Nothing counted at all: DHIS2 found no user with that UID and ignored it.
    if (done === 0 && stats.ignored === 0) throw new ObjectNotFoundError(op, "user", [user]);
    return { changed: done > 0 };
  }

  /**
   * Adds a user to a user group; `changed: false` when it was a member already.
   *
   * @example
   * ```ts
   * await client.users.addToGroup("M5zQapPyTZI", "wl5cDMuUhmF");
   * ```
   */
  addToGroup(
    userUid: string,
    groupUid: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ changed: boolean }> {
    return this.#membership("users.addToGroup", true, userUid, groupUid, options.signal);
  }

  /**
   * Removes a user from a user group; `changed: false` when it was no member.
   *
   * @example
   * ```ts
   * await client.users.removeFromGroup("M5zQapPyTZI", "wl5cDMuUhmF");
   * ```
   */
  removeFromGroup(
    userUid: string,
    groupUid: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ changed: boolean }> {
    return this.#membership("users.removeFromGroup", false, userUid, groupUid, options.signal);
  }

  async #setDisabled(op: string, uid: string, disabled: boolean, signal: AbortSignal | undefined) {
    const user = checkUid(op, "uid", uid);
    const before = await this.#summary(op, user, signal);
    await this.#http.postRaw(
      `/api/users/${user}/${disabled ? "disabled" : "enabled"}`,
      undefined,
      sig(signal),
    );
    return { changed: before.disabled !== disabled };
  }

  /**
   * Disables a user account: it can no longer log in (DHIS2 also ends its sessions).
   *
   * @example
   * ```ts
   * const { changed } = await client.users.disable("DXyJmlo9rge");
   * ```
   */
  disable(uid: string, options: { signal?: AbortSignal } = {}): Promise<{ changed: boolean }> {
    return this.#setDisabled("users.disable", uid, true, options.signal);
  }

  /**
   * Enables a disabled user account again.
   *
   * @example
   * ```ts
   * await client.users.enable("DXyJmlo9rge");
   * ```
   */
  enable(uid: string, options: { signal?: AbortSignal } = {}): Promise<{ changed: boolean }> {
    return this.#setDisabled("users.enable", uid, false, options.signal);
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/**
 * Builds `client.users` over any client with the raw methods.
 *
 * @example
 * ```ts
 * const users = createUsers(client);
 * ```
 */
export function createUsers(http: UsersHttp): UsersApi {
  return new UsersApi(http);
}
