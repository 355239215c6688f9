/**
 * `/api/analytics/rawData.json` (one row per stored value that matches the query, not
 * aggregated: its own period and org unit) and `/api/analytics/dataValueSet.json` (the aggregated
 * cells as a data value set), after the DHIS2 Web API docs ("Analytics" -> "Raw data" and
 * "Data value set format").
 */
import type { DataValueStore } from "../data/store.js";
import type { MetadataStore } from "../metadata-store.js";
import type { CellValue } from "./engine.js";
import { formatDataValue, formatIndicatorValue } from "./format.js";
import { dayPeriod, rollsInto } from "./periods.js";
import type { AnalyticsPlan } from "./query.js";
import { type GridJson, gridJson, numberHeader, textHeader } from "./render.js";

const COLUMNS = { dx: "Data", pe: "Period", ou: "Organisation unit" } as const;

/** The raw data grid. */
export function rawGrid(plan: AnalyticsPlan, store: DataValueStore, md: MetadataStore): GridJson {
  const requested = plan.pe.items.map((p) => p.period);
  const ouIds = plan.ou.items.map((o) => o.id);
  const items = plan.dx.items.filter((d) => d.kind !== "INDICATOR");
  const dataElements = new Set(items.map((d) => d.dataElement as string));
  const headers = plan.order.map((d) => textHeader(d, COLUMNS[d]));
  headers.push(numberHeader("value", "Value"));
  const rows: string[][] = [];
  for (const row of store.rows({
    dataElements,
    periods: (id) => {
      const p = dayPeriod(id);
      return p !== undefined && requested.some((r) => rollsInto(p, r));
    },
    orgUnits: (id) => {
      const path = String(md.get("organisationUnits", id)?.path ?? `/${id}`).split("/");
      return ouIds.some((ou) => path.includes(ou));
    },
  })) {
    const v = store.get(row);
    if (v.value === null) continue;
    for (const item of items) {
      if (item.dataElement !== v.dataElement) continue;
      if (item.categoryOptionCombo !== undefined && item.categoryOptionCombo !== v.categoryOptionCombo)
        continue;
      const cols = { dx: item.id, pe: v.period, ou: v.orgUnit };
      rows.push([...plan.order.map((d) => cols[d]), v.value]);
    }
  }
  return gridJson(plan, headers, rows);
}

/** The aggregated cells as a data value set (dx, pe and ou are all dimensions here). */
export function dataValueSet(
  plan: AnalyticsPlan,
  cells: Map<number, CellValue>,
  nPe: number,
  nOu: number,
): { dataValues: Record<string, string>[] } {
  const dataValues: Record<string, string>[] = [];
  plan.dx.items.forEach((item, d) => {
    plan.pe.items.forEach((pe, p) => {
      plan.ou.items.forEach((ou, o) => {
        const cell = cells.get(d * (nPe * nOu) + p * nOu + o);
        if (!cell) return;
        const value = item.indicator
          ? formatIndicatorValue(cell.value, item.indicator.decimals, plan.options.skipRounding)
          : formatDataValue(cell.value, plan.options.skipRounding);
        dataValues.push({
          dataElement: item.dataElement ?? item.id,
          period: pe.id,
          orgUnit: ou.id,
          ...(item.categoryOptionCombo ? { categoryOptionCombo: item.categoryOptionCombo } : {}),
          value,
        });
      });
    });
  });
  return { dataValues };
}
