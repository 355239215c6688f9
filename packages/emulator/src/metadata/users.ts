/**
 * Users are metadata with a secret: the import path takes the password out before anything is
 * stored (DHIS2 never returns it), validates what dhis2-core's `UserObjectBundleHook` validates,
 * and after a commit brings the authentication accounts (`state.users`) in line with the stored
 * `users` objects, so a user created over HTTP can log in at once and the data capture scope
 * follows `organisationUnits`.
 *
 * Checks and messages: dhis2/dhis2-core `UserObjectBundleHook.validate` (E4049 username pattern
 * on create, E4054 username taken, E4056 username changed, E4055 no user role) and
 * `DefaultSchemaValidator` (E4005 invalid password); the username pattern is `ValidationUtils
 * .USERNAME_PATTERN` (dhis-support-system). In 2.41 `userCredentials` was folded into the user
 * (docs.dhis2.org "Users", dhis-core-version-241); the v41 schema still lists it, so a v41 emulator
 * lifts its members onto the user, v42+ ignore it like any unknown property.
 */
import type { ResourceDef } from "@dhis2w/client";
import type { EmulatorApp } from "../app.js";
import type { Ctx } from "../ctx.js";
import type { MetadataObject, MetadataStore } from "../metadata-store.js";
import type { EmulatorState } from "../state.js";
import type { UserAccountFields } from "../users.js";
import { type ErrorReport, errorReport } from "./reports.js";
import { refId } from "./resolve.js";
import type { JsonObject } from "./schema-index.js";

/** One object a commit wrote (what {@link syncAccounts} needs to know). */
export interface WrittenObject {
  readonly plural: string;
  readonly id: string;
  readonly action: "create" | "update" | "delete";
  /** The new plain-text password of a `users` object, when the write set one. */
  readonly password?: string;
}

const USERNAME_PATTERN = /^(?=.{4,255}$)(?![-_.@])(?!.*[-_.@]{2})[-_.@a-zA-Z0-9]+(?<![-_.@])$/;

/**
 * dhis2-core `ValidationUtils.passwordIsValid`: 8 to 72 characters (72 = the bcrypt limit, the
 * default `maxPasswordLength` setting) with at least one digit and one upper case letter.
 */
export function passwordIsValid(password: string): boolean {
  return password.length >= 8 && password.length <= 72 && /\d/.test(password) && /[A-Z]/.test(password);
}

/**
 * Takes the password out of an incoming `users` object (and, where the version's schema still
 * has `userCredentials`, lifts that block's members onto the user). Returns a copy.
 */
export function takeUserSecrets(
  def: ResourceDef,
  input: JsonObject,
): { input: JsonObject; password?: string } {
  const out: JsonObject = { ...input };
  const creds = out.userCredentials;
  if (
    def.properties.userCredentials &&
    creds !== null &&
    typeof creds === "object" &&
    !Array.isArray(creds)
  ) {
    for (const [k, v] of Object.entries(creds as JsonObject)) {
      if (k !== "id" && k !== "userInfo" && out[k] === undefined) out[k] = v;
    }
  }
  delete out.userCredentials;
  const password = out.password;
  delete out.password;
  return typeof password === "string" && password !== "" ? { input: out, password } : { input: out };
}

/**
 * The user checks of one planned write; fills what DHIS2 derives (`name`, a username an update
 * left out, `passwordLastUpdated`). `existing` is the stored object on update.
 */
export function validateUser(
  def: ResourceDef,
  obj: JsonObject,
  existing: JsonObject | undefined,
  password: string | undefined,
  store: MetadataStore,
  now: string,
): ErrorReport[] {
  const errors: ErrorReport[] = [];
  const klass = def.klass;
  const id = obj.id as string;
  if (existing && (obj.username === undefined || obj.username === null)) obj.username = existing.username;
  const username = typeof obj.username === "string" ? obj.username : "";
  const at = { mainId: id, errorProperty: "username" };
  if (!existing) {
    if (!USERNAME_PATTERN.test(username))
      errors.push(errorReport("E4049", klass, ["username", username], at));
    for (const other of store.bucket("users").values()) {
      if (other.id !== id && other.username === username) {
        errors.push(errorReport("E4054", klass, ["username", username], at));
        break;
      }
    }
  } else if (username !== existing.username) {
    errors.push(errorReport("E4056", klass, ["username", username], at));
  }
  const roles = Array.isArray(obj.userRoles) ? obj.userRoles : [];
  if (roles.length === 0) errors.push(errorReport("E4055", klass, ["username", username], at));
  if (password !== undefined && !passwordIsValid(password)) {
    // DHIS2 echoes the rejected value here; a password never goes into a message, so it is masked.
    errors.push(errorReport("E4005", klass, ["password", "***"], { mainId: id, errorProperty: "password" }));
  }
  const first = typeof obj.firstName === "string" ? obj.firstName : "";
  const last = typeof obj.surname === "string" ? obj.surname : "";
  obj.name = `${first} ${last}`.trim();
  if (password !== undefined) obj.passwordLastUpdated = now;
  return errors;
}

