/**
 * `client.sharing`: who may see and change an object, and its data. One implementation for
 * 2.41-2.43 over dhis2-core `SharingController` (`GET` / `POST /api/sharing?type=&id=`), which
 * the same in the three versions:
 * - a type is shareable when its schema has a persisted `sharing` property (`Schema.isShareable`);
 *   others answer 409 "Type X is not supported.", refused here first;
 * - on a type that is not data-shareable (only aggregateDataExchange, categoryOption, dataSet,
 *   program, programStage, relationshipType, sqlView, trackedEntityType call
 *   `setDataShareable(true)` in their schema descriptors) DHIS2 strips data access without a word,
 *   and it drops users and groups that do not exist: both are refused here before the write;
 * - public and external access are ignored when the user may not set them (`canMakePublic`,
 *   `canMakeExternal`): the answer is read back and a difference is a {@link SharingNotAppliedError}.
 */
import { Dhis2ClientError } from "../errors.js";
import { loadResourceTable } from "../generated/registry.gen.js";
import { Dhis2ApiError } from "../http/errors/api-error.js";
import { checkUid, ObjectNotFoundError } from "../reference-errors.js";
import { didYouMean } from "../resources/errors.js";
import type { ResourceDef } from "../resources/resource-def.js";
import type { VersionKey } from "../versions.js";
import { type AccessString, checkAccessString, hasDataAccess } from "./access-string.js";
import { parseSharing, type Sharing, type SharingEntry } from "./parse.js";

/** What the sharing facade needs from a client; `Dhis2Client` satisfies it. */
export interface SharingHttp {
  getRaw(path: string, options?: { params?: Record<string, string>; signal?: AbortSignal }): Promise<unknown>;
  postRaw(
    path: string,
    body?: unknown,
    options?: { params?: Record<string, string>; signal?: AbortSignal },
  ): Promise<unknown>;
  readonly versionKey: VersionKey;
}

/** What `set` changes; a member left out keeps its current value. */
export interface SharingUpdate {
  readonly public?: AccessString;
  readonly external?: boolean;
  /** Replaces the users' accesses (`[]`: none). */
  readonly users?: readonly { readonly id: string; readonly access: AccessString }[];
  /** Replaces the user groups' accesses (`[]`: none). */
  readonly userGroups?: readonly { readonly id: string; readonly access: AccessString }[];
}

/**
 * A sharing call DHIS2 would refuse or silently change: a type that is not shareable (or no
 * type at all), data access on a type without data sharing, a user or group given twice.
 * Thrown before any request; `field` says which input.
 *
 * @example
 * ```ts
 * try { await client.sharing.get("organisationUnit", uid); }
 * catch (e) { if (e instanceof SharingInputError) console.error(e.field, e.message); }
 * ```
 */
export class SharingInputError extends Dhis2ClientError {
  override readonly name = "SharingInputError" as const;

