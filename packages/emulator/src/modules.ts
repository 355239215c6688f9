import { analyticsModule } from "./analytics/index.js";
import type { EmulatorModule } from "./app.js";
import { appsModule } from "./apps/index.js";
import { dataValuesModule } from "./data/index.js";
import { validationResultsModule } from "./data/validation-results.js";
import { datastoreModule } from "./datastore/index.js";
import { filesModule } from "./files/index.js";
import { maintenanceModule } from "./maintenance/index.js";
import { metadataModule } from "./metadata/index.js";
import { oauth2Module } from "./oauth2/index.js";
import { orgUnitTreeModule } from "./org-units/index.js";
import { predictorsModule } from "./predictors/index.js";
import { sharingModule } from "./sharing/index.js";
import { sqlViewsModule } from "./sql-views/index.js";
import { messageConversationsModule } from "./system/message-conversations.js";
import { queryAliasModule } from "./system/query-alias.js";
import { trackerModule } from "./tracker/index.js";
import { validationModule } from "./validation/index.js";

/**
 * Plug-in modules, installed in this order after the core routes (system, me, settings, apiToken)
 * and after the seed. Each owner adds ONE import and ONE entry:
 *   import { metadataModule } from "./metadata/index.js";
 *   import { oauth2Module } from "./oauth2/index.js";
 */
export const MODULES: readonly EmulatorModule[] = [
  metadataModule,
  oauth2Module,
  dataValuesModule,
  trackerModule,
  maintenanceModule,
  analyticsModule,
  messageConversationsModule,
  queryAliasModule,
  validationResultsModule,
  datastoreModule,
  orgUnitTreeModule,
  sharingModule,
  validationModule,
  predictorsModule,
  sqlViewsModule,
  filesModule,
  appsModule,
];
