import { createHash, timingSafeEqual } from "node:crypto";

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

function digest(password: string): Buffer {
  return createHash("sha256").update(password, "utf8").digest();
}

/** The user accounts, by username and by id. */
export class UserStore {
  readonly #byName = new Map<string, EmulatorUser>();
  readonly #byId = new Map<string, EmulatorUser>();
  readonly #passwords = new Map<string, Buffer>();
  readonly #stamp: () => string;
  readonly #newId: () => string;

  constructor(stamp: () => string, newId: () => string) {
    this.#stamp = stamp;
    this.#newId = newId;
  }

  /** Adds (or replaces) a user; returns the stored record. */
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
    return user;
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

/** True when the user holds the `ALL` authority. */
export function isSuperuser(user: EmulatorUser): boolean {
  return user.authorities.includes("ALL");
}
