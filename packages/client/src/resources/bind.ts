import { createDataSetsAccessor, type DataSetsAccessor } from "../data-sets/data-sets.js";
import type { ModelMaps } from "../generated/registry.gen.js";
import { createMetadataAccessor, type MetadataAccessor } from "../metadata/metadata.js";
import { createRoutesAccessor, type RoutesAccessor } from "../routes/routes.js";
import type { VersionKey } from "../versions.js";
import type { ResourceTable } from "./resource-def.js";
import { type AnyResources, createResources, type ResourcesFor } from "./resources.js";
import type { RawSurface } from "./surface.js";

/** The metadata facades bound onto a connected client. */
export interface MetadataAccessors<R = AnyResources, M = Record<string, unknown>> {
  resources: R;
  metadata: MetadataAccessor<M>;
  dataSets: DataSetsAccessor;
  routes: RoutesAccessor;
}

/** The facades of version `V`, typed from codegen's model maps. */
export type MetadataAccessorsFor<V extends VersionKey> = MetadataAccessors<ResourcesFor<V>, ModelMaps[V]>;

/**
 * Builds `client.resources`, `client.metadata`, `client.dataSets` and `client.routes` for one
 * connected version, from its resource table (codegen's `loadResourceTable(versionKey)`).
 * Nothing is requested from the server here; accessors are created lazily on first use.
 *
 * @example
 * ```ts
 * const table = await loadResourceTable(client.versionKey);
 * Object.assign(client, bindMetadataAccessors(client, table, client.versionKey));
 * ```
 */
export function bindMetadataAccessors<V extends VersionKey>(
  client: RawSurface,
  table: ResourceTable,
  versionKey: V,
): MetadataAccessorsFor<V> {
  return {
    resources: createResources<ResourcesFor<V>>(client, table, versionKey),
    metadata: createMetadataAccessor<ModelMaps[V]>(client, table, versionKey),
    dataSets: createDataSetsAccessor(client),
    routes: createRoutesAccessor(client),
  };
}
