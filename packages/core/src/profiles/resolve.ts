import { NoProfileError, type Profile, profileFromEnvRaw } from "@dhis2w/client";
import { ProfileError } from "./errors.js";
import { assertProfileName, envOf, type ProfileLocationOptions } from "./paths.js";
import { type ProfileOrigin, type ProfileSource, rememberOrigin } from "./provenance.js";
import { type LocatedEntry, loadCatalog, lookupProfile, type ProfileCatalog } from "./store.js";

/** What {@link explainProfile} returns: the profile and where it came from. */
export interface ProfileExplanation extends ProfileOrigin {
  profile: Profile;
}

/**
 * Finds the profile to use, first match wins:
 * 1. `name` (explicit, e.g. `--profile`); 2. `DHIS2_PROFILE`; 3. raw `DHIS2_URL` + `DHIS2_PAT`
 * (or `DHIS2_USERNAME` + `DHIS2_PASSWORD`); 4. the `default` of the nearest project
 * `.dhis2/profiles.toml`; 5. the `default` of the user-global `profiles.toml`. Named profiles
 * come from both files, a project profile shadowing a global one of the same name.
 * Throws `NoProfileError` (listing what was looked at, never a value) when nothing matches, and
 * `ProfileFileError` for a malformed file or an invalid profile.
 *
 * The returned object remembers where it came from: core's `openClient` finds the stored OAuth2
 * token of a file profile from it (a copy such as `{ ...profile }` is an in-memory profile again).
 * {@link explainProfile} tells the provenance.
 *
 * @example
 * ```ts
 * await using client = await openClient(resolveProfile("staging"));
 * ```
 */
export function resolveProfile(name?: string, opts?: ProfileLocationOptions): Profile {
  return explainProfile(name, opts).profile;
}

/**
 * {@link resolveProfile}, with where the profile came from: its name, the precedence step
 * (`source`), and for a file profile the scope and the file.
 *
 * @example
 * ```ts
 * const { profile, name, source, path } = explainProfile();
 * console.error(`using ${name ?? "DHIS2_URL"} (${source}${path ? `, ${path}` : ""})`);
 * await using client = await openClient(profile);
 * ```
 */
export function explainProfile(name?: string, opts?: ProfileLocationOptions): ProfileExplanation {
  const found = find(name, opts);
  const { profile, ...origin } = found;
  rememberOrigin(profile, origin);
  return found;
}

/**
 * The {@link Profile} that {@link resolveProfile} picks with no explicit name (steps 2-5).
 *
 * @example
 * ```ts
 * await using client = await openClient(profileFromEnv());
 * ```
 */
export function profileFromEnv(opts?: ProfileLocationOptions): Profile {
  return resolveProfile(undefined, opts);
}

function find(name: string | undefined, opts: ProfileLocationOptions | undefined): ProfileExplanation {
  const env = envOf(opts);
  if (name !== undefined) return named(loadCatalog(opts), name, "explicit", "the explicit profile name");
  const fromEnvName = env.DHIS2_PROFILE?.trim();
  if (fromEnvName) return named(loadCatalog(opts), fromEnvName, "env:DHIS2_PROFILE", "DHIS2_PROFILE");
  // Raw env wins before the files are even read, so a broken profiles.toml cannot block CI.
  const raw = profileFromEnvRaw(env);
  if (raw) return { profile: raw, source: "env:raw" };
  const catalog = loadCatalog(opts);
  const project = catalog.project?.defaultName;
  if (project !== undefined && catalog.project) {
    return named(catalog, project, "project-default", `the default in ${catalog.project.path}`);
  }
  const global = catalog.global.defaultName;
  if (global !== undefined)
    return named(catalog, global, "global-default", `the default in ${catalog.global.path}`);
  throw new NoProfileError(`no DHIS2 profile found. Looked at:\n${lookedAt(catalog, env).join("\n")}`);
}

function named(
  catalog: ProfileCatalog,
  name: string,
  source: ProfileSource,
  via: string,
): ProfileExplanation {
  try {
    assertProfileName(name);
  } catch (error) {
    throw new ProfileError(`${(error as Error).message} (from ${via})`);
  }
  const found: LocatedEntry | undefined = lookupProfile(catalog, name);
  if (!found) {
    const files = [catalog.project?.path, catalog.global.path].filter((p) => p !== undefined);
    const known = [
      ...new Set([...(catalog.project?.entries.keys() ?? []), ...catalog.global.entries.keys()]),
    ];
    throw new NoProfileError(
      `profile "${name}" (from ${via}) is not defined in ${files.join(" or ")}` +
        (known.length > 0 ? `; defined profiles: ${known.sort().join(", ")}` : "; no profiles are defined"),
    );
  }
  if (found.entry.problem) throw found.entry.problem;
  // A fresh object per call: its provenance is its own, whatever the caller does with another.
  const profile: Profile = { ...(found.entry.profile as Profile) };
  return { name, profile, source, scope: found.scope, path: found.doc.path };
}

function lookedAt(catalog: ProfileCatalog, env: Record<string, string | undefined>): string[] {
  const set = (k: string) => (env[k]?.trim() ? "set" : "unset");
  const project = catalog.project
    ? `${catalog.project.path} (no default)`
    : `none found walking up from ${catalog.searchedFrom}`;
  const global = catalog.global.exists
    ? `${catalog.global.path} (no default)`
    : `${catalog.global.path} (missing)`;
  return [
    "  1. explicit profile name: none given",
    "  2. DHIS2_PROFILE: unset",
    `  3. DHIS2_URL (${set("DHIS2_URL")}) + DHIS2_PAT (${set("DHIS2_PAT")}) or DHIS2_USERNAME (${set("DHIS2_USERNAME")}) + DHIS2_PASSWORD (${set("DHIS2_PASSWORD")})`,
    `  4. project .dhis2/profiles.toml: ${project}`,
    `  5. global profiles.toml: ${global}`,
    "Add one with `d2w profile add NAME ...` (or addProfile), or set DHIS2_URL + DHIS2_PAT.",
  ];
}

export type { ProfileOrigin, ProfileSource };
