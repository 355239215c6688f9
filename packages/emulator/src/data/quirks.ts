/**
 * Data-value behaviours of real DHIS2 that surprise people (QUIRKS.md "Semantics"):
 *
 * - A soft-deleted value still blocks deleting its data element, org unit or option combo:
 *   dhis2-core `DataValueDeletionHandler` vetoes with `select 1 from datavalue where
 *   dataelementid=:id` (no `deleted` filter), which `DefaultDeletionManager` answers as E4030
 *   "Object could not be deleted because it is associated with another object: DataValue".
 *   `POST|PUT /api/maintenance/softDeletedDataValueRemoval` (`MaintenanceController`, 200 OK
 *   WebMessage) removes the soft-deleted rows, after which the delete goes through.
 * - 2.43: an upload without `dataSet` makes the server infer it from the data elements; when they
 *   map to more than one data set the whole request fails with 409 E8002 (dhis2-core
 *   `DefaultDataEntryService.autoTargetDataSet`).
 */
import type { EmulatorApp } from "../app.js";
import type { Ctx } from "../ctx.js";
import { requireMaintenanceAuthority } from "../maintenance/auth.js";
import { refId } from "../refs.js";
import { HttpError } from "../web-message.js";
import type { DataValueStore } from "./store.js";

const VETOED_COLUMNS = {
  dataElements: "dataElement",
  organisationUnits: "orgUnit",
  categoryOptionCombos: "categoryOptionCombo",
} as const;

/** Registers the soft-delete veto and the maintenance route that lifts it. */
export function installDataValueQuirks(app: EmulatorApp, store: () => DataValueStore): void {
  app.extensions.deleteVetoes ??= [];
  app.extensions.deleteVetoes.push((plural, id) => {
    const column = VETOED_COLUMNS[plural as keyof typeof VETOED_COLUMNS];
    return column && store().referencedBy(column, id) ? "DataValue" : undefined;
  });
  for (const method of ["POST", "PUT"] as const) {
    app.route(method, "/api/maintenance/softDeletedDataValueRemoval", (ctx) => {
      requireMaintenanceAuthority(ctx);
      store().purgeDeleted();
      ctx.webMessage(200);
    });
  }
}

/**
 * On 2.43 (`dataValues.setNeedsDataSet`), throws DHIS2's 409 E8002 when a set without `dataSet` has data elements that belong to
 * more than one data set (the union over all of them, as dhis2-core computes it).
 */
export function checkDataSetDetection(ctx: Ctx, set: Record<string, unknown>): void {
  if (!ctx.state.behaviour.dataValues.setNeedsDataSet) return;
  if (typeof set.dataSet === "string" && set.dataSet !== "") return;
  const rows = Array.isArray(set.dataValues) ? set.dataValues : [];
  const elements = new Set<string>();
  for (const row of rows) {
    const de = row && typeof row === "object" ? (row as { dataElement?: unknown }).dataElement : undefined;
    if (typeof de === "string") elements.add(de);
  }
  if (elements.size === 0) return;
  const sets: string[] = [];
  for (const ds of ctx.state.metadata.list("dataSets")) {
    const members = Array.isArray(ds.dataSetElements) ? ds.dataSetElements : [];
    if (members.some((m) => elements.has(refId((m as { dataElement?: unknown }).dataElement) ?? ""))) {
      sets.push(ds.id);
    }
  }
  if (sets.length > 1) {
    throw new HttpError(409, `Data set detection failed, found multiple sets: \`${sets.join(", ")}\``, {
      errorCode: "E8002",
    });
  }
}
