import type { Me, SystemInfo } from "@dhis2w/client";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/**
 * The server's `/api/system/info` (primed by the connect handshake, so this costs no extra request).
 *
 * @example
 * ```ts
 * const info = await systemInfo(resolveProfile());
 * console.log(info.version, info.contextPath);
 * ```
 */
export function systemInfo(target: ServiceTarget, options?: ServiceOptions): Promise<SystemInfo> {
  return withClient(target, (client) => client.system.info(), options);
}

/**
 * The user the profile's credentials log in as (`/api/me`).
 *
 * @example
 * ```ts
 * console.log((await whoAmI(resolveProfile("dev"))).username);
 * ```
 */
export function whoAmI(target: ServiceTarget, options?: ServiceOptions): Promise<Me> {
  return withClient(target, (client) => client.system.me(), options);
}
