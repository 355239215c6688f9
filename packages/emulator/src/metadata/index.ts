/**
 * The metadata module: the generic store's query language, CRUD, JSON Patch, collection items,
 * `/api/metadata` import/export, for every resource of the emulated version's generated resource
 * table; `/api/schemas` from the codegen's derived snapshot of the version (`schema-routes.ts`).
 */
import { loadResourceTable, type ResourceTable, type VersionKey } from "@dhis2w/client";
import type { EmulatorApp, EmulatorModule } from "../app.js";
import { createSeedContext } from "../seed/context.js";
import { type MetadataDemoIds, seedMetadataDemo } from "../seed/metadata-demo.js";
import { installCrudRoutes } from "./crud-routes.js";
import { installGistRoutes } from "./gist.js";
import { installMetadataRoutes } from "./metadata-routes.js";
import { MetadataRuntime } from "./runtime.js";
import { installSchemaRoutes } from "./schema-routes.js";
import { installUserRoutes } from "./users.js";

export {
  type BundleParams,
  type ImportReport,
  type ImportStrategy,
  importBundle,
  type WriteEnv,
} from "./bundle.js";
export { type FieldSpec, parseFields, renderObject } from "./fields.js";
export { compileFilter, type FilterOptions, QueryError } from "./filter.js";
export { applyJsonPatch, JsonPatchError, type JsonPatchOp } from "./json-patch.js";
export { type ListParams, type Pager, runList } from "./query.js";
export { ReadContext } from "./resolve.js";
export { MetadataRuntime } from "./runtime.js";
export { SchemaIndex, schemaIndexFor } from "./schema-index.js";
export { accountFields, passwordIsValid, syncAccounts, type WrittenObject } from "./users.js";

declare module "../app.js" {
  interface EmulatorExtensions {
    /** The metadata module's runtime (schema index + per-version behaviour). */
    metadata?: MetadataRuntime;
    /** Ids of the metadata part of the demo seed (when the seed is "demo"). */
    metadataDemo?: MetadataDemoIds;
    /** Reasons an object may not be deleted (E4030), asked by every metadata delete. */
    deleteVetoes?: Array<(plural: string, id: string) => string | undefined>;
  }
}

/** Where the module gets a version's resource table. */
export type ResourceTableLoader = (version: VersionKey) => Promise<ResourceTable>;

/** Resources that have their own module or are not plain CRUD (left to those modules). */
const NOT_GENERIC = new Set(["/api/metadata/version", "/api/metadata/proposals", "/api/dataStore"]);

/**
 * Builds the metadata module.
 *
 * @example
 * const emu = await startEmulator({ modules: [createMetadataModule({ loadTable: async () => table })] });
 */
export function createMetadataModule(opts: { loadTable?: ResourceTableLoader } = {}): EmulatorModule {
  return {
    name: "metadata",
    async install(app: EmulatorApp) {
      const table = await (opts.loadTable ?? loadResourceTable)(app.state.version);
      const rt = new MetadataRuntime(table, app.state.version);
      app.extensions.metadata = rt;
      for (const def of Object.values(table)) {
        if (!def.endpoint || NOT_GENERIC.has(def.endpoint) || !def.identifiable || !def.metadata) continue;
        if (!/^\/api\/[A-Za-z]+$/.test(def.endpoint)) continue;
        installCrudRoutes(app, rt, def);
        installGistRoutes(app, rt, def);
      }
      installMetadataRoutes(app, rt);
      installSchemaRoutes(app);
      installUserRoutes(app);
      // Grow the demo seed (deterministic UIDs: installing twice writes the same objects).
      if (app.seedName === "demo" && app.demo) {
        app.extensions.metadataDemo = seedMetadataDemo(createSeedContext(app.state), app.demo);
      }
    },
  };
}

/** The module with the default loader (listed in `src/modules.ts`). */
export const metadataModule: EmulatorModule = createMetadataModule();
