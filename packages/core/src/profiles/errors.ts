import { Dhis2ClientError } from "@dhis2w/client";

/** Where in a profiles file something went wrong; every field is optional because not every error has all. */
export interface ProfileFileLocation {
  /** Absolute path of the `profiles.toml` file. */
  path: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** The profile the problem is in, when it is in one. */
  profile?: string;
  /** The TOML key (snake_case, as written in the file) the problem is in. */
  field?: string;
}

/**
 * A `profiles.toml` file could not be read, parsed or validated. The message names the file, the
 * line and column (when known), the profile and the field, and never a value (values hold secrets).
 *
 * @example
 * ```ts
 * try { resolveProfile("prod"); } catch (e) { if (e instanceof ProfileFileError) console.error(e.path, e.line); }
 * ```
 */
export class ProfileFileError extends Dhis2ClientError {
  override readonly name = "ProfileFileError" as const;
  readonly path: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly profile: string | undefined;
  readonly field: string | undefined;

  constructor(location: ProfileFileLocation, problem: string) {
    super(`${formatLocation(location)}: ${problem}`);
    this.path = location.path;
    this.line = location.line;
    this.column = location.column;
    this.profile = location.profile;
    this.field = location.field;
  }
}

/**
 * A profile name does not match `^[A-Za-z][A-Za-z0-9_-]*$`, or a profile operation was asked for
 * something that cannot be done (rename onto an existing name, remove a missing profile, ...).
 *
 * @example
 * ```ts
 * await addProfile("my prod", profile); // throws ProfileError: invalid profile name "my prod" ...
 * ```
 */
export class ProfileError extends Dhis2ClientError {
  override readonly name = "ProfileError" as const;
}

function formatLocation(loc: ProfileFileLocation): string {
  let where = loc.path;
  if (loc.line !== undefined) where += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) where += `:${loc.column}`;
  const parts: string[] = [];
  if (loc.profile !== undefined) parts.push(`profile "${loc.profile}"`);
  if (loc.field !== undefined) parts.push(`field "${loc.field}"`);
  return parts.length > 0 ? `${where} (${parts.join(", ")})` : where;
}
