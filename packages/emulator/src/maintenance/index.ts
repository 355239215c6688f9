/**
 * Maintenance: the analytics/resource table and monitoring jobs, `/api/maintenance/*` basics and
 * `/api/dataIntegrity` (see `jobs.ts`, `integrity.ts`). Jobs run on the shared task store
 * (`data/tasks.ts`): kick-offs answer `{ response: { id, jobType, relativeNotifierEndpoint } }`.
 */
import type { EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import { taskStore } from "../data/tasks.js";
import { requireMaintenanceAuthority } from "./auth.js";
import { updateCategoryOptionCombos } from "./category-option-combos.js";
import { installIntegrityRoutes } from "./integrity.js";
import { installJobConfigurations } from "./job-configurations.js";
import { postAnalyticsTables, postMonitoring, postResourceTables } from "./jobs.js";

/** A `/api/maintenance/*` action: maintenance authority, then 204 (dhis2-core `MaintenanceController`). */
function action(run: (ctx: Ctx) => void): (ctx: Ctx) => void {
  return (ctx) => {
    requireMaintenanceAuthority(ctx);
    run(ctx);
    ctx.empty(204);
  };
}

/** The maintenance module (listed in `src/modules.ts`). */
export const maintenanceModule: EmulatorModule = {
  name: "maintenance",
  install(app) {
    taskStore(app);
    // DHIS2 maps these to both PUT and POST.
    for (const method of ["POST", "PUT"] as const) {
      app.route(method, "/api/resourceTables/analytics", postAnalyticsTables);
      app.route(method, "/api/resourceTables", postResourceTables);
      app.route(method, "/api/resourceTables/monitoring", postMonitoring);
      app.route(
        method,
        "/api/maintenance/categoryOptionComboUpdate",
        action((ctx) => updateCategoryOptionCombos(ctx.state.metadata, ctx.state.timestamp())),
      );
      app.route(
        method,
        "/api/maintenance/analyticsTablesClear",
        action(() => {}),
      );
      app.route(
        method,
        "/api/maintenance/cacheClear",
        action((ctx) => {
          ctx.app.extensions.integrity?.clear();
          // DHIS2's ApplicationCacheClearedEvent empties every cache, the capture scope ones too.
          ctx.app.extensions.captureScope?.clear();
        }),
      );
    }
    installIntegrityRoutes(app);
    installJobConfigurations(app);
  },
};

export { IntegrityCache } from "./integrity.js";
export {
  catalogEntry,
  checkCode,
  INTEGRITY_CHECKS,
  type IntegrityCheckDef,
  selectChecks,
} from "./integrity-checks.js";
