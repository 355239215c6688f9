import type { EmulatorModule } from "../app.js";
import { dhis2Timestamp } from "../clock.js";
import type { Ctx } from "../ctx.js";
import { generateUid } from "../uid.js";
import { isSuperuser } from "../users.js";
import { VERSION_PROFILES } from "../versions.js";
import { HttpError } from "../web-message.js";
import { installSystemSettings } from "./settings.js";

/**
 * `/api/system/info`. Field set of a real 2.41-2.43 response (dhis2-core `SystemInfo`); superusers
 * get the server details, other users the reduced view, as `SystemController` does.
 */
function systemInfo(ctx: Ctx): Record<string, unknown> {
  const { state } = ctx;
  const profile = VERSION_PROFILES[state.version];
  const now = state.clock.now();
  const base: Record<string, unknown> = {
    contextPath: ctx.origin,
    userAgent: ctx.header("user-agent") ?? "",
    calendar: state.settings.get("keyCalendar") ?? "iso8601",
    dateFormat: state.settings.get("keyDateFormat") ?? "yyyy-MM-dd",
    serverDate: dhis2Timestamp(now),
    serverTimeZoneId: "Etc/UTC",
    serverTimeZoneDisplayName: "Coordinated Universal Time",
    version: state.versionString,
    revision: profile.revision,
    buildTime: profile.buildTime,
    jasperReportsVersion: profile.jasperReportsVersion,
    environmentVariable: "DHIS2_HOME",
    readOnlyMode: "off",
    nodeId: "",
    systemId: state.systemId,
    systemName: state.settings.get("applicationTitle") ?? state.systemName,
    instanceBaseUrl: ctx.origin,
    clusterHostname: "",
    isMetadataVersionEnabled: true,
    metadataSyncEnabled: false,
    emailConfigured: false,
    redisEnabled: false,
    encryption: false,
  };
  if (ctx.user && isSuperuser(ctx.user)) {
    Object.assign(base, {
      javaVersion: profile.javaVersion,
      javaVendor: "Eclipse Adoptium",
      javaOpts: "-Xms1024m -Xmx2048m",
      osName: "Linux",
      osArchitecture: "amd64",
      osVersion: "6.8.0",
      externalDirectory: "/opt/dhis2",
      fileStoreProvider: "filesystem",
      readReplicaCount: 0,
      memoryInfo: "Mem Total in JVM: 2048 Mb, Free in JVM: 1024 Mb, Max Limit: 2048 Mb",
      cpuCores: 4,
      databaseInfo: {
        name: "dhis2",
        user: "dhis",
        url: "jdbc:postgresql://db:5432/dhis2",
        databaseVersion: "PostgreSQL 16.4",
        spatialSupport: true,
      },
    });
  }
  return base;
}

/** `/api/system/*` and `/api/systemSettings`. */
export const systemModule: EmulatorModule = {
  name: "system",
  install(app) {
    app.get("/api/system/info", (ctx) => ctx.json(200, systemInfo(ctx)));

    // Ping is open on real servers (load balancers use it).
    app.get("/api/system/ping", (ctx) => ctx.text(200, "pong"), { auth: false });

    // Up to 10,000 codes per call, like SystemController#getUid.
    app.get("/api/system/id", (ctx) => {
      const raw = ctx.query.get("limit") ?? "1";
      const limit = Number(raw);
      if (!Number.isInteger(limit) || limit < 1) {
        throw new HttpError(400, `limit must be a positive integer, got ${JSON.stringify(raw)}`);
      }
      const n = Math.min(limit, 10_000);
      const codes = new Set<string>();
      while (codes.size < n) codes.add(generateUid());
      ctx.json(200, { codes: [...codes] });
    });
    app.get("/api/system/uid", (ctx) => ctx.json(200, { codes: [generateUid()] }));

    installSystemSettings(app);
  },
};