  constructor(
    message: string,
    /** `"type"`, `"public"`, `"users[0].access"`, `"userGroups[1].id"`, ... */
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * DHIS2 accepted the sharing but kept public or external access as it was, which it does when
 * the user may not make objects of the type public (`F_<TYPE>_PUBLIC_ADD`) or external.
 *
 * @example
 * ```ts
 * try { await client.sharing.set("dataElement", uid, { public: "rw------" }); }
 * catch (e) { if (e instanceof SharingNotAppliedError) console.error(e.field, e.wanted, e.kept); }
 * ```
 */
export class SharingNotAppliedError extends Dhis2ClientError {
  override readonly name = "SharingNotAppliedError" as const;

  constructor(
    message: string,
    readonly field: "public" | "external",
    readonly wanted: string,
    readonly kept: string,
    /** The sharing as DHIS2 stored it. */
    readonly sharing: Sharing,
  ) {
    super(message);
  }
}

/** Types whose schema descriptor calls `setDataShareable(true)` (dhis2-core 2.41.8.1, 2.42.4.1, 2.43.0). */
const DATA_SHAREABLE = new Set([
  "aggregateDataExchange",
  "categoryOption",
  "dataSet",
  "program",
  "programStage",
  "relationshipType",
  "sqlView",
  "trackedEntityType",
]);

interface ShareableType {
  readonly singular: string;
  readonly plural: string;
  readonly dataShareable: boolean;
}

/**
 * Reads and writes the sharing of any shareable object. `type` is DHIS2's name for it, singular
 * (`"dataSet"`, as `/api/sharing` takes it) or plural (`"dataSets"`).
 *
 * @example
 * ```ts
 * const before = await client.sharing.get("dataSet", "BfMAe6Itzgt");
 * await client.sharing.set("dataSet", "BfMAe6Itzgt", { public: "r-------", userGroups: [{ id: "wl5cDMuUhmF", access: "rwrw----" }] });
 * ```
 */
export class SharingApi {
  readonly #http: SharingHttp;

  constructor(http: SharingHttp) {
    this.#http = http;
  }

  async #type(op: string, type: unknown): Promise<ShareableType> {
    if (typeof type !== "string" || type === "") {
      throw new SharingInputError(`${op}: give the object's type, e.g. "dataSet"`, "type");
    }
    const table = await loadResourceTable(this.#http.versionKey);
    const defs = Object.values(table) as ResourceDef[];
    const def = defs.find((d) => d.singular === type || d.plural === type);
    if (!def) {
      const names = defs.filter(shareable).map((d) => d.singular);
      throw new SharingInputError(
        `${op}: "${type}" is no DHIS2 ${this.#http.versionKey} type${didYouMean(type, names)}`,
        "type",
      );
    }
    if (!shareable(def)) {
      throw new SharingInputError(
        `${op}: ${def.singular} objects have no sharing in DHIS2 (its schema has no persisted sharing property; /api/sharing answers "Type ${def.singular} is not supported.")`,
        "type",
      );
    }
    return { singular: def.singular, plural: def.plural, dataShareable: DATA_SHAREABLE.has(def.singular) };
  }

  async #read(op: string, t: ShareableType, uid: string, signal: AbortSignal | undefined): Promise<Sharing> {
    try {
      const raw = await this.#http.getRaw("/api/sharing", {
        params: { type: t.singular, id: uid },
        ...(signal ? { signal } : {}),
      });
      return parseSharing(raw);
    } catch (err) {
      if (err instanceof Dhis2ApiError && err.statusCode === 404) {
        throw new ObjectNotFoundError(op, t.singular, [uid], { cause: err });
      }
      throw err;
    }
  }

  /**
   * The sharing of one object: public and external access, the owner, and the accesses of users
   * and user groups (with their names).
   *
   * @example
   * ```ts
   * const { public: everyone, userGroups } = await client.sharing.get("dataSet", "BfMAe6Itzgt");
   * ```
   */
  async get(type: string, uid: string, options: { signal?: AbortSignal } = {}): Promise<Sharing> {
    const op = "sharing.get";
    const t = await this.#type(op, type);
    return this.#read(op, t, checkUid(op, "uid", uid), options.signal);
  }

  /**
   * Changes the sharing of one object; what `sharing` leaves out stays as it is. Every access
   * string, user and group is checked first (DHIS2 would silently drop unknown users and groups,
   * and data access on types without data sharing); the result is read back.
   *
   * @example
   * ```ts
   * const after = await client.sharing.set("dataSet", "BfMAe6Itzgt", {
   *   public: "r-r-----",
   *   userGroups: [{ id: "wl5cDMuUhmF", access: "rwrw----" }],
   * });
   * ```
   */
  async set(
    type: string,
    uid: string,
    sharing: SharingUpdate,
    options: { signal?: AbortSignal } = {},
  ): Promise<Sharing> {
    const op = "sharing.set";
    const t = await this.#type(op, type);
    const id = checkUid(op, "uid", uid);
    const wanted = checkUpdate(op, t, sharing);
    const { signal } = options;
    const current = await this.#read(op, t, id, signal);
    await this.#mustExist(op, "users", "user", wanted.users, signal);
    await this.#mustExist(op, "userGroups", "userGroup", wanted.userGroups, signal);
    const next = {
      public: wanted.public ?? current.public,
      external: wanted.external ?? current.external,
      users: wanted.users ?? current.users,
      userGroups: wanted.userGroups ?? current.userGroups,
    };
    const entry = (e: SharingEntry) => ({ id: e.id, access: e.access });
    await this.#http.postRaw(
      "/api/sharing",
      {
        object: {
          publicAccess: next.public,
          externalAccess: next.external,
          userAccesses: next.users.map(entry),
          userGroupAccesses: next.userGroups.map(entry),
        },
      },
      { params: { type: t.singular, id }, ...(signal ? { signal } : {}) },
    );
    const stored = await this.#read(op, t, id, signal);
    for (const field of ["public", "external"] as const) {
      if (stored[field] !== next[field]) {
        throw new SharingNotAppliedError(
          `${op}: DHIS2 kept ${field} access ${JSON.stringify(stored[field])} of ${t.singular} ${id} (asked: ${JSON.stringify(next[field])}); the user may not make ${t.singular} objects ${field === "public" ? "public (it needs ALL or the type's F_..._PUBLIC_ADD authority)" : "external"}. Users and groups were set.`,
          field,
          String(next[field]),
          String(stored[field]),
          stored,
        );
      }
    }
    return stored;
  }

  /** DHIS2 drops users and groups it does not have; they are named here instead. */
  async #mustExist(
    op: string,
    plural: "users" | "userGroups",
    singular: string,
    list: readonly SharingEntry[] | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    if (!list || list.length === 0) return;
    const ids = list.map((e) => e.id);
    const raw = (await this.#http.getRaw(`/api/${plural}`, {
      params: { filter: `id:in:[${ids.join(",")}]`, fields: "id", paging: "false" },
      ...(signal ? { signal } : {}),
    })) as Record<string, unknown>;
    const found = new Set(
      (Array.isArray(raw[plural]) ? (raw[plural] as { id?: unknown }[]) : []).map((o) => o.id),
    );
    const missing = ids.filter((i) => !found.has(i));
    if (missing.length > 0) throw new ObjectNotFoundError(op, singular, missing);
  }
}

