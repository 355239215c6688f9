import { ApiTokenStore } from "./api-tokens.js";
import { type Clock, dhis2Timestamp } from "./clock.js";
import { MetadataStore } from "./metadata-store.js";
import { generateUid } from "./uid.js";
import { mirrorUserToMetadata, UserStore } from "./users.js";
import { VERSION_PROFILES, type VersionKey } from "./versions.js";

export type { MetadataObject } from "./metadata-store.js";
export { MetadataStore } from "./metadata-store.js";
export type { EmulatorUser, NewUser, UserAccountFields } from "./users.js";
export { mirrorUserToMetadata, UserStore } from "./users.js";

/**
 * System settings a fresh DHIS2 answers (keys from dhis2-core `SettingKey` / `SystemSettings`;
 * docs.dhis2.org "System settings"). Only a representative subset: unknown keys can be set too.
 */
export function defaultSystemSettings(): Map<string, unknown> {
  return new Map<string, unknown>([
    ["applicationTitle", "DHIS 2"],
    ["keyApplicationIntro", ""],
    ["keyApplicationFooter", ""],
    ["keyUiLocale", "en"],
    ["keyDbLocale", "en"],
    ["keyAnalysisDisplayProperty", "name"],
    ["keyCalendar", "iso8601"],
    ["keyDateFormat", "yyyy-MM-dd"],
    ["keyStyle", "light_blue/light_blue.css"],
    ["startModule", "dhis-web-dashboard"],
    ["keyFlag", "dhis2"],
    ["keyCacheStrategy", "CACHE_6AM_TOMORROW"],
    ["keyCacheability", "PUBLIC"],
    ["keyAnalyticsMaxLimit", 100000],
    ["keySqlViewMaxLimit", -1],
    ["keyIgnoreAnalyticsApprovalYearThreshold", -1],
    ["keyHideUnapprovedDataInAnalytics", false],
    ["keyAccountRecovery", false],
    ["keyLockMultipleFailedLogins", false],
    ["keyCanGrantOwnUserAuthorityGroups", false],
    ["keyAllowObjectAssignment", false],
    ["keyRequireAddToView", false],
    ["minPasswordLength", 8],
    ["maxPasswordLength", 72],
    ["keyEmailHostName", ""],
    ["keyEmailPort", 587],
    ["keyEmailTls", true],
    ["keyDataQualityMaxLimit", 500],
    ["keyFactorOfDeviation", 2.0],
    ["keyHideDailyPeriods", false],
    ["keyHideWeeklyPeriods", false],
    ["keyHideBiWeeklyPeriods", false],
    ["keyHideMonthlyPeriods", false],
    ["keyHideBiMonthlyPeriods", false],
    ["keyMetadataDataVersioning", false],
    ["keyTrackerDashboardLayout", ""],
  ]);
}

/** Options for a fresh state. */
export interface StateOptions {
  version: VersionKey;
  /** Overrides the reported `version` string (e.g. "2.41-SNAPSHOT"). */
  versionString?: string;
  clock: Clock;
  systemName?: string;
}

/**
 * The emulator's whole in-memory world. Modules keep their own extra state in closures or in
 * `app.extensions`; everything DHIS2 persists in its database lives here.
 */
export class EmulatorState {
  readonly version: VersionKey;
  versionString: string;
  readonly clock: Clock;
  readonly users: UserStore;
  readonly tokens = new ApiTokenStore();
  readonly settings: Map<string, unknown> = defaultSystemSettings();
  readonly metadata = new MetadataStore();
  /** `systemId` in `/api/system/info` (a UUID on real servers). */
  systemId = "7d3e6a91-2c4f-4b8e-9a1d-5f0c2e8b4d17";
  systemName: string;
  /**
   * `Configuration.corsWhitelist`: origins (globs) the CORS filter answers; changed at runtime
   * through `POST /api/configuration/corsWhitelist`, seeded from the `allowedOrigins` option.
   */
  readonly corsWhitelist = new Set<string>();

  constructor(opts: StateOptions) {
    this.version = opts.version;
    this.versionString = opts.versionString ?? VERSION_PROFILES[opts.version].versionString;
    this.clock = opts.clock;
    this.systemName = opts.systemName ?? "DHIS 2 Emulator";
    // Accounts added directly (seeds, tests) show up under /api/users too: one truth.
    this.users = new UserStore(
      () => this.timestamp(),
      () => generateUid(),
      (user) => mirrorUserToMetadata(this.metadata, user),
    );
  }

  /** The current time in DHIS2's wire format (`2025-01-31T12:00:00.000`). */
  timestamp(): string {
    return dhis2Timestamp(this.clock.now());
  }
}
