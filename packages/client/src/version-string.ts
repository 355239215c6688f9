/** DHIS2 version strings (`/api/system/info` `version`) taken apart. */

/** A DHIS2 version string taken apart. */
export interface ParsedDhis2Version {
  readonly major: number;
  readonly minor: number;
  readonly patch?: number;
  readonly hotfix?: number;
  /** The part after `-`, e.g. `"SNAPSHOT"` or `"rc1"`. */
  readonly tag?: string;
}

// Real servers report "2.42.4", "2.42.4.1" (hotfix), "2.43.0" and development builds "2.41-SNAPSHOT".
const VERSION_RE = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+_ ](.*))?\s*$/i;

/**
 * Parses a DHIS2 version string (`/api/system/info` `version`). Returns `undefined` when it is
 * not one.
 *
 * @example
 * ```ts
 * parseDhis2Version("2.42.4.1"); // { major: 2, minor: 42, patch: 4, hotfix: 1 }
 * ```
 */
export function parseDhis2Version(raw: string): ParsedDhis2Version | undefined {
  const m = VERSION_RE.exec(raw);
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const parsed: { -readonly [K in keyof ParsedDhis2Version]: ParsedDhis2Version[K] } = {
    major: Number(m[1]),
    minor: Number(m[2]),
  };
  const patch = num(m[3]);
  const hotfix = num(m[4]);
  if (patch !== undefined) parsed.patch = patch;
  if (hotfix !== undefined) parsed.hotfix = hotfix;
  if (m[5]) parsed.tag = m[5];
  return parsed;
}
