/**
 * THE version table: one row per supported DHIS2 version, with everything that differs between
 * them. The client reads it to ask and absorb, the emulator to answer (from the same row), the
 * CLI, MCP and profiles for the list of versions. Nothing else compares version keys (a test
 * scans the sources). Supporting a new version is adding a row here, a schema snapshot and its
 * generated folder: docs/architecture.md "Supporting a new DHIS2 version" has the checklist.
 */
import type { GeneratedVersionKey } from "./generated/registry.gen.js";
import { UnsupportedVersionError } from "./http/errors/unsupported-version-error.js";
import type { VersionBehaviour } from "./version-behaviour.js";
import { parseDhis2Version } from "./version-string.js";

export * from "./version-behaviour.js";
export * from "./version-string.js";

const V41: VersionBehaviour = {
  minor: 41,
  referenceBuild: {
    version: "2.41.8.1",
    revision: "5c2ab1d",
    buildTime: "2025-03-04T10:12:41.000",
    jasperReportsVersion: "6.20.6",
    javaVersion: "17.0.14",
  },
  metadata: {
    notEmptyFilterOperator: false,
    queryErrorStatus: 409,
    gistPageLinks: "relative",
    ancestorsOrderedByLevel: false,
  },
  dataValues: {
    setNeedsDataSet: false,
    captureScopeCaches: { singleValueHierarchy: true, apiTokenUserDetails: false },
  },
  dataStore: {
    dottedNames: false,
    protectedNamespaces: ["METADATASTORE", "ANDROID_SETTINGS_APP", "capture", "ORG_UNIT_PROFILE"],
    protectionsEndpoint: false,
  },
  tracker: {
    listRepeatsPagingFlat: true,
    legacyParamNames: true,
    eventsSplitByProgramType: false,
    enrollmentChecks: "type-and-single-entity",
    eventOrgUnitNotFound: (uid) => `Org unit is specified but does not exist: ${uid}`,
  },
  systemSettings: { model: "SettingKey" },
  systemInfo: { sessionTimeout: undefined, capability: undefined },
  cors: { refusal: "pass-through" },
  oauth2: { clientModel: "OAuth2Client" },
  validation: {
    maxResultsMessage: (limit) => `Max results must be greater than 0 and less than or equal to ${limit}`,
    predictorsRefuseReversedDates: false,
  },
  jobs: { kickoffResponseType: { initial: undefined, changes: [] } },
  apps: { installStatus: 204 },
  fileResources: {
    dataRefusedDomains: ["DATA_VALUE", "PUSH_ANALYSIS"],
    dataRefusedMessage: (uid) =>
      `You don't have access to fileResource '${uid}' or this fileResource is not available from this endpoint`,
  },
};

const V42: VersionBehaviour = {
  minor: 42,
  referenceBuild: {
    version: "2.42.4.1",
    revision: "a91e0c7",
    buildTime: "2025-09-16T08:47:05.000",
    jasperReportsVersion: "6.20.6",
    javaVersion: "17.0.16",
  },
  metadata: {
    notEmptyFilterOperator: true,
    queryErrorStatus: 409,
    gistPageLinks: "request-url",
    ancestorsOrderedByLevel: true,
  },
  dataValues: {
    setNeedsDataSet: false,
    captureScopeCaches: { singleValueHierarchy: true, apiTokenUserDetails: true },
  },
  dataStore: {
    dottedNames: true,
    protectedNamespaces: [
      "METADATASTORE",
      "ANDROID_SETTINGS_APP",
      "capture",
      "ORG_UNIT_PROFILE",
      "sms-config",
      "settings-translations",
    ],
    protectionsEndpoint: true,
  },
  tracker: {
    listRepeatsPagingFlat: false,
    legacyParamNames: false,
    eventsSplitByProgramType: false,
    enrollmentChecks: "type-and-entities",
    eventOrgUnitNotFound: (uid) => `Organisation unit is specified but does not exist: ${uid}`,
  },
  systemSettings: { model: "LazySettings" },
  systemInfo: { sessionTimeout: undefined, capability: undefined },
  cors: { refusal: "empty-200" },
  oauth2: { clientModel: "RegisteredClient" },
  validation: {
    maxResultsMessage: (limit) => `Max results must be between 1 and ${limit}`,
    predictorsRefuseReversedDates: false,
  },
  jobs: {
    kickoffResponseType: {
      initial: "JobConfigurationWebMessageResponse",
      changes: [{ fromPatch: 5, value: "JobConfiguration" }],
    },
  },
  apps: { installStatus: 201 },
  fileResources: {
    dataRefusedDomains: ["DATA_VALUE", "PUSH_ANALYSIS"],
    dataRefusedMessage: (uid) =>
      `You don't have access to fileResource '${uid}' or this fileResource is not available from this endpoint`,
  },
};

