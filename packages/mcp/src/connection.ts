import type { Dhis2Client, Profile } from "@dhis2w/client";
import { openClient as coreOpenClient, explainProfile, type ProfileLocationOptions } from "@dhis2w/core";

/** Opens a connected client for a profile (core's `openClient` fits; tests inject their own). */
export type McpClientOpener = (
  profile: Profile,
  options: { profileName?: string; signal?: AbortSignal },
) => Promise<Dhis2Client>;

/** Where the server's DHIS2 connection comes from. */
export interface ConnectionOptions {
  /** Use this profile; otherwise `profileName` or the usual precedence picks one on first use. */
  profile?: Profile;
  /** A named profile (`--profile NAME`); with `profile`, the key of its OAuth2 token. */
  profileName?: string;
  /** How to connect. Default: core's `openClient` (PAT, Basic and OAuth2). */
  openClient?: McpClientOpener;
  /** Where profile files and environment variables are read (tests point this at a temp folder). */
  profileLocation?: ProfileLocationOptions;
}

/**
 * The server's one DHIS2 client: resolved and opened on first use, reused by every tool call,
 * closed on shutdown. A failed open is not cached, so the next call tries again.
 */
export class Connection {
  readonly #options: ConnectionOptions;
  #client: Promise<Dhis2Client> | undefined;
  #resolved: { profile: Profile; name: string | undefined } | undefined;
  #closed = false;

  constructor(options: ConnectionOptions = {}) {
    this.#options = options;
  }

  /** Where profile files are looked up (shared with `profiles_list` / `profile_verify`). */
  get profileLocation(): ProfileLocationOptions {
    return this.#options.profileLocation ?? {};
  }

  /** The opener the server uses; `profile_verify` connects the same way. */
  get opener(): McpClientOpener {
    return this.#options.openClient ?? ((profile, options) => coreOpenClient(profile, options));
  }

  /** The profile this server talks to, resolving it on first call (throws `NoProfileError` when none). */
  resolve(): { profile: Profile; name: string | undefined } {
    if (this.#resolved) return this.#resolved;
    const { profile, profileName } = this.#options;
    if (profile) {
      this.#resolved = { profile, name: profileName };
    } else {
      // The resolved profile carries its file: core's openClient finds its OAuth2 token from it.
      const found = explainProfile(profileName, this.profileLocation);
      this.#resolved = { profile: found.profile, name: found.name };
    }
    return this.#resolved;
  }

  /** The connected client, opened on first use. */
  client(): Promise<Dhis2Client> {
    if (this.#closed) return Promise.reject(new Error("the MCP server is shutting down"));
    if (!this.#client) {
      const opening = (async () => {
        const { profile, name } = this.resolve();
        return this.opener(profile, name !== undefined ? { profileName: name } : {});
      })();
      this.#client = opening;
      opening.catch(() => {
        if (this.#client === opening) this.#client = undefined;
      });
    }
    return this.#client;
  }

  /** Closes the client if one was opened; later calls fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const pending = this.#client;
    this.#client = undefined;
    if (!pending) return;
    try {
      await (await pending).close();
    } catch {
      /* a client that never opened has nothing to close */
    }
  }
}
