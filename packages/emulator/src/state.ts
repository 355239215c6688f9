import { SUPPORTED_VERSIONS, type VersionBehaviour, type VersionKey } from "@dhis2w/client";
import { ApiTokenStore } from "./api-tokens.js";
import { type Clock, dhis2Timestamp } from "./clock.js";
import { MetadataStore } from "./metadata-store.js";
import { generateUid } from "./uid.js";
import { mirrorUserToMetadata, UserStore } from "./users.js";

export type { MetadataObject } from "./metadata-store.js";
export { MetadataStore } from "./metadata-store.js";
export type { EmulatorUser, NewUser, UserAccountFields } from "./users.js";
export { mirrorUserToMetadata, UserStore } from "./users.js";

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
  /** What this version does differently: its row of the client's version table. */
  readonly behaviour: VersionBehaviour;
  versionString: string;
  readonly clock: Clock;
  readonly users: UserStore;
  readonly tokens = new ApiTokenStore();
  /**
   * System settings set on this server (DHIS2's `systemsetting` table), typed as `GET
   * /api/systemSettings` shows them; defaults per version are in `system/settings-keys.ts`.
   */
  readonly settings: Map<string, unknown> = new Map();
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
    this.behaviour = SUPPORTED_VERSIONS[opts.version];
    this.versionString = opts.versionString ?? this.behaviour.referenceBuild.version;
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
