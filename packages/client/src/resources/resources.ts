import type { ModelMaps } from "../generated/registry.gen.js";
import type { VersionKey } from "../versions.js";
import { createResourceAccessor, type ResourceAccessor } from "./accessor.js";
import type { ResourceTable } from "./resource-def.js";
import type { RawSurface } from "./surface.js";

/**
 * The typed `client.resources` of one version, from its model map (`{ dataElements: DataElement, ... }`,
 * keyed by DHIS2's plural). With codegen's registry: `ResourcesOf<ModelMaps["v43"]>`.
 */
export type ResourcesOf<M> = { readonly [P in keyof M & string]: ResourceAccessor<M[P], P> };

/** `client.resources` when the version is not known at compile time: any plural, untyped items. */
export type AnyResources = Readonly<Record<string, ResourceAccessor<Record<string, unknown>, string>>>;

/**
 * Builds `client.resources` from a version's resource table: one lazily-created accessor per
 * plural, as enumerable getters (so `Object.keys(client.resources)` lists what the server has).
 * Entries whose endpoint is not under `/api/` are skipped.
 *
 * @example
 * ```ts
 * const resources = createResources(client, resourceTable, "v42") as ResourcesOf<ModelMap>;
 * await resources.dataElements.list({ fields: "id,name" });
 * ```
 */
export function createResources<R = AnyResources>(
  client: RawSurface,
  table: ResourceTable,
  versionKey?: VersionKey,
): R {
  const resources: Record<string, unknown> = {};
  const cache = new Map<string, unknown>();
  for (const [plural, def] of Object.entries(table)) {
    if (!def.endpoint.startsWith("/api/")) continue;
    Object.defineProperty(resources, plural, {
      enumerable: true,
      get() {
        let accessor = cache.get(plural);
        if (!accessor) {
          accessor = createResourceAccessor(client, plural, { def, versionKey, table });
          cache.set(plural, accessor);
        }
        return accessor;
      },
    });
  }
  return Object.freeze(resources) as R;
}

/**
 * `client.resources` of version `V`, typed from codegen's model maps.
 *
 * @example
 * ```ts
 * declare const resources: ResourcesFor<"v43">;
 * const de = await resources.dataElements.get(uid, { fields: "id,name" }); // { id: string; name?: string }
 * ```
 */
export type ResourcesFor<V extends VersionKey> = ResourcesOf<ModelMaps[V]>;
