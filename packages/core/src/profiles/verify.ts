import type { Profile } from "@dhis2w/client";
import type { ProfileLocationOptions } from "./paths.js";
import { profileSecrets, scrubSecrets } from "./redact.js";
import { explainProfile, type ProfileSource } from "./resolve.js";

/** The part of a connected client that verification uses (core's and the client's `openClient` both fit). */
export interface VerifiableClient {
  /** Full server version, e.g. `"2.42.4"`. */
  readonly rawVersion?: string;
  readonly system: {
    me(options?: { signal?: AbortSignal }): Promise<{ username?: string; displayName?: string }>;
  };
  close?(): Promise<void> | void;
}

/** Opens a connected client for a profile (the `openClient` shape). */
export type ProfileOpener = (
  profile: Profile,
  options: { profileName?: string; signal?: AbortSignal },
) => Promise<VerifiableClient>;

/** Options of {@link verifyProfile}. */
export interface VerifyProfileOptions extends ProfileLocationOptions {
  /** How to connect; default core's `openClient` (handles OAuth2), else `@dhis2w/client`'s (PAT/Basic). */
  openClient?: ProfileOpener;
  signal?: AbortSignal;
  /** Monotonic clock in milliseconds; default `performance.now`. */
  now?: () => number;
}

/** The outcome of {@link verifyProfile}: never holds a secret. */
export type VerifyProfileResult =
  | {
      ok: true;
      name: string | undefined;
      source: ProfileSource;
      baseUrl: string;
      /** Server version from the connect handshake (`"2.42.4"`). */
      version: string;
      /** The username the credentials authenticate as. */
      user: string;
      /** Time to connect (version handshake) and fetch `/api/me`. */
      latencyMs: number;
    }
  | { ok: false; name: string | undefined; source: ProfileSource; baseUrl: string; error: string };

/**
 * Connects with a profile and reports the server version and the user it logs in as, or the
 * exact failure (secrets scrubbed). A profile that cannot be resolved throws instead.
 *
 * @example
 * ```ts
 * const r = await verifyProfile("dev");
 * console.log(r.ok ? `${r.user} on ${r.version} in ${r.latencyMs}ms` : r.error);
 * ```
 */
export async function verifyProfile(
  name?: string,
  opts: VerifyProfileOptions = {},
): Promise<VerifyProfileResult> {
  const resolved = explainProfile(name, opts);
  const { profile } = resolved;
  const base = { name: resolved.name, source: resolved.source, baseUrl: profile.baseUrl };
  const now = opts.now ?? (() => performance.now());
  let client: VerifiableClient | undefined;
  try {
    const open = opts.openClient ?? (await defaultOpener());
    const started = now();
    const openOptions: { profileName?: string; signal?: AbortSignal } = {};
    if (resolved.name !== undefined) openOptions.profileName = resolved.name;
    if (opts.signal) openOptions.signal = opts.signal;
    client = await open(profile, openOptions);
    const me = await client.system.me(opts.signal ? { signal: opts.signal } : undefined);
    const latencyMs = Math.max(0, Math.round(now() - started));
    return {
      ok: true,
      ...base,
      version: client.rawVersion ?? "unknown",
      user: me.username ?? me.displayName ?? "unknown",
      latencyMs,
    };
  } catch (error) {
    return { ok: false, ...base, error: scrubSecrets(describe(error), profileSecrets(profile)) };
  } finally {
    try {
      await client?.close?.();
    } catch {
      /* closing a client that failed half-way must not mask the verification result */
    }
  }
}

/** `Name: message (cause: ...)`, following the cause chain (fetch hides ECONNREFUSED in it). */
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 4; depth++) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(" (cause: ") + ")".repeat(Math.max(0, parts.length - 1));
}

/**
 * Core's `openClient` (handles OAuth2 too), imported lazily: `client-context` imports the
 * profiles module, and verification is the only part of profiles that needs a connection.
 */
async function defaultOpener(): Promise<ProfileOpener> {
  const { openClient } = await import("../client-context.js");
  return openClient as ProfileOpener;
}
