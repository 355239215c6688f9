/**
 * `/api/analytics/rawData.json` (one row per stored value that matches the query, not
 * aggregated: its own period and org unit) and `/api/analytics/dataValueSet.json` (the aggregated
 * cells as a data value set), after the DHIS2 Web API docs ("Analytics" -> "Raw data" and
 * "Data value set format").
 */
import type { ResponseStream } from "../ctx.js";
import type { DataValueStore } from "../data/store.js";
import type { MetadataStore } from "../metadata-store.js";
import type { CellValue } from "./engine.js";
import { formatDataValue, formatIndicatorValue } from "./format.js";
import { dayPeriod, rollsInto } from "./periods.js";
import type { AnalyticsPlan, DxItem } from "./query.js";
import {
  csvRow,
  GRID_XML_TAIL,
  type GridHeaderJson,
  gridJsonHead,
  gridJsonTail,
  gridXmlHead,
  numberHeader,
  textHeader,
  xmlRow,
} from "./render.js";

const COLUMNS = { dx: "Data", pe: "Period", ou: "Organisation unit" } as const;
/** Bytes (UTF-16 units) gathered before each write to the socket. */
const CHUNK = 64 * 1024;

/** A raw data query bound to the store: what {@link rawRows} reads. */
export interface RawQuery {
  plan: AnalyticsPlan;
  store: DataValueStore;
  headers: GridHeaderJson[];
  /** The store rows to read: the dx data elements, periods inside a requested one, org units under one. */
  filter: Parameters<DataValueStore["rows"]>[0];
  /** The dx items (data elements and operands, in request order) of each data element. */
  itemsOf: Map<string, DxItem[]>;
}

/** Binds a raw data plan to the store. */
export function rawQuery(plan: AnalyticsPlan, store: DataValueStore, md: MetadataStore): RawQuery {
  const requested = plan.pe.items.map((p) => p.period);
  const ouIds = plan.ou.items.map((o) => o.id);
  const itemsOf = new Map<string, DxItem[]>();
  for (const item of plan.dx.items) {
    if (item.kind === "INDICATOR") continue;
    const de = item.dataElement as string;
    itemsOf.set(de, [...(itemsOf.get(de) ?? []), item]);
  }
  const headers = plan.order.map((d) => textHeader(d, COLUMNS[d]));
  headers.push(numberHeader("value", "Value"));
  return {
    plan,
    store,
    headers,
    itemsOf,
    filter: {
      dataElements: new Set(itemsOf.keys()),
      periods: (id) => {
        const p = dayPeriod(id);
        return p !== undefined && requested.some((r) => rollsInto(p, r));
      },
      orgUnits: (id) => {
        const path = String(md.get("organisationUnits", id)?.path ?? `/${id}`).split("/");
        return ouIds.some((ou) => path.includes(ou));
      },
      // Rows stored while an answer is being written are not part of it.
      end: store.size,
    },
  };
}

/**
 * The raw rows (dimension columns in request order, then the value), one per stored value and
 * matching dx item, in store order, read column by column as they are yielded: nothing is held.
 */
export function* rawRows(q: RawQuery): Generator<string[]> {
  const { store, plan } = q;
  for (const row of store.rows(q.filter)) {
    const value = store.valueOf(row);
    if (value === null) continue;
    for (const item of q.itemsOf.get(store.dataElementOf(row)) ?? []) {
      if (
        item.categoryOptionCombo !== undefined &&
        item.categoryOptionCombo !== store.categoryOptionComboOf(row)
      )
        continue;
      const cols = { dx: item.id, pe: store.periodOf(row), ou: store.orgUnitOf(row) };
      yield [...plan.order.map((d) => cols[d]), value];
    }
  }
}

/** How many rows {@link rawRows} yields, without building them (XML states the height first). */
export function rawCount(q: RawQuery): number {
  const { store } = q;
  let n = 0;
  for (const row of store.rows(q.filter)) {
    if (store.valueOf(row) === null) continue;
    for (const item of q.itemsOf.get(store.dataElementOf(row)) ?? []) {
      if (
        item.categoryOptionCombo === undefined ||
        item.categoryOptionCombo === store.categoryOptionComboOf(row)
      )
        n++;
    }
  }
  return n;
}

/**
 * Writes the raw data answer to a response as its rows are read from the store, in chunks of
 * about 64 KiB, waiting for the socket to drain: memory stays flat however many values match.
 * The bytes are those of the whole grid rendered at once (`gridJson`, `gridCsv`, `gridXml`).
 *
 * @example
 * await writeRawData(ctx.stream(200, JSON_TYPE), rawQuery(plan, store, md), "json");
 */
export async function writeRawData(
  out: ResponseStream,
  q: RawQuery,
  format: "json" | "csv" | "xml",
): Promise<void> {
  const width = q.headers.length;
  let batch =
    format === "json"
      ? gridJsonHead(q.plan, q.headers)
      : format === "csv"
        ? csvRow(q.headers.map((h) => h.name))
        : gridXmlHead(q.headers, rawCount(q));
  let height = 0;
  for (const row of rawRows(q)) {
    if (format === "json") batch += `${height === 0 ? "" : ","}${JSON.stringify(row)}`;
    else batch += format === "csv" ? csvRow(row) : xmlRow(row);
    height++;
    if (batch.length >= CHUNK) {
      await out.write(batch);
      batch = "";
    }
  }
  if (format === "json") batch += gridJsonTail(width, height);
  else if (format === "xml") batch += GRID_XML_TAIL;
  if (batch) await out.write(batch);
  await out.end();
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
