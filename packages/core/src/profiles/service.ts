/**
 * The profile service: what `d2w profile add|list|show|rename|set-default|remove` call, and what
 * scripts call to manage the files. Every function takes `{ start, globalDir, env }` so that
 * tests and examples work in an isolated folder; writes also take `io` (see {@link AtomicWriteHooks}).
 */
import { Profile } from "@dhis2w/client";
import type { AtomicWriteHooks } from "./atomic-write.js";
import { ProfileError } from "./errors.js";
import { assertProfileName, type ProfileLocationOptions, type ProfileScope } from "./paths.js";
import { redactProfile, redactUrl } from "./redact.js";
import {
  type LocatedEntry,
  loadCatalog,
  lookupProfile,
  type ProfileWriteOptions,
  readScopeFile,
  writeProfileEdits,
} from "./store.js";
import type { ProfileEdit } from "./toml-edit.js";
import { type ProfileEntry, type ProfilesDocument, profileToToml } from "./toml-file.js";

export type { AtomicWriteHooks, ProfileWriteOptions };

/** One row of {@link listProfiles}. Holds no secret (user info in a URL is redacted too). */
export interface ProfileSummary {
  name: string;
  scope: ProfileScope;
  /** `undefined` only when the profile is invalid (see `problem`). */
  auth: Profile["auth"] | undefined;
  baseUrl: string | undefined;
  /** It is the `default` of its own file. */
  isDefault: boolean;
  /** A project profile of the same name hides this global one. */
  shadowed: boolean;
  /** The file it is in. */
  path: string;
  /** Why the profile cannot be used (file, line, field), when it is invalid. */
  problem?: string;
}

/** What {@link showProfile} returns. */
export interface ProfileView extends Omit<ProfileSummary, "auth" | "baseUrl" | "problem"> {
  /** The profile; `token`, `password` and `clientSecret` are `"***"` unless `includeSecrets`. */
  profile: Profile;
  secretsRedacted: boolean;
}

/** Options of {@link addProfile}. */
export interface AddProfileOptions extends ProfileWriteOptions {
  /** Which file; default `"global"`. */
  scope?: ProfileScope;
  /** Also make it the file's `default`. The first profile of a file becomes its default anyway. */
  makeDefault?: boolean;
  /** Replace an existing profile of that name in that file (else adding one throws). */
  overwrite?: boolean;
}

/** Options of the functions that act on one scope, found from the profile when not given. */
export interface ScopedWriteOptions extends ProfileWriteOptions {
  /** Which file; default: the file the profile is found in (project before global). */
  scope?: ProfileScope;
}

/**
 * Adds (or with `overwrite`, replaces) a profile in the global or project file.
 *
 * @example
 * ```ts
 * await addProfile("dev", { baseUrl: "http://localhost:8080", auth: "pat", token }, { scope: "project", start: dir });
 * ```
 */
export async function addProfile(
  name: string,
  profile: Profile,
  opts: AddProfileOptions = {},
): Promise<ProfileSummary> {
  assertProfileName(name);
  const parsed = Profile.safeParse(profile);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(profile)"}: ${i.message}`);
    throw new ProfileError(`profile "${name}" is invalid: ${issues.join("; ")}`);
  }
  const scope = opts.scope ?? "global";
  const doc = readScopeFile(scope, opts);
  if (doc.entries.has(name) && !opts.overwrite) {
    throw new ProfileError(
      `profile "${name}" already exists in ${doc.path}; pass overwrite: true to replace it`,
    );
  }
  const othersExist = [...doc.entries.keys()].some((n) => n !== name);
  const makeDefault = opts.makeDefault === true || (doc.defaultName === undefined && !othersExist);
  const edits: ProfileEdit[] = [{ kind: "set", name, values: profileToToml(parsed.data) }];
  if (makeDefault) edits.push({ kind: "default", name });
  await writeProfileEdits(doc, edits, opts);
  return summaryOf(name, scope, opts);
}

/**
 * Every profile of both files, sorted by name (project first). Shadowed global profiles are left
 * out unless `includeShadowed`.
 *
 * @example
 * ```ts
 * for (const p of await listProfiles({ includeShadowed: true })) console.log(p.scope, p.name, p.isDefault);
 * ```
 */
export async function listProfiles(
  opts: ProfileLocationOptions & { includeShadowed?: boolean } = {},
): Promise<ProfileSummary[]> {
  const catalog = loadCatalog(opts);
  const rows: ProfileSummary[] = [];
  const projectNames = new Set(catalog.project?.entries.keys() ?? []);
  if (catalog.project) {
    for (const entry of catalog.project.entries.values())
      rows.push(summarize(entry, "project", catalog.project, false));
  }
  for (const entry of catalog.global.entries.values()) {
    const shadowed = projectNames.has(entry.name);
    if (shadowed && !opts.includeShadowed) continue;
    rows.push(summarize(entry, "global", catalog.global, shadowed));
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name) || (a.scope === "project" ? -1 : 1));
}

