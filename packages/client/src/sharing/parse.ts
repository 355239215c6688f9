/**
 * DHIS2 shows an object's sharing in two shapes, both read here into one {@link Sharing}:
 * - `/api/sharing?type=&id=` (dhis2-core `SharingController`, the `webapi.webdomain.sharing`
 *   classes): `{ meta, object: { publicAccess, externalAccess, user, userAccesses: [{ id, name,
 *   access }], userGroupAccesses: [...] } }`;
 * - the object's own `sharing` block, 2.36+ (`org.hisp.dhis.user.sharing.Sharing`, e.g.
 *   `GET /api/dataSets/{uid}?fields=sharing`): `{ owner, external, public, users: { <uid>: { id,
 *   access } }, userGroups: { ... } }`.
 */
import { Dhis2ClientError } from "../errors.js";
import { isObject } from "../is-object.js";
import type { AccessString } from "./access-string.js";

/** One user's or user group's access. */
export interface SharingEntry {
  readonly id: string;
  readonly access: AccessString;
  /** The display name, when the answer carried one (`/api/sharing` does). */
  readonly name?: string;
}

/**
 * An object's sharing, whichever shape DHIS2 sent.
 *
 * @example
 * ```ts
 * const s = await client.sharing.get("dataSet", "BfMAe6Itzgt");
 * console.log(s.public, s.users.map((u) => `${u.id} ${u.access}`));
 * ```
 */
export interface Sharing {
  /** Access of everyone who is logged in. */
  readonly public: AccessString;
  /** Visible without logging in (external access). */
  readonly external: boolean;
  /** The owner's UID (`createdBy`), when there is one. */
  readonly owner?: string;
  readonly users: readonly SharingEntry[];
  readonly userGroups: readonly SharingEntry[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function entries(v: unknown): SharingEntry[] {
  const list = Array.isArray(v)
    ? v
    : isObject(v)
      ? Object.entries(v).map(([id, e]) => ({ id, ...(e as object) }))
      : [];
  const out: SharingEntry[] = [];
  for (const e of list) {
    if (!isObject(e)) continue;
    const id = str(e.id);
    const access = str(e.access);
    if (id === undefined || access === undefined) continue;
    const name = str(e.displayName) ?? str(e.name);
    out.push({ id, access: access as AccessString, ...(name !== undefined ? { name } : {}) });
  }
  return out;
}

/**
 * Reads sharing from any shape DHIS2 sends it in: the `/api/sharing` answer or its `object`, the
 * 2.36+ `sharing` block, or an object that carries one (`{ id, sharing: {...} }`). Throws a
 * {@link Dhis2ClientError} when `raw` is none of them.
 *
 * @example
 * ```ts
 * const s = parseSharing(await client.getRaw(`/api/dataSets/${uid}`, { params: { fields: "sharing" } }));
 * ```
 */
export function parseSharing(raw: unknown): Sharing {
  if (isObject(raw) && isObject(raw.object)) return parseSharing(raw.object);
  if (isObject(raw) && isObject(raw.sharing)) return parseSharing(raw.sharing);
  if (!isObject(raw)) throw new Dhis2ClientError(`not a DHIS2 sharing answer: ${JSON.stringify(raw)}`);
  if ("publicAccess" in raw || "userAccesses" in raw || "userGroupAccesses" in raw) {
    const owner = isObject(raw.user) ? str(raw.user.id) : undefined;
    return {
      public: (str(raw.publicAccess) ?? "--------") as AccessString,
      external: raw.externalAccess === true,
      ...(owner ? { owner } : {}),
      users: entries(raw.userAccesses),
      userGroups: entries(raw.userGroupAccesses),
    };
  }
  if ("public" in raw || "users" in raw || "userGroups" in raw || "owner" in raw || "external" in raw) {
    const owner = str(raw.owner);
    return {
      public: (str(raw.public) ?? "--------") as AccessString,
      external: raw.external === true,
      ...(owner ? { owner } : {}),
      users: entries(raw.users),
      userGroups: entries(raw.userGroups),
    };
  }
  throw new Dhis2ClientError(
    `not a DHIS2 sharing answer (no publicAccess/userAccesses nor public/users/userGroups): ${JSON.stringify(raw).slice(0, 200)}`,
  );
}