const V43: VersionBehaviour = {
  minor: 43,
  referenceBuild: {
    version: "2.43.0",
    revision: "3f6d2b8",
    buildTime: "2026-01-20T14:03:22.000",
    jasperReportsVersion: "6.21.3",
    javaVersion: "17.0.17",
  },
  metadata: {
    notEmptyFilterOperator: true,
    queryErrorStatus: 400,
    gistPageLinks: "request-url",
    ancestorsOrderedByLevel: true,
  },
  dataValues: {
    setNeedsDataSet: true,
    captureScopeCaches: { singleValueHierarchy: false, apiTokenUserDetails: false },
  },
  dataStore: {
    dottedNames: true,
    protectedNamespaces: [
      "METADATASTORE",
      "ANDROID_SETTINGS_APP",
      "capture",
      "ORG_UNIT_PROFILE",
      "sms-config",
      "settings-translations",
    ],
    protectionsEndpoint: true,
  },
  tracker: {
    listRepeatsPagingFlat: false,
    legacyParamNames: false,
    eventsSplitByProgramType: true,
    enrollmentChecks: "none",
    eventOrgUnitNotFound: (uid) => `Organisation unit is specified but does not exist: ${uid}`,
  },
  systemSettings: { model: "LazySettings" },
  systemInfo: { sessionTimeout: 3600, capability: { analyticsTotalCounts: false } },
  cors: { refusal: "empty-200" },
  oauth2: { clientModel: "RegisteredClient" },
  validation: {
    maxResultsMessage: (limit) => `Max results must be between 1 and ${limit}`,
    predictorsRefuseReversedDates: true,
  },
  jobs: {
    kickoffResponseType: {
      initial: "JobConfigurationWebMessageResponse",
      changes: [{ fromPatch: 1, value: "JobConfiguration" }],
    },
  },
  apps: { installStatus: 201 },
  fileResources: {
    dataRefusedDomains: ["DATA_VALUE"],
    dataRefusedMessage: (uid) => `File resource not found or not accessible: ${uid}`,
  },
};

/**
 * The DHIS2 versions this toolkit supports, and what differs between them (a row per version;
 * each field is documented on {@link VersionBehaviour}).
 *
 * @example
 * ```ts
 * if (!SUPPORTED_VERSIONS[client.versionKey].metadata.notEmptyFilterOperator) filters.push("name:!null");
 * ```
 */
export const SUPPORTED_VERSIONS = { v41: V41, v42: V42, v43: V43 } as const satisfies Record<
  `v${number}`,
  VersionBehaviour
>;

/** A supported version key: `"v41" | "v42" | "v43"`, the keys of {@link SUPPORTED_VERSIONS}. */
export type VersionKey = keyof typeof SUPPORTED_VERSIONS;

/**
 * Every row needs generated code (`npm run codegen` writes `generated/<key>/` and lists the key
 * in `generated/registry.gen.ts`), and generated code a row. When this line fails to compile, the
 * table and the registry disagree: generate the new version's code from its schema snapshot.
 */
export type RowsHaveGeneratedCode = Assert<Same<VersionKey, GeneratedVersionKey>>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** The supported version keys, oldest first. */
export const VERSION_KEYS = (Object.keys(SUPPORTED_VERSIONS) as VersionKey[]).sort(
  (a, b) => SUPPORTED_VERSIONS[a].minor - SUPPORTED_VERSIONS[b].minor,
) as readonly VersionKey[] as readonly [VersionKey, ...VersionKey[]];

/** True when `value` names a supported version. */
export function isVersionKey(value: unknown): value is VersionKey {
  return typeof value === "string" && Object.hasOwn(SUPPORTED_VERSIONS, value);
}

/**
 * The behaviour row of a supported version.
 *
 * @example
 * ```ts
 * versionBehaviour("v41").dataStore.dottedNames; // false
 * ```
 */
export function versionBehaviour(key: VersionKey): VersionBehaviour {
  return SUPPORTED_VERSIONS[key];
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
