import { statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ProfileError } from "./errors.js";

/** Where the profile files are; every part is injectable so tests never touch the real home. */
export interface ProfileLocationOptions {
  /** Folder the walk up for `.dhis2/profiles.toml` starts from (and where a new project file goes). Default `process.cwd()`. */
  start?: string;
  /** The user-global config folder that holds `profiles.toml`. Default `$XDG_CONFIG_HOME/dhis2`, else `$HOME/.config/dhis2`. */
  globalDir?: string;
  /** Environment read for `DHIS2_PROFILE`, `DHIS2_URL`/`DHIS2_PAT`/..., `XDG_CONFIG_HOME` and `HOME`. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** Which file a profile lives in. */
export type ProfileScope = "global" | "project";

/** The file name in both scopes. */
export const PROFILES_FILE_NAME = "profiles.toml";
/** The project folder that holds `profiles.toml` (and OAuth2's `tokens.sqlite`). */
export const PROJECT_DIR_NAME = ".dhis2";
/** What a profile name must look like: a letter, then letters, digits, `_` or `-`. */
export const PROFILE_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * Throws a {@link ProfileError} unless `name` is a valid profile name.
 *
 * @example
 * ```ts
 * assertProfileName("staging"); // ok
 * assertProfileName("my prod"); // throws
 * ```
 */
export function assertProfileName(name: string): void {
  if (typeof name !== "string" || !PROFILE_NAME_RE.test(name)) {
    throw new ProfileError(
      `invalid profile name ${JSON.stringify(name)}: a name starts with a letter and holds only letters, digits, "_" and "-"`,
    );
  }
}

/** The environment to read: the injected one, else `process.env`. */
export function envOf(opts: ProfileLocationOptions | undefined): Record<string, string | undefined> {
  return opts?.env ?? process.env;
}

/**
 * The user-global config folder: `globalDir`, else `$XDG_CONFIG_HOME/dhis2`, else `$HOME/.config/dhis2`.
 *
 * @example
 * ```ts
 * globalConfigDir({ env: { XDG_CONFIG_HOME: "/tmp/x" } }); // "/tmp/x/dhis2"
 * ```
 */
export function globalConfigDir(opts?: ProfileLocationOptions): string {
  if (opts?.globalDir) return path.resolve(opts.globalDir);
  const env = envOf(opts);
  // XDG Base Directory spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME?.trim();
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, "dhis2");
  const home = env.HOME?.trim() || os.homedir();
  return path.join(home, ".config", "dhis2");
}

/** `<global config dir>/profiles.toml`. */
export function globalProfilesPath(opts?: ProfileLocationOptions): string {
  return path.join(globalConfigDir(opts), PROFILES_FILE_NAME);
}

/** The absolute folder the project walk starts from. */
export function startDir(opts?: ProfileLocationOptions): string {
  return path.resolve(opts?.start ?? process.cwd());
}

/**
 * The nearest `.dhis2/profiles.toml`, walking up from `start`; `undefined` when there is none.
 *
 * @example
 * ```ts
 * findProjectProfilesPath({ start: "/repo/sub/dir" }); // "/repo/.dhis2/profiles.toml" when that exists
 * ```
 */
export function findProjectProfilesPath(opts?: ProfileLocationOptions): string | undefined {
  let dir = startDir(opts);
  for (;;) {
    const candidate = path.join(dir, PROJECT_DIR_NAME, PROFILES_FILE_NAME);
    if (isFile(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Where a project-scope write goes: the file found walking up, else `<start>/.dhis2/profiles.toml`. */
export function projectProfilesPathForWrite(opts?: ProfileLocationOptions): string {
  return findProjectProfilesPath(opts) ?? path.join(startDir(opts), PROJECT_DIR_NAME, PROFILES_FILE_NAME);
}

/** The file of one scope, for writing. */
export function profilesPathForScope(scope: ProfileScope, opts?: ProfileLocationOptions): string {
  return scope === "global" ? globalProfilesPath(opts) : projectProfilesPathForWrite(opts);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
