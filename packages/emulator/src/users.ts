import { sha256Of, timingSafeEqual } from "./bytes.js";
import type { MetadataObject, MetadataStore } from "./metadata-store.js";

/**
 * A user account as the emulator keeps it. The password is kept only as a SHA-256 digest (an
 * emulator need not be slow, but it should never hold secrets in plain text where a debugger or
 * a snapshot could show them).
 */
export interface EmulatorUser {
  id: string;
  username: string;
  firstName: string;
  surname: string;
  email?: string;
  /** Authorities granted through the user roles; `ALL` makes a superuser. */
  authorities: string[];
  userRoles: { id: string; name: string }[];
  userGroups: string[];
  /** Data capture org units (UIDs). */
  organisationUnits: string[];
  dataViewOrganisationUnits: string[];
  teiSearchOrganisationUnits: string[];
  /** Program and data set UIDs `/api/me` lists as bare strings. */
  programs: string[];
  dataSets: string[];
  /** User settings (`keyUiLocale`, ...). */
  settings: Record<string, unknown>;
  /** The OpenID Connect subject this user maps to (OAuth2/JWT login). */
  openId?: string;
  disabled?: boolean;
  created: string;
  lastUpdated: string;
}

/** Fields needed to add a user; the rest gets defaults. */
export type NewUser = Partial<Omit<EmulatorUser, "username">> & { username: string; password: string };

/**
 * What a metadata write decides about an account (the metadata module derives it from the stored
 * `users` object and the roles it references); the rest of the record (`programs`, `dataSets`,
 * `settings`, `created`) is kept.
 */
export type UserAccountFields = Pick<
  EmulatorUser,
  | "id"
  | "username"
  | "firstName"
  | "surname"
  | "authorities"
  | "userRoles"
  | "userGroups"
  | "organisationUnits"
  | "dataViewOrganisationUnits"
  | "teiSearchOrganisationUnits"
  | "lastUpdated"
> &
  Partial<Pick<EmulatorUser, "email" | "openId" | "disabled" | "created">>;

function digest(password: string): Uint8Array {
  return sha256Of(password);
}

/**
 * The user accounts, by username and by id: what authentication reads. The metadata store's
 * `users` objects are the same accounts in wire shape; the two stay one truth because every
 * write goes through one of two doors: {@link UserStore.add} (seeds, tests) mirrors the account
 * into the metadata store (via the `mirror` callback), and metadata writes (`/api/users`,
 * `/api/metadata`, collection items) call {@link UserStore.applyAccount} / {@link UserStore.remove}.
 */
export class UserStore {
  readonly #byName = new Map<string, EmulatorUser>();
  readonly #byId = new Map<string, EmulatorUser>();
  readonly #passwords = new Map<string, Uint8Array>();
  readonly #stamp: () => string;
  readonly #newId: () => string;
  readonly #mirror: ((user: EmulatorUser) => void) | undefined;

  constructor(stamp: () => string, newId: () => string, mirror?: (user: EmulatorUser) => void) {
    this.#stamp = stamp;
    this.#newId = newId;
    this.#mirror = mirror;
  }

  /**
   * Adds (or replaces) a user and mirrors it into the metadata store; returns the stored record.
   *
   * @example
   * state.users.add({ username: "clerk", password: "Passw0rd!", authorities: ["F_DATAVALUE_ADD"] });
   */
  add(input: NewUser): EmulatorUser {
    const now = this.#stamp();
    const { password, ...rest } = input;
    const user: EmulatorUser = {
      id: rest.id ?? this.#newId(),
      username: rest.username,
      firstName: rest.firstName ?? rest.username,
      surname: rest.surname ?? "",
      authorities: rest.authorities ?? [],
      userRoles: rest.userRoles ?? [],
      userGroups: rest.userGroups ?? [],
      organisationUnits: rest.organisationUnits ?? [],
      dataViewOrganisationUnits: rest.dataViewOrganisationUnits ?? [],
      teiSearchOrganisationUnits: rest.teiSearchOrganisationUnits ?? [],
      programs: rest.programs ?? [],
      dataSets: rest.dataSets ?? [],
      settings: rest.settings ?? {},
      created: rest.created ?? now,
      lastUpdated: rest.lastUpdated ?? now,
      ...(rest.email !== undefined ? { email: rest.email } : {}),
      ...(rest.openId !== undefined ? { openId: rest.openId } : {}),
      ...(rest.disabled !== undefined ? { disabled: rest.disabled } : {}),
    };
    const previous = this.#byName.get(user.username);
    if (previous) this.#byId.delete(previous.id);
    this.#byName.set(user.username, user);
    this.#byId.set(user.id, user);
    this.#passwords.set(user.id, digest(password));
    this.#mirror?.(user);
    return user;
  }