function shareable(def: ResourceDef): boolean {
  return def.properties.sharing?.persisted === true && def.endpoint !== "";
}

function checkUpdate(op: string, t: ShareableType, sharing: SharingUpdate): SharingUpdate {
  if (typeof sharing !== "object" || sharing === null) {
    throw new SharingInputError(`${op}: give the sharing to set, e.g. { public: "r-------" }`, "sharing");
  }
  const data = (field: string, access: AccessString) => {
    if (!t.dataShareable && hasDataAccess(access)) {
      throw new SharingInputError(
        `${op}: ${field} ${JSON.stringify(access)} grants data access, but ${t.singular} objects have no data sharing (DHIS2 would drop it silently); use "${access.slice(0, 2)}------"`,
        field,
      );
    }
  };
  const out: { -readonly [K in keyof SharingUpdate]: SharingUpdate[K] } = {};
  if (sharing.public !== undefined) {
    out.public = checkAccessString(sharing.public, "public", op);
    data("public", out.public);
  }
  if (sharing.external !== undefined) {
    if (typeof sharing.external !== "boolean") {
      throw new SharingInputError(`${op}: external must be true or false`, "external");
    }
    out.external = sharing.external;
  }
  for (const key of ["users", "userGroups"] as const) {
    const list = sharing[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new SharingInputError(`${op}: ${key} must be an array`, key);
    const seen = new Set<string>();
    out[key] = list.map((e, i) => {
      const where = `${key}[${i}]`;
      const id = checkUid(op, `${where}.id`, e?.id);
      if (seen.has(id)) {
        throw new SharingInputError(
          `${op}: ${where}: ${id} is given twice (DHIS2 keeps one access per ${key === "users" ? "user" : "group"})`,
          `${where}.id`,
        );
      }
      seen.add(id);
      const access = checkAccessString(e.access, `${where}.access`, op);
      data(`${where}.access`, access);
      return { id, access };
    });
  }
  return out;
}

/**
 * Builds `client.sharing` over any client with `getRaw`, `postRaw` and `versionKey` (read at each
 * call, so it can be made before `connect()`).
 *
 * @example
 * ```ts
 * const sharing = createSharing(client);
 * ```
 */
export function createSharing(http: SharingHttp): SharingApi {
  return new SharingApi(http);
}