const ids = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(refId).filter((x): x is string => x !== undefined) : [];

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The account a stored `users` object describes (authorities from its roles, groups from theirs). */
export function accountFields(store: MetadataStore, obj: MetadataObject): UserAccountFields {
  const roles = ids(obj.userRoles).map((rid) => store.get("userRoles", rid) ?? { id: rid });
  const authorities = new Set<string>();
  for (const r of roles)
    for (const a of Array.isArray(r.authorities) ? r.authorities : []) authorities.add(String(a));
  const groups: string[] = [];
  for (const g of store.bucket("userGroups").values()) if (ids(g.users).includes(obj.id)) groups.push(g.id);
  const fields: UserAccountFields = {
    id: obj.id,
    username: str(obj.username) ?? "",
    firstName: str(obj.firstName) ?? "",
    surname: str(obj.surname) ?? "",
    authorities: [...authorities],
    userRoles: roles.map((r) => ({ id: r.id, name: str(r.name) ?? "" })),
    userGroups: groups,
    organisationUnits: ids(obj.organisationUnits),
    dataViewOrganisationUnits: ids(obj.dataViewOrganisationUnits),
    teiSearchOrganisationUnits: ids(obj.teiSearchOrganisationUnits),
    lastUpdated: str(obj.lastUpdated) ?? "",
  };
  const email = str(obj.email);
  const openId = str(obj.openId);
  const created = str(obj.created);
  if (email !== undefined) fields.email = email;
  if (openId !== undefined) fields.openId = openId;
  if (typeof obj.disabled === "boolean") fields.disabled = obj.disabled;
  if (created !== undefined) fields.created = created;
  return fields;
}

/**
 * Brings `state.users` in line with what a commit wrote: written users are created, updated or
 * removed; accounts holding a written role or group are refreshed (authorities, group lists).
 */
export function syncAccounts(state: EmulatorState, written: readonly WrittenObject[]): void {
  const touched = new Set<string>();
  const passwords = new Map<string, string>();
  for (const w of written) {
    if (w.plural === "users") {
      if (w.action === "delete") {
        state.users.remove(w.id);
        touched.delete(w.id);
        continue;
      }
      touched.add(w.id);
      if (w.password !== undefined) passwords.set(w.id, w.password);
    } else if (w.plural === "userRoles") {
      for (const u of state.users.all()) if (u.userRoles.some((r) => r.id === w.id)) touched.add(u.id);
    } else if (w.plural === "userGroups") {
      for (const u of state.users.all()) if (u.userGroups.includes(w.id)) touched.add(u.id);
      for (const uid of ids(state.metadata.get("userGroups", w.id)?.users)) touched.add(uid);
    }
  }
  for (const id of touched) {
    const obj = state.metadata.get("users", id);
    if (obj) state.users.applyAccount(accountFields(state.metadata, obj), passwords.get(id));
  }
}

/**
 * `POST /api/users/{id}/disabled` and `/enabled` (dhis2-core `UserController.disableUser` /
 * `enableUser`: 204 No Content); a disabled account gets 401 on its next request.
 */
export function installUserRoutes(app: EmulatorApp): void {
  const toggle = (disabled: boolean) => (ctx: Ctx) => {
    const id = ctx.params.id!;
    const stored = ctx.state.metadata.get("users", id);
    if (!stored) return ctx.notFound("User", id);
    ctx.state.metadata.put("users", { ...stored, disabled, lastUpdated: ctx.state.timestamp() });
    syncAccounts(ctx.state, [{ plural: "users", id, action: "update" }]);
    ctx.empty(204);
  };
  app.post("/api/users/:id/disabled", toggle(true));
  app.post("/api/users/:id/enabled", toggle(false));
}
