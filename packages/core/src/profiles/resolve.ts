import { NoProfileError, type Profile, profileFromEnvRaw } from "@dhis2w/client";
import { ProfileError } from "./errors.js";
import { assertProfileName, envOf, type ProfileLocationOptions, type ProfileScope } from "./paths.js";
import { type LocatedEntry, loadCatalog, lookupProfile, type ProfileCatalog } from "./store.js";

/** Which step of the precedence chain produced a profile. */
export type ProfileSource =
  | "explicit"
  | "env:DHIS2_PROFILE"
  | "env:raw"
  | "project-default"
  | "global-default";

/** A resolved profile and where it came from. */
export interface ResolvedProfile {
  /** The profile's name; `undefined` for one built from raw env variables. */
  name?: string;
  profile: Profile;
  source: ProfileSource;
  /** The file scope it was read from (absent for `env:raw`). */
  scope?: ProfileScope;
  /** The file it was read from (absent for `env:raw`). */
  path?: string;
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
 * @example
 * ```ts
 * const { profile, source } = resolveProfile("staging");
 * await using client = await openClient(profile, { profileName: "staging" });
 * ```
 */
export function resolveProfile(name?: string, opts?: ProfileLocationOptions): ResolvedProfile {
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

/**
 * The {@link Profile} that {@link resolveProfile} picks with no explicit name (steps 2-5).
 *
 * @example
 * ```ts
 * await using client = await openClient(profileFromEnv());
 * ```
 */
export function profileFromEnv(opts?: ProfileLocationOptions): Profile {
  return resolveProfile(undefined, opts).profile;
}

function named(catalog: ProfileCatalog, name: string, source: ProfileSource, via: string): ResolvedProfile {
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
  return { name, profile: found.entry.profile as Profile, source, scope: found.scope, path: found.doc.path };
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
