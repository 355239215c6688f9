/**
 * The shapes `client.users` answers with, its input error, and how DHIS2's user JSON and
 * TypeReports are read.
 */
import { Dhis2ClientError } from "../errors.js";
import { isObject } from "../is-object.js";

/** A user as `client.users` lists it: references flattened to UIDs. */
export interface UserSummary {
  readonly id: string;
  readonly username: string;
  readonly name?: string;
  readonly disabled: boolean;
  /** Data capture org units (the capture scope: these and everything under them). */
  readonly organisationUnits: readonly string[];
  /** Data view (analytics) org units. */
  readonly dataViewOrganisationUnits: readonly string[];
  /** Tracker search org units. */
  readonly teiSearchOrganisationUnits: readonly string[];
  readonly userGroups: readonly string[];
}

/** The org unit lists of `assignOrganisationUnits`, in the words of DHIS2's Users app. */
export interface OrganisationUnitScopes {
  /** Data capture (`organisationUnits`). */
  readonly capture?: readonly string[];
  /** Data output and analysis (`dataViewOrganisationUnits`). */
  readonly view?: readonly string[];
  /** Tracker search (`teiSearchOrganisationUnits`). */
  readonly search?: readonly string[];
}

/** What `assignOrganisationUnits` did. */
export interface UserOrganisationUnits {
  readonly user: string;
  /** The lists as they are now. */
  readonly capture: readonly string[];
  readonly view: readonly string[];
  readonly search: readonly string[];
  /** The lists that changed (none: nothing was written). */
  readonly changed: readonly ("capture" | "view" | "search")[];
  /** True when the server's caches were cleared so the new capture scope applies at once. */
  readonly cacheCleared: boolean;
}

/** Options of `list`. */
export interface UsersListOptions {
  /** DHIS2's `query=`: part of a name, username or e-mail. */
  readonly query?: string;
  /** Metadata filters, e.g. `["disabled:eq:true"]`. */
  readonly filters?: readonly string[];
  /** Users per request (default 100). */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

/**
 * A users call with input it cannot send (no org unit list at all, an empty username, a bad page
 * size). Thrown before any request; UIDs that are not UIDs are an `InvalidUidError` instead.
 *
 * @example
 * ```ts
 * try { await client.users.assignOrganisationUnits(uid, {}); }
 * catch (e) { if (e instanceof UsersInputError) console.error(e.field, e.message); }
 * ```
 */
export class UsersInputError extends Dhis2ClientError {
  override readonly name = "UsersInputError" as const;

  constructor(
    message: string,
    /** The refused argument: `"units"`, `"user"`, `"pageSize"`. */
    readonly field: string,
  ) {
    super(message);
  }
}

export const SCOPES = {
  capture: "organisationUnits",
  view: "dataViewOrganisationUnits",
  search: "teiSearchOrganisationUnits",
} as const;
export type Scope = keyof typeof SCOPES;

export const USER_FIELDS =
  "id,username,name,disabled,organisationUnits[id],dataViewOrganisationUnits[id],teiSearchOrganisationUnits[id],userGroups[id]";

export const ids = (v: unknown): string[] =>
  Array.isArray(v) ? v.flatMap((r) => (isObject(r) && typeof r.id === "string" ? [r.id] : [])) : [];

export function summary(raw: unknown): UserSummary {
  const o = isObject(raw) ? raw : {};
  return {
    id: String(o.id ?? ""),
    username: String(o.username ?? ""),
    ...(typeof o.name === "string" ? { name: o.name } : {}),
    disabled: o.disabled === true,
    organisationUnits: ids(o.organisationUnits),
    dataViewOrganisationUnits: ids(o.dataViewOrganisationUnits),
    teiSearchOrganisationUnits: ids(o.teiSearchOrganisationUnits),
    userGroups: ids(o.userGroups),
  };
}

/** The stats of a TypeReport answer (`{ response: { stats } }`). */
export function statsOf(raw: unknown): { updated: number; deleted: number; ignored: number; total: number } {
  const response = isObject(raw) && isObject(raw.response) ? raw.response : {};
  const s = isObject(response.stats) ? response.stats : {};
  const n = (k: string) => (typeof s[k] === "number" ? (s[k] as number) : 0);
  return { updated: n("updated"), deleted: n("deleted"), ignored: n("ignored"), total: n("total") };
}