  /**
   * Creates or updates the account a metadata write describes, in place (so a request already
   * holding the record sees the change). `password` replaces the stored one when given; an
   * account created without one exists but cannot log in with Basic, like a DHIS2 user whose
   * password was never set.
   */
  applyAccount(fields: UserAccountFields, password?: string): EmulatorUser {
    let user = this.#byId.get(fields.id);
    if (user) {
      if (user.username !== fields.username) this.#byName.delete(user.username);
      const { email, openId, disabled, created, ...rest } = fields;
      Object.assign(user, rest);
      // Optional members follow the metadata object: absent there means absent here.
      setOptional(user, "email", email);
      setOptional(user, "openId", openId);
      setOptional(user, "disabled", disabled);
      if (created !== undefined) user.created = created;
    } else {
      user = {
        programs: [],
        dataSets: [],
        settings: {},
        created: fields.created ?? fields.lastUpdated,
        ...withoutUndefined(fields),
      } as EmulatorUser;
    }
    const holder = this.#byName.get(user.username);
    if (holder && holder !== user) this.#byId.delete(holder.id);
    this.#byName.set(user.username, user);
    this.#byId.set(user.id, user);
    if (password !== undefined) this.#passwords.set(user.id, digest(password));
    return user;
  }

  /** Removes the account with this id (its password too); true when it existed. */
  remove(id: string): boolean {
    const user = this.#byId.get(id);
    if (!user) return false;
    this.#byId.delete(id);
    if (this.#byName.get(user.username) === user) this.#byName.delete(user.username);
    this.#passwords.delete(id);
    return true;
  }

  byUsername(username: string): EmulatorUser | undefined {
    return this.#byName.get(username);
  }

  byId(id: string): EmulatorUser | undefined {
    return this.#byId.get(id);
  }

  /** The user with this OpenID subject (for JWT bearer validation). */
  byOpenId(openId: string): EmulatorUser | undefined {
    for (const u of this.#byName.values()) if (u.openId === openId) return u;
    return undefined;
  }

  all(): EmulatorUser[] {
    return [...this.#byName.values()];
  }

  /** The user when the username exists, is enabled and the password matches. */
  verify(username: string, password: string): EmulatorUser | undefined {
    const user = this.#byName.get(username);
    if (!user || user.disabled) return undefined;
    const expected = this.#passwords.get(user.id);
    return expected && timingSafeEqual(expected, digest(password)) ? user : undefined;
  }

  setPassword(username: string, password: string): void {
    const user = this.#byName.get(username);
    if (!user) throw new Error(`No user named ${username}`);
    this.#passwords.set(user.id, digest(password));
  }
}

function setOptional<K extends "email" | "openId" | "disabled">(
  user: EmulatorUser,
  key: K,
  value: EmulatorUser[K] | undefined,
): void {
  if (value === undefined) delete user[key];
  else user[key] = value;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const refs = (ids: readonly string[]) => ids.map((id) => ({ id }));

/**
 * Writes `user` into the metadata store as a `users` object (wire shape, never a password),
 * merged onto the object already there so properties only the metadata side knows (phone
 * numbers, attribute values...) survive.
 */
export function mirrorUserToMetadata(store: MetadataStore, user: EmulatorUser): MetadataObject {
  const existing = store.get("users", user.id);
  const name = `${user.firstName} ${user.surname}`.trim();
  const obj: MetadataObject = {
    ...existing,
    id: user.id,
    username: user.username,
    firstName: user.firstName,
    surname: user.surname,
    name,
    created: user.created,
    lastUpdated: user.lastUpdated,
    disabled: user.disabled ?? false,
    userRoles: user.userRoles.map((r) => ({ id: r.id })),
    organisationUnits: refs(user.organisationUnits),
    dataViewOrganisationUnits: refs(user.dataViewOrganisationUnits),
    teiSearchOrganisationUnits: refs(user.teiSearchOrganisationUnits),
  };
  if (user.email !== undefined) obj.email = user.email;
  else delete obj.email;
  if (user.openId !== undefined) obj.openId = user.openId;
  else delete obj.openId;
  delete obj.password;
  return store.put("users", obj);
}

/** True when the user holds the `ALL` authority. */
export function isSuperuser(user: EmulatorUser): boolean {
  return user.authorities.includes("ALL");
}
