/**
 * What every core service connects through: a profile or an already-open client. Services that
 * receive a client use it and leave it open, so a caller can chain several services over one
 * connection (`withClient(p, (c) => ...)`).
 */
import { Dhis2Client, type Profile, type VersionKey } from "@dhis2w/client";
import { type CoreOpenClientOptions, openClient } from "../client-context.js";

/**
 * A profile (in memory, or from `resolveProfile`, which carries what an OAuth2 profile needs to
 * find its stored token), or an open client.
 */
export type ServiceTarget = Profile | Dhis2Client;

/** Options every service takes: how to open the client (ignored when a client is passed). */
export type ServiceOptions = CoreOpenClientOptions<VersionKey> & {
  /**
   * Called once the service has opened and connected its client, with the profile it came from:
   * `client.baseUrl` is where the client settled (it can differ from `profile.baseUrl` after a
   * redirect on connect). Not called when the service is given an open client.
   */
  onConnected?: (client: Dhis2Client, profile: Profile) => void;
};

/**
 * Runs `fn` with a connected client and closes it afterwards (also when `fn` throws). Given an
 * open client, runs `fn` with it and leaves it open.
 *
 * @example
 * ```ts
 * const me = await withClient(resolveProfile("dev"), (client) => client.system.me());
 * ```
 */
export async function withClient<T>(
  target: ServiceTarget,
  fn: (client: Dhis2Client) => Promise<T>,
  options: ServiceOptions = {},
): Promise<T> {
  if (target instanceof Dhis2Client) return fn(target);
  const { onConnected, ...openOptions } = options;
  const client = await openClient(target, openOptions);
  try {
    onConnected?.(client, target);
    return await fn(client);
  } finally {
    await client.close();
  }
}
