/** The DHIS2 versions the emulator reproduces. */
export type VersionKey = "v41" | "v42" | "v43";

export const VERSION_KEYS: readonly VersionKey[] = ["v41", "v42", "v43"];

/** Build facts each emulated version reports in `/api/system/info`. */
export interface VersionProfile {
  readonly key: VersionKey;
  /** `version` in `/api/system/info`, as the real servers print it. */
  readonly versionString: string;
  readonly revision: string;
  readonly buildTime: string;
  readonly jasperReportsVersion: string;
  readonly javaVersion: string;
  /**
   * What a request from an origin outside the CORS allowlist gets: 2.41's own servlet filter lets
   * it through with no CORS headers; from 2.42 Spring's `CorsFilter` stops it with an empty 200
   * (see `cors.ts`).
   */
  readonly corsRefusal: "pass-through" | "empty-200";
}

/**
 * One table for the per-version differences of the core endpoints (the metadata module keeps its
 * own). Version strings are those of the servers the schemas in `../shared/dhis2/schemas` came from.
 */
export const VERSION_PROFILES: Readonly<Record<VersionKey, VersionProfile>> = {
  v41: {
    key: "v41",
    versionString: "2.41.8.1",
    revision: "5c2ab1d",
    buildTime: "2025-03-04T10:12:41.000",
    jasperReportsVersion: "6.20.6",
    javaVersion: "17.0.14",
    corsRefusal: "pass-through",
  },
  v42: {
    key: "v42",
    versionString: "2.42.4.1",
    revision: "a91e0c7",
    buildTime: "2025-09-16T08:47:05.000",
    jasperReportsVersion: "6.20.6",
    javaVersion: "17.0.16",
    corsRefusal: "empty-200",
  },
  v43: {
    key: "v43",
    versionString: "2.43.0",
    revision: "3f6d2b8",
    buildTime: "2026-01-20T14:03:22.000",
    jasperReportsVersion: "6.21.3",
    javaVersion: "17.0.17",
    corsRefusal: "empty-200",
  },
};

/** Throws a clear error for anything but v41/v42/v43. */
export function assertVersionKey(v: unknown): VersionKey {
  if (v === "v41" || v === "v42" || v === "v43") return v;
  throw new Error(
    `Unsupported emulator version ${JSON.stringify(v)}: expected one of ${VERSION_KEYS.join(", ")}`,
  );
}
