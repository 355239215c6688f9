/** App services for the CLI (`d2w apps list|install|uninstall`). */
import type { App } from "@dhis2w/client";
import { fileSource } from "@dhis2w/client/node";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/**
 * The installed apps.
 *
 * @example
 * ```ts
 * for (const app of await appsList(resolveProfile())) console.log(app.key, app.version);
 * ```
 */
export function appsList(target: ServiceTarget, options?: ServiceOptions): Promise<App[]> {
  return withClient(target, (client) => client.apps.list(), options);
}

/**
 * Installs an app from a zip on disk (streamed).
 *
 * @example
 * ```ts
 * const app = await appsInstall(resolveProfile(), "build/bundle/my-app-1.0.0.zip");
 * ```
 */
export function appsInstall(
  target: ServiceTarget,
  zip: string,
  options?: ServiceOptions,
): Promise<App | undefined> {
  return withClient(
    target,
    async (client) => {
      const src = await fileSource(zip);
      return client.apps.install(src.data, { filename: src.name });
    },
    options,
  );
}

/**
 * Uninstalls an app by key.
 *
 * @example
 * ```ts
 * await appsUninstall(resolveProfile(), "My-App");
 * ```
 */
export function appsUninstall(target: ServiceTarget, key: string, options?: ServiceOptions): Promise<void> {
  return withClient(target, (client) => client.apps.uninstall(key), options);
}