/**
 * One profile, secrets redacted as `"***"` unless `includeSecrets`.
 *
 * @example
 * ```ts
 * const view = await showProfile("dev", { start: dir });
 * console.log(view.profile.baseUrl, view.profile.token); // ... "***"
 * ```
 */
export async function showProfile(
  name: string,
  opts: ProfileLocationOptions & { includeSecrets?: boolean; scope?: ProfileScope } = {},
): Promise<ProfileView> {
  const found = locate(name, opts, opts.scope);
  if (found.entry.problem) throw found.entry.problem;
  const profile = found.entry.profile as Profile;
  const shadowed = found.scope === "global" && loadCatalog(opts).project?.entries.has(name) === true;
  return {
    name,
    scope: found.scope,
    path: found.doc.path,
    isDefault: found.doc.defaultName === name,
    shadowed,
    profile: opts.includeSecrets ? profile : redactProfile(profile),
    secretsRedacted: !opts.includeSecrets,
  };
}

/**
 * Renames a profile in its file; a `default` that named it follows the new name.
 *
 * @example
 * ```ts
 * await renameProfile("dev", "local", { start: dir });
 * ```
 */
export async function renameProfile(
  oldName: string,
  newName: string,
  opts: ScopedWriteOptions = {},
): Promise<ProfileSummary> {
  assertProfileName(newName);
  const found = locate(oldName, opts, opts.scope);
  if (found.doc.entries.has(newName)) {
    throw new ProfileError(
      `cannot rename "${oldName}" to "${newName}": "${newName}" already exists in ${found.doc.path}`,
    );
  }
  const edits: ProfileEdit[] = [{ kind: "rename", from: oldName, to: newName }];
  if (found.doc.defaultName === oldName) edits.push({ kind: "default", name: newName });
  await writeProfileEdits(found.doc, edits, opts);
  return summaryOf(newName, found.scope, opts);
}

/**
 * Makes `name` the `default` of a file. A project default may name a global profile; a global
 * default must name a global profile (the global file is read without any project).
 *
 * @example
 * ```ts
 * await setDefaultProfile("prod", { scope: "global" });
 * ```
 */
export async function setDefaultProfile(
  name: string,
  opts: ScopedWriteOptions = {},
): Promise<ProfileSummary> {
  assertProfileName(name);
  const found = locate(name, opts, opts.scope === "global" ? "global" : undefined);
  const scope = opts.scope ?? found.scope;
  const doc = scope === found.scope ? found.doc : readScopeFile(scope, opts);
  await writeProfileEdits(doc, [{ kind: "default", name }], opts);
  return summaryOf(name, found.scope, opts);
}

/** What {@link removeProfile} did. */
export interface RemovedProfile {
  name: string;
  scope: ProfileScope;
  path: string;
  /** The file's `default` named this profile and was removed with it. */
  clearedDefault: boolean;
}

/**
 * Removes a profile from its file; a `default` that named it is removed too.
 *
 * @example
 * ```ts
 * await removeProfile("old", { scope: "project", start: dir });
 * ```
 */
export async function removeProfile(name: string, opts: ScopedWriteOptions = {}): Promise<RemovedProfile> {
  const found = locate(name, opts, opts.scope);
  const clearedDefault = found.doc.defaultName === name;
  const edits: ProfileEdit[] = [{ kind: "remove", name }];
  if (clearedDefault) edits.push({ kind: "default", name: undefined });
  await writeProfileEdits(found.doc, edits, opts);
  return { name, scope: found.scope, path: found.doc.path, clearedDefault };
}

function locate(name: string, opts: ProfileLocationOptions, scope: ProfileScope | undefined): LocatedEntry {
  assertProfileName(name);
  const catalog = loadCatalog(opts);
  const found = lookupProfile(catalog, name, scope);
  if (found) return found;
  const where =
    scope === "project"
      ? (catalog.project?.path ?? `a project .dhis2/profiles.toml (none found from ${catalog.searchedFrom})`)
      : scope === "global"
        ? catalog.global.path
        : [catalog.project?.path, catalog.global.path].filter(Boolean).join(" or ");
  throw new ProfileError(`profile "${name}" not found in ${where}`);
}

function summaryOf(name: string, scope: ProfileScope, opts: ProfileLocationOptions): ProfileSummary {
  const catalog = loadCatalog(opts);
  const found = lookupProfile(catalog, name, scope);
  if (!found) throw new ProfileError(`profile "${name}" vanished from the ${scope} file after writing it`);
  const shadowed = scope === "global" && catalog.project?.entries.has(name) === true;
  return summarize(found.entry, scope, found.doc, shadowed);
}

function summarize(
  entry: ProfileEntry,
  scope: ProfileScope,
  doc: ProfilesDocument,
  shadowed: boolean,
): ProfileSummary {
  const row: ProfileSummary = {
    name: entry.name,
    scope,
    auth: entry.profile?.auth,
    baseUrl: entry.profile ? redactUrl(entry.profile.baseUrl) : undefined,
    isDefault: doc.defaultName === entry.name,
    shadowed,
    path: doc.path,
  };
  if (entry.problem) row.problem = entry.problem.message;
  return row;
}
