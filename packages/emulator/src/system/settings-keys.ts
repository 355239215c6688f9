/**
 * Every system setting key a fresh DHIS2 knows, with its type and default as `GET
 * /api/systemSettings` renders it, per version. Read off dhis2-core: the `SettingKey` enum on
 * 2.41 (`dhis-api/.../setting/SettingKey.java`: name, default, class, confidential,
 * translatable) and the `SystemSettings` interface on 2.42 and 2.43 (one `default` getter per
 * key, `@Confidential`, `@Translatable`; the key set is `LazySettings.keysWithDefaults`).
 *
 * Rendering follows each version's serialiser. 2.41 (Jackson on `Serializable` values): enums by
 * `name()`, dates as `DateUtils.toIso8601NoTz`, a `null` default leaves the key out of the list.
 * 2.42+ (`LazySettings.asJson`): every key has a default; enums by `toString()` (so
 * `DisplayProperty.NAME` is `"name"`), dates in `yyyy-MM-dd'T'HH:mm:ss.SSS`.
 *
 * A row's top-level fields are the newest version that has the key; `v41` / `v42` hold what
 * differs there, `in` the versions that have the key when not all of them do. `KEY_COUNTS` says
 * how many keys each version has, so a new version of the table is a compile error here until
 * its keys are read off dhis2-core (and a wrong count fails at the first `settingKeys` call).
 */
import type { VersionKey } from "@dhis2w/client";

/** How a setting's text is read (`SettingKey.getAsRealClass` / `LazySettings.format`). */
export type SettingType =
  | "string"
  | "boolean"
  | "int"
  | "long"
  | "double"
  | "date"
  | "locale"
  | "enum"
  | "object";

/** A setting's value as JSON. */
export type SettingJson = string | number | boolean | null | { [key: string]: unknown };

interface SettingFacts {
  readonly type: SettingType;
  /** As rendered; `null` on 2.41 means no default (the key is left out until set). */
  readonly default: SettingJson;
  readonly confidential?: boolean;
  readonly translatable?: boolean;
}

interface SettingRow extends SettingFacts, Partial<Readonly<Record<VersionKey, Partial<SettingFacts>>>> {
  readonly key: string;
  readonly in?: readonly VersionKey[];
}

/** One key as a version knows it. */
export interface SettingDef extends SettingFacts {
  readonly key: string;
}

