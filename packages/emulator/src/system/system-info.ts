/**
 * `/api/system/info`, after dhis2-core `SystemInfo` (field order = declaration order, NON_NULL),
 * `DefaultSystemService.getSystemInfo` and `SystemController#getSystemInfo` at 2.41.8.1,
 * 2.42.4.1 and 2.43.0:
 *
 * - the analytics keys come from system settings: `lastAnalyticsTableSuccess` =
 *   `keyLastSuccessfulAnalyticsTablesUpdate` (the job's START time), `lastAnalyticsTableRuntime`
 *   = `keyLastSuccessfulAnalyticsTablesRuntime` (`Clock.time()`, `HH:mm:ss.SSS`),
 *   `intervalSinceLastAnalyticsTableSuccess` = `DateUtils.getPrettyInterval(last, now)` (Joda
 *   `DAY_SECOND_FORMAT` over a millisecond `Period`: `"2 h, 5 m, 3 s"`, zero fields left out,
 *   never days); likewise for the latest partition and `lastSystemMonitoringSuccess`.
 * - before any run, 2.41 (`SettingKey`, no default) leaves them all out; 2.42+ (`SystemSettings`
 *   defaults `new Date(0L)` and `""`) send the epoch, its interval, and `""`.
 * - `isMetadataVersionEnabled` = `keyVersionEnabled` (default false); `systemMetadataVersion`
 *   (2.42+ default `""`); `lastMetadataVersionSyncAttempt` = the later of the last metadata sync
 *   success and failure (2.42+ epoch; 2.41 absent). `isMetadataSyncEnabled` is declared but never
 *   set, so it is never sent.
 * - 2.43 adds `sessionTimeout` (`system.session.timeout`, default 3600) and `capability`
 *   (`analyticsTotalCounts`: false on PostgreSQL).
 * - a non-superuser gets `withoutSensitiveInfo()`: the server details dropped, `encryption` and
 *   `redisEnabled` false, `databaseInfo` without name, user, url and version.
 */
import { dhis2Timestamp } from "../clock.js";
import type { Ctx } from "../ctx.js";
import { isSuperuser } from "../users.js";

const EPOCH = "1970-01-01T00:00:00.000";

/** Joda's `DAY_SECOND_FORMAT` printing `new Period(ms)`: hours, minutes, seconds; zeros left out. */
export function prettyInterval(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const parts: [number, string][] = [
    [Math.floor(s / 3600), "h"],
    [Math.floor(s / 60) % 60, "m"],
    [s % 60, "s"],
  ];
  const shown = parts.filter(([n]) => n !== 0).map(([n, u]) => `${n} ${u}`);
  return shown.length > 0 ? shown.join(", ") : "0 s";
}

/** The wire timestamp (`2025-06-01T00:00:00.000`) as epoch ms, reading it as UTC like the emulator writes it. */
function parseTimestamp(text: string): number {
  return Date.parse(text.endsWith("Z") ? text : `${text}Z`);
}

/** The system info body for this request's user. */
export function systemInfo(ctx: Ctx): Record<string, unknown> {
  const { state } = ctx;
  const { referenceBuild: build, systemInfo: fields, systemSettings } = state.behaviour;
  // 2.41's `SettingKey` leaves a setting without default out; `LazySettings` has one for each.
  const noDefaults = systemSettings.model === "SettingKey";
  const now = state.clock.now();
  const setting = (key: string) => {
    const v = state.settings.get(key);
    return v === undefined || v === null ? undefined : String(v);
  };
  /** A date setting: its value, else the epoch on 2.42+ (undefined on 2.41). */
  const date = (key: string) => setting(key) ?? (noDefaults ? undefined : EPOCH);
  const text = (key: string) => setting(key) ?? (noDefaults ? undefined : "");
  const since = (at: string | undefined) =>
    at === undefined ? undefined : prettyInterval(now - parseTimestamp(at));
  const lastTables = date("keyLastSuccessfulAnalyticsTablesUpdate");
  const lastPartition = date("keyLastSuccessfulLatestAnalyticsPartitionUpdate");
  const syncOk = date("keyLastMetaDataSyncSuccess");
  const syncFailed = date("keyMetadataLastFailedTime");
  const lastSyncAttempt =
    syncOk === undefined || syncFailed === undefined
      ? (syncFailed ?? syncOk)
      : parseTimestamp(syncOk) < parseTimestamp(syncFailed)
        ? syncFailed
        : syncOk;
  const superuser = ctx.user !== undefined && isSuperuser(ctx.user);
  const server = <T>(value: T): T | undefined => (superuser ? value : undefined);
  const database = {
    name: server("dhis2"),
    user: server("dhis"),
    url: server("jdbc:postgresql://db:5432/dhis2"),
    databaseVersion: server("PostgreSQL 16.4"),
    spatialSupport: true,
    time: dhis2Timestamp(now),
  };
  const body: Record<string, unknown> = {
    contextPath: ctx.origin,
    userAgent: ctx.header("user-agent") ?? undefined,
    calendar: state.settings.get("keyCalendar") ?? "iso8601",
    dateFormat: state.settings.get("keyDateFormat") ?? "yyyy-MM-dd",
    serverDate: dhis2Timestamp(now),
    serverTimeZoneId: "Etc/UTC",
    sessionTimeout: fields.sessionTimeout,
    serverTimeZoneDisplayName: "Coordinated Universal Time",
    lastAnalyticsTableSuccess: lastTables,
    intervalSinceLastAnalyticsTableSuccess: since(lastTables),
    lastAnalyticsTableRuntime: text("keyLastSuccessfulAnalyticsTablesRuntime"),
    lastSystemMonitoringSuccess: date("keyLastSuccessfulSystemMonitoringPush"),
    lastAnalyticsTablePartitionSuccess: lastPartition,
    intervalSinceLastAnalyticsTablePartitionSuccess: since(lastPartition),
    lastAnalyticsTablePartitionRuntime: text("keyLastSuccessfulLatestAnalyticsPartitionRuntime"),
    databaseInfo: database,
    capability: fields.capability,
    version: state.versionString,
    revision: build.revision,
    buildTime: build.buildTime,
    jasperReportsVersion: server(build.jasperReportsVersion),
    environmentVariable: server("DHIS2_HOME"),
    fileStoreProvider: server("filesystem"),
    readOnlyMode: server("off"),
    nodeId: server(""),
    javaVersion: server(build.javaVersion),
    javaVendor: server("Eclipse Adoptium"),
    javaOpts: server("-Xms1024m -Xmx2048m"),
    osName: server("Linux"),
    osArchitecture: server("amd64"),
    osVersion: server("6.8.0"),
    externalDirectory: server("/opt/dhis2"),
    readReplicaCount: server(0),
    memoryInfo: server("Mem Total in JVM: 2048 Mb, Free in JVM: 1024 Mb, Max Limit: 2048 Mb"),
    cpuCores: server(4),
    encryption: false,
    emailConfigured: false,
    redisEnabled: false,
    systemId: state.systemId,
    systemName: state.settings.get("applicationTitle") ?? state.systemName,
    systemMetadataVersion: text("keySystemMetadataVersion"),
    instanceBaseUrl: ctx.origin,
    clusterHostname: server(""),
    isMetadataVersionEnabled: (setting("keyVersionEnabled") ?? "false") === "true",
    lastMetadataVersionSyncAttempt: lastSyncAttempt,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}
