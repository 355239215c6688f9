import { UnsupportedVersionError } from "./http/errors/unsupported-version-error.js";

/**
 * How one supported DHIS2 version differs from the others. Every per-version behaviour the toolkit
 * knows about lives in {@link SUPPORTED_VERSIONS}, never in copies of code: one implementation
 * asks this table.
 */
export interface VersionBehaviour {
  /** The minor number DHIS2 reports ("2.42.4" -> 42). */
  readonly minor: number;
  /** v41 rejects the `!empty` filter operator (QUIRKS.md "Semantics"). */
  readonly notEmptyFilterOperator: boolean;
  /** The OAuth2 client-id field of `/api/oAuth2Clients`: v41 says `cid`, v42+ `clientId`. */
  readonly oauth2ClientIdField: "cid" | "clientId";
  /** False from 2.43: saving a category combo no longer generates its option combos. */
  readonly categoryOptionCombosOnSave: boolean;
  /** True from 2.43: a `dataValueSets` upload without `dataSet` can fail with E8002. */
  readonly dataValueSetNeedsDataSet: boolean;
  /** 2.41 repeats `page`/`pageSize` flat next to `pager` on tracker lists. */
  readonly trackerListRepeatsPagingFlat: boolean;
  /**
   * False on 2.41: Spring's suffix pattern matching takes any `.x` ending a request path for a
   * format extension (dhis2-core `ContentNegotiationConfig`), so a data store key or namespace
   * with a dot cannot be addressed; 2.42+ strips registered extensions only (`.json`, `.csv`, ...).
   */
  readonly dataStoreDottedNames: boolean;
}

/**
 * The DHIS2 versions this toolkit supports, and what differs between them. Adding a version is
 * adding a row (plus its generated models).
 *
 * @example
 * ```ts
 * if (!SUPPORTED_VERSIONS[client.versionKey].notEmptyFilterOperator) filters.push("name:!null");
 * ```
 */
export const SUPPORTED_VERSIONS = {
  v41: {
    minor: 41,
    notEmptyFilterOperator: false,
    oauth2ClientIdField: "cid",
    categoryOptionCombosOnSave: true,
    dataValueSetNeedsDataSet: false,
    trackerListRepeatsPagingFlat: true,
    dataStoreDottedNames: false,
  },
  v42: {
    minor: 42,
    notEmptyFilterOperator: true,
    oauth2ClientIdField: "clientId",
    categoryOptionCombosOnSave: true,
    dataValueSetNeedsDataSet: false,
    trackerListRepeatsPagingFlat: false,
    dataStoreDottedNames: true,
  },
  v43: {
    minor: 43,
    notEmptyFilterOperator: true,
    oauth2ClientIdField: "clientId",
    categoryOptionCombosOnSave: false,
    dataValueSetNeedsDataSet: true,
    trackerListRepeatsPagingFlat: false,
    dataStoreDottedNames: true,
  },
} as const satisfies Record<string, VersionBehaviour>;

/** A supported version key: `"v41" | "v42" | "v43"`. */
export type VersionKey = keyof typeof SUPPORTED_VERSIONS;

/** The supported version keys, oldest first. */
export const VERSION_KEYS: readonly VersionKey[] = (Object.keys(SUPPORTED_VERSIONS) as VersionKey[]).sort(
  (a, b) => SUPPORTED_VERSIONS[a].minor - SUPPORTED_VERSIONS[b].minor,
);

/** True when `value` names a supported version. */
export function isVersionKey(value: unknown): value is VersionKey {
  return typeof value === "string" && Object.hasOwn(SUPPORTED_VERSIONS, value);
}

/** The behaviour row of a supported version. */
export function versionBehaviour(key: VersionKey): VersionBehaviour {
  return SUPPORTED_VERSIONS[key];
}

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

/**
 * Maps a reported DHIS2 version to the version key to bind. An unsupported version throws
 * {@link UnsupportedVersionError}, unless `allowFallback` is set: then the highest supported
 * version not newer than the server's is used.
 *
 * @example
 * ```ts
 * resolveVersionKey("2.42.4");                               // "v42"
 * resolveVersionKey("2.44.0", { allowFallback: true });      // "v43"
 * ```
 */
export function resolveVersionKey(raw: string, options: { allowFallback?: boolean } = {}): VersionKey {
  const parsed = parseDhis2Version(raw);
  if (!parsed) {
    throw new UnsupportedVersionError(raw, VERSION_KEYS, "it is not a DHIS2 version string");
  }
  if (parsed.major === 2) {
    const exact = VERSION_KEYS.find((k) => SUPPORTED_VERSIONS[k].minor === parsed.minor);
    if (exact) return exact;
  }
  if (!options.allowFallback) {
    throw new UnsupportedVersionError(
      raw,
      VERSION_KEYS,
      "pass allowVersionFallback: true to use the closest older supported version, or version: to pin one",
    );
  }
  // Fallback only goes down: a newer server mostly keeps old fields, an older one lacks new ones.
  const comparable = parsed.major > 2 ? Number.POSITIVE_INFINITY : parsed.major < 2 ? -1 : parsed.minor;
  const older = VERSION_KEYS.filter((k) => SUPPORTED_VERSIONS[k].minor <= comparable);
  const best = older.at(-1);
  if (!best) {
    throw new UnsupportedVersionError(raw, VERSION_KEYS, "it is older than every supported version");
  }
  return best;
}