const ROWS: readonly SettingRow[] = [
  { key: "keyUiLocale", type: "locale", default: "en" },
  { key: "keyDbLocale", type: "locale", default: "en", v41: { default: null } },
  { key: "keyAnalysisDisplayProperty", type: "enum", default: "name", v41: { default: "NAME" } },
  { key: "keyAnalysisDigitGroupSeparator", type: "enum", default: "SPACE" },
  { key: "keyCurrentDomainType", type: "string", default: "", v41: { default: null } },
  { key: "keyTrackerDashboardLayout", type: "string", default: "", v41: { default: null } },
  { key: "applicationTitle", type: "string", default: "DHIS 2", translatable: true },
  { key: "keyApplicationIntro", type: "string", default: "", translatable: true, v41: { default: null } },
  {
    key: "keyApplicationNotification",
    type: "string",
    default: "",
    translatable: true,
    v41: { default: null },
  },
  { key: "keyApplicationFooter", type: "string", default: "", translatable: true, v41: { default: null } },
  {
    key: "keyApplicationRightFooter",
    type: "string",
    default: "",
    translatable: true,
    v41: { default: null },
  },
  { key: "keyFlag", type: "string", default: "dhis2" },
  { key: "keyFlagImage", type: "string", default: "", v41: { default: null } },
  { key: "startModule", type: "string", default: "dhis-web-dashboard", v42: { default: "dashboard" } },
  { key: "startModuleEnableLightweight", type: "boolean", default: false },
  { key: "factorDeviation", type: "double", default: 2.0 },
  { key: "keyEmailHostName", type: "string", default: "", v41: { default: null } },
  { key: "keyEmailPort", type: "int", default: 587 },
  { key: "keyEmailUsername", type: "string", default: "", v41: { default: null } },
  { key: "keyEmailTls", type: "boolean", default: true },
  { key: "keyEmailSender", type: "string", default: "" },
  { key: "keyEmailPassword", type: "string", default: "", confidential: true },
  { key: "minPasswordLength", type: "int", default: 8 },
  { key: "maxPasswordLength", type: "int", default: 72 },
  { key: "keySmsMaxLength", type: "int", default: 1071 },
  { key: "keyCacheStrategy", type: "enum", default: "CACHE_1_MINUTE" },
  { key: "keyCacheability", type: "enum", default: "PUBLIC" },
  { key: "analyticsFinancialYearStart", type: "enum", default: "FINANCIAL_YEAR_OCTOBER" },
  { key: "analyticsWeeklyStart", type: "enum", default: "WEEKLY", in: ["v43"] },
  { key: "phoneNumberAreaCode", type: "string", default: "", v41: { default: null } },
  { key: "keyAccountRecovery", type: "boolean", default: false },
  { key: "keyLockMultipleFailedLogins", type: "boolean", default: false },
  { key: "googleAnalyticsUA", type: "string", default: "", v41: { default: null } },
  { key: "credentialsExpires", type: "int", default: 0 },
  { key: "credentialsExpiryAlert", type: "boolean", default: false },
  { key: "credentialsExpiresReminderInDays", type: "int", default: 28 },
  { key: "accountExpiresInDays", type: "int", default: 7 },
  { key: "accountExpiryAlert", type: "boolean", default: false },
  { key: "keySelfRegistrationNoRecaptcha", type: "boolean", default: false },
  { key: "recaptchaSecret", type: "string", default: "", confidential: true },
  {
    key: "recaptchaSite",
    type: "string",
    default: "6LcVwT0UAAAAAAkO_EGPiYOiymIszZUeHfqWIYX5",
    confidential: true,
  },
  { key: "keyCanGrantOwnUserAuthorityGroups", type: "boolean", default: false },
  { key: "keyIgnoreAnalyticsApprovalYearThreshold", type: "int", default: -1 },
  { key: "keyAnalyticsMaxLimit", type: "int", default: 100000 },
  { key: "keyDataQualityMaxLimit", type: "int", default: 500 },
  { key: "keyIncludeZeroValuesInAnalytics", type: "boolean", default: false },
  { key: "keyEmbeddedDashboardsEnabled", type: "boolean", default: false, in: ["v42", "v43"] },
  { key: "keySqlViewMaxLimit", type: "int", default: -1 },
  { key: "keyRespectMetaDataStartEndDatesInAnalyticsTableExport", type: "boolean", default: false },
  { key: "keySkipDataTypeValidationInAnalyticsTableExport", type: "boolean", default: false },
  { key: "keyParallelJobsInAnalyticsTableExport", type: "int", default: -1 },
  { key: "keyCustomLoginPageLogo", type: "boolean", default: false },
  { key: "keyCustomTopMenuLogo", type: "boolean", default: false },
  { key: "keyDatabaseServerCpus", type: "int", default: 0 },
  { key: "keyLastSuccessfulAnalyticsTablesRuntime", type: "string", default: "", v41: { default: null } },
  {
    key: "keyLastSuccessfulLatestAnalyticsPartitionRuntime",
    type: "string",
    default: "",
    v41: { default: null },
  },
  { key: "keyLastMonitoringRun", type: "date", default: "1970-01-01T00:00:00.000", v41: { default: null } },
  { key: "keyLastSuccessfulDataSynch", type: "date", default: "1970-01-01T00:00:00.000" },
  { key: "keyLastSuccessfulEventsDataSynch", type: "date", default: "1970-01-01T00:00:00.000" },
  { key: "keyLastCompleteDataSetRegistrationSyncSuccess", type: "date", default: "1970-01-01T00:00:00.000" },
  { key: "syncSkipSyncForDataChangedBefore", type: "date", default: "1970-01-01T00:00:00.000" },
  {
    key: "keyLastSuccessfulAnalyticsTablesUpdate",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  {
    key: "keyLastSuccessfulLatestAnalyticsPartitionUpdate",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  {
    key: "keyLastSuccessfulResourceTablesUpdate",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  {
    key: "keyLastSuccessfulSystemMonitoringPush",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  {
    key: "keyLastSuccessfulMonitoring",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  {
    key: "keyNextAnalyticsTableUpdate",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  {
    key: "helpPageLink",
    type: "string",
    default: "https://dhis2.github.io/dhis2-docs/master/en/user/html/dhis2_user_manual_en.html",
  },
  { key: "keyAcceptanceRequiredForApproval", type: "boolean", default: false },
  { key: "keySystemNotificationsEmail", type: "string", default: "", v41: { default: null } },
  { key: "keyAnalysisRelativePeriod", type: "enum", default: "LAST_12_MONTHS" },
  { key: "keyRequireAddToView", type: "boolean", default: false },
  { key: "keyAllowObjectAssignment", type: "boolean", default: false },
  { key: "keyUseCustomLogoFront", type: "boolean", default: false },
  { key: "keyUseCustomLogoBanner", type: "boolean", default: false },
  {
    key: "keyMetaDataRepoUrl",
    type: "string",
    default: "https://raw.githubusercontent.com/dhis2/dhis2-metadata-repo/master/repo/221/index.json",
  },
  { key: "keyDataImportStrictPeriods", type: "boolean", default: false },
  { key: "dataEntryAutoGroup", type: "boolean", default: false, in: ["v43"] },
  { key: "keyDataImportStrictOrganisationUnits", type: "boolean", default: false },
  { key: "keyDataImportStrictAttributeOptionCombos", type: "boolean", default: false },
  { key: "keyDataImportRequireAttributeOptionCombo", type: "boolean", default: false },
  { key: "keyCustomJs", type: "string", default: "", v41: { default: null } },
  { key: "keyCustomCss", type: "string", default: "", v41: { default: null } },
  { key: "keyCalendar", type: "string", default: "iso8601" },
  { key: "keyDateFormat", type: "string", default: "yyyy-MM-dd" },
  { key: "keyRemoteInstanceUrl", type: "string", default: "" },
  { key: "keyRemoteInstanceUsername", type: "string", default: "" },
  { key: "keyRemoteInstancePassword", type: "string", default: "", confidential: true },
  { key: "keyGoogleMapsApiKey", type: "string", default: "" },
  { key: "keyBingMapsApiKey", type: "string", default: "" },
  { key: "keyAzureMapsApiKey", type: "string", default: "" },
  {
    key: "keyLastMetaDataSyncSuccess",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  { key: "keyVersionEnabled", type: "boolean", default: false },
  { key: "keyMetadataFailedVersion", type: "string", default: "", v41: { default: null } },
  {
    key: "keyMetadataLastFailedTime",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  {
    key: "keyLastSuccessfulScheduledProgramNotifications",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  {
    key: "keyLastSuccessfulScheduledDataSetNotifications",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  { key: "keyRemoteMetadataVersion", type: "string", default: "", v41: { default: null } },
  { key: "keySystemMetadataVersion", type: "string", default: "", v41: { default: null } },
  { key: "keyStopMetadataSync", type: "boolean", default: false },
  { key: "keyFileResourceRetentionStrategy", type: "enum", default: "NONE" },
  { key: "syncMaxRemoteServerAvailabilityCheckAttempts", type: "int", default: 3 },
  { key: "syncMaxAttempts", type: "int", default: 3 },
  { key: "syncDelayBetweenRemoteServerAvailabilityCheckAttempts", type: "int", default: 500 },
  {
    key: "lastSuccessfulDataStatistics",
    type: "date",
    default: "1970-01-01T00:00:00.000",
    v41: { default: null },
  },
  { key: "keyHideDailyPeriods", type: "boolean", default: false },
  { key: "keyHideWeeklyPeriods", type: "boolean", default: false },
  { key: "keyHideBiWeeklyPeriods", type: "boolean", default: false },
  { key: "keyHideMonthlyPeriods", type: "boolean", default: false },
  { key: "keyHideBiMonthlyPeriods", type: "boolean", default: false },
  { key: "keyGatherAnalyticalObjectStatisticsInDashboardViews", type: "boolean", default: false },
  { key: "keyCountPassiveDashboardViewsInUsageAnalytics", type: "boolean", default: false },
  { key: "keyDashboardContextMenuItemSwitchViewType", type: "boolean", default: true },
  { key: "keyDashboardContextMenuItemOpenInRelevantApp", type: "boolean", default: true },
  { key: "keyDashboardContextMenuItemShowInterpretationsAndDetails", type: "boolean", default: true },
  { key: "keyDashboardContextMenuItemViewFullscreen", type: "boolean", default: true },
  { key: "keyDefaultBaseMap", type: "string", default: "", v41: { default: null } },
  { key: "ruleEngineAssignOverwrite", type: "boolean", default: false },
  { key: "jobsRescheduleAfterMinutes", type: "int", default: 10 },
  { key: "jobsCleanupAfterMinutes", type: "int", default: 1440 },
  { key: "jobsMaxCronDelayHours", type: "int", default: 4 },
  { key: "jobsLogDebugBelowSeconds", type: "int", default: 180 },
  { key: "keyAnalyticsCacheProgressiveTtlFactor", type: "int", default: 160 },
  { key: "keyAnalyticsCacheTtlMode", type: "enum", default: "FIXED" },
  { key: "keyAnalyticsPeriodYearsOffset", type: "int", default: -1 },
  { key: "keyAnalyticsDownloadCombinationLimit", type: "int", default: 20000 },
  { key: "KeyTrackedEntityMaxLimit", type: "int", default: 50000 },
  { key: "loginPopup", type: "string", default: "", translatable: true },
  { key: "keyHtmlPushAnalyticsUrl", type: "string", default: "" },
  { key: "loginPageLayout", type: "enum", default: "DEFAULT", v41: { type: "string" } },
  { key: "loginPageTemplate", type: "string", default: "", v41: { default: null } },
  {
    key: "globalShellAppName",
    type: "string",
    default: "global-shell",
    v41: { default: "global-app-shell" },
  },
  { key: "globalShellEnabled", type: "boolean", default: true, in: ["v42", "v43"] },
  { key: "enforceVerifiedEmail", type: "boolean", default: false, in: ["v42", "v43"] },
  { key: "notifierLogLevel", type: "enum", default: "DEBUG" },
  { key: "notifierMaxMessagesPerJob", type: "int", default: 500 },
  { key: "notifierMaxAgeDays", type: "int", default: 7 },
  { key: "notifierMaxJobsPerType", type: "int", default: 500 },
  { key: "notifierGistOverview", type: "boolean", default: true },
  { key: "notifierCleanAfterIdleTime", type: "int", default: 600000, v41: { type: "long", default: 60000 } },
  {
    key: "experimentalAnalyticsSqlEngineEnabled",
    type: "boolean",
    default: true,
    in: ["v42", "v43"],
    v42: { default: false },
  },
  { key: "orgUnitCentroidsInEventsAnalytics", type: "boolean", default: false },
  { key: "autoVerifyInvitedUserEmail", type: "boolean", default: true, in: ["v42", "v43"] },
  {
    key: "deviceEnrollmentRedirectAllowlist",
    type: "string",
    default: "dhis2oauth://oauth",
    in: ["v42", "v43"],
  },
  { key: "deviceEnrollmentAllowedUserGroups", type: "string", default: "", in: ["v42", "v43"] },
  { key: "deviceEnrollmentIATTtlSeconds", type: "int", default: 60, in: ["v42", "v43"] },
  { key: "keyCustomColor", type: "string", default: "", in: ["v43"] },
  { key: "keyCustomColorMobile", type: "string", default: "", in: ["v43"] },
  { key: "keyCustomTranslationsEnabled", type: "boolean", default: false, in: ["v43"] },
  { key: "multiOrganisationUnitForms", type: "boolean", default: false, in: ["v41", "v42"] },
  { key: "keyDataImportStrictDataElements", type: "boolean", default: false, in: ["v41", "v42"] },
  { key: "keyDataImportStrictCategoryOptionCombos", type: "boolean", default: false, in: ["v41", "v42"] },
  { key: "keyDataImportRequireCategoryOptionCombo", type: "boolean", default: false, in: ["v41", "v42"] },
  { key: "keyDataImportStrictDataSetApproval", type: "boolean", default: true, in: ["v41", "v42"] },
  { key: "keyDataImportStrictDataSetLocking", type: "boolean", default: true, in: ["v41", "v42"] },
  { key: "keyDataImportStrictDataSetInputPeriods", type: "boolean", default: true, in: ["v41", "v42"] },
  { key: "keyStyle", type: "string", default: "light_blue/light_blue.css", in: ["v41", "v42"] },
  { key: "keySmsSetting", type: "object", default: { gateways: [] }, in: ["v41"] },
  { key: "keyConfig", type: "object", default: null, in: ["v41"] },
  { key: "KeyTrackedEntityInstanceMaxLimit", type: "int", default: 50000, in: ["v41"] },
];

/** The number of keys of each version (`SettingKey` on 2.41, `LazySettings.keysWithDefaults` on 2.42+). */
const KEY_COUNTS = { v41: 147, v42: 152, v43: 149 } as const satisfies Record<VersionKey, number>;

const BY_VERSION = new Map<VersionKey, ReadonlyMap<string, SettingDef>>();

/**
 * The keys a version knows, by name (as many as `KEY_COUNTS` says).
 *
 * @example
 * settingKeys("v43").get("applicationTitle"); // { key: "applicationTitle", type: "string", default: "DHIS 2", translatable: true }
 */
export function settingKeys(version: VersionKey): ReadonlyMap<string, SettingDef> {
  let keys = BY_VERSION.get(version);
  if (!keys) {
    const map = new Map<string, SettingDef>();
    for (const row of ROWS) {
      if (row.in && !row.in.includes(version)) continue;
      const { key, type, default: dflt, confidential, translatable } = row;
      map.set(key, { key, type, default: dflt, confidential, translatable, ...row[version] } as SettingDef);
    }
    if (map.size !== KEY_COUNTS[version]) {
      throw new Error(`settings-keys.ts: ${version} has ${map.size} keys, dhis2-core ${KEY_COUNTS[version]}`);
    }
    keys = map;
    BY_VERSION.set(version, keys);
  }
  return keys;
}
