/**
 * Grids: the JSON body of `/api/analytics` (key order as a live 2.42 server sends it: headers,
 * metaData, rowContext, width, rows, headerWidth, height), and its CSV and XML renderings. CSV
 * after dhis2-core `org.hisp.grid.GridUtils.toCsv` (a header row of header names, then the rows,
 * javacsv quoting, "\n" line ends); XML after dhis2-core `GridUtils.toXml` (`<grid>` with
 * `<headers><header name column type hidden meta/>` and `<rows><row><field>`).
 */
import type { CellValue } from "./engine.js";
import { formatDataValue, formatIndicatorValue } from "./format.js";
import type { AnalyticsPlan, DimId, DxItem } from "./query.js";

export interface GridHeaderJson {
  name: string;
  column: string;
  valueType: string;
  type: string;
  hidden: boolean;
  meta: boolean;
}

export interface GridJson {
  headers: GridHeaderJson[];
  metaData?: Record<string, unknown>;
  rowContext: Record<string, never>;
  width: number;
  rows: string[][];
  headerWidth: number;
  height: number;
}

const COLUMNS: Record<DimId, string> = { dx: "Data", pe: "Period", ou: "Organisation unit" };

export const textHeader = (name: string, column: string): GridHeaderJson => ({
  name,
  column,
  valueType: "TEXT",
  type: "java.lang.String",
  hidden: false,
  meta: true,
});
export const numberHeader = (name: string, column: string): GridHeaderJson => ({
  name,
  column,
  valueType: "NUMBER",
  type: "java.lang.Double",
  hidden: false,
  meta: false,
});

/** Row ids under `outputIdScheme`. */
export function idFor(plan: AnalyticsPlan, dim: DimId, index: number): string {
  const scheme = plan.options.outputIdScheme;
  if (dim === "pe") {
    const p = plan.pe.items[index];
    return scheme === "NAME" ? (p?.name ?? "") : (p?.id ?? "");
  }
  const item = dim === "dx" ? plan.dx.items[index] : plan.ou.items[index];
  if (!item) return "";
  if (scheme === "NAME") return item.name;
  if (scheme === "CODE" && typeof item.obj.code === "string") return item.obj.code;
  return item.id;
}

/** The `metaData` block: item names and each dimension's resolved items. */
export function buildMetaData(plan: AnalyticsPlan): Record<string, unknown> {
  const details = plan.options.includeMetadataDetails;
  const items: Record<string, Record<string, unknown>> = {};
  for (const dx of plan.dx.items) {
    items[dx.id] = details
      ? {
          uid: dx.id,
          ...(typeof dx.obj.code === "string" ? { code: dx.obj.code } : {}),
          name: dx.name,
          dimensionItemType: dx.kind,
          valueType: dx.kind === "INDICATOR" ? "NUMBER" : String(dx.obj.valueType ?? "NUMBER"),
          totalAggregationType: dx.kind === "INDICATOR" ? "AVERAGE" : "SUM",
        }
      : { name: dx.name };
  }
  for (const pe of plan.pe.items) {
    items[pe.id] = details
      ? {
          uid: pe.id,
          code: pe.id,
          name: pe.name,
          dimensionItemType: "PERIOD",
          valueType: "TEXT",
          totalAggregationType: "SUM",
          startDate: `${pe.period.startDate}T00:00:00.000`,
          endDate: `${pe.period.endDate}T00:00:00.000`,
        }
      : { name: pe.name };
  }
  for (const ou of plan.ou.items) {
    items[ou.id] = details
      ? {
          uid: ou.id,
          ...(typeof ou.obj.code === "string" ? { code: ou.obj.code } : {}),
          name: ou.name,
          dimensionItemType: "ORGANISATION_UNIT",
          valueType: "TEXT",
          totalAggregationType: "SUM",
        }
      : { name: ou.name };
  }
  for (const [dim, column] of Object.entries(COLUMNS)) items[dim] = { name: column };
  for (const [k, name] of Object.entries(plan.keywordNames)) items[k] = { name };
  return {
    items,
    dimensions: {
      dx: plan.dx.items.map((d) => d.id),
      pe: plan.pe.items.map((p) => p.id),
      ou: plan.ou.items.map((o) => o.id),
      co: [],
    },
  };
}

function cellText(item: DxItem | undefined, cell: CellValue, plan: AnalyticsPlan): string {
  const skip = plan.options.skipRounding;
  return item?.indicator
    ? formatIndicatorValue(cell.value, item.indicator.decimals, skip)
    : formatDataValue(cell.value, skip);
}

/** Builds the aggregated grid from computed cells. */
export function buildGrid(
  plan: AnalyticsPlan,
  cells: Map<number, CellValue>,
  nPe: number,
  nOu: number,
): GridJson {
  const headers = plan.order.map((d) => textHeader(d, COLUMNS[d]));
  headers.push(numberHeader("value", "Value"));
  const numDen = plan.options.includeNumDen;
  if (numDen) {
    for (const [n, c] of [
      ["numerator", "Numerator"],
      ["denominator", "Denominator"],
      ["factor", "Factor"],
      ["multiplier", "Multiplier"],
      ["divisor", "Divisor"],
    ] as const)
      headers.push(numberHeader(n, c));
  }
  const sizes: Record<DimId, number> = { dx: plan.dx.filter ? 1 : plan.dx.items.length, pe: nPe, ou: nOu };
  const rows: string[][] = [];
  const index: Record<DimId, number> = { dx: 0, pe: 0, ou: 0 };
  const cellAt = (): CellValue | undefined => {
    const base = index.pe * nOu + index.ou;
    if (!plan.dx.filter) return cells.get(index.dx * (nPe * nOu) + base);
    let sum: number | undefined;
    for (let d = 0; d < plan.dx.items.length; d++) {
      const c = cells.get(d * (nPe * nOu) + base);
      if (c) sum = (sum ?? 0) + c.value;
    }
    return sum === undefined ? undefined : { value: sum };
  };
  const emit = () => {
    const cell = cellAt();
    if (!cell) return;
    const item = plan.dx.filter ? undefined : plan.dx.items[index.dx];
    const row = plan.order.map((d) => idFor(plan, d, index[d]));
    row.push(cellText(item, cell, plan));
    if (numDen) {
      const f = (n: number | undefined) =>
        n === undefined ? "" : formatIndicatorValue(n, undefined, plan.options.skipRounding);
      row.push(
        f(cell.numerator),
        f(cell.denominator),
        f(cell.factor),
        f(cell.factor),
        cell.denominator === undefined ? "" : "1",
      );
    }
    rows.push(row);
  };
  const walk = (level: number) => {
    const dim = plan.order[level];
    if (dim === undefined) return emit();
    for (let i = 0; i < sizes[dim]; i++) {
      index[dim] = i;
      walk(level + 1);
    }
  };
  walk(0);
  return gridJson(plan, headers, rows);
}

/** Wraps headers and rows into the JSON grid. */
export function gridJson(plan: AnalyticsPlan, headers: GridHeaderJson[], rows: string[][]): GridJson {
  return {
    headers,
    ...(plan.options.skipMeta ? {} : { metaData: buildMetaData(plan) }),
    rowContext: {},
    width: headers.length,
    rows,
    headerWidth: headers.length,
    height: rows.length,
  };
}

/*
 * The pieces of each rendering, so a large grid (`rawData`) can be written row by row as its
 * rows are read from the store; `JSON.stringify(gridJson(...))`, `gridCsv` and `gridXml` give
 * the same bytes as these pieces put together.
 */

/** The JSON grid up to and including `"rows":[` (key order as `gridJson`). */
export function gridJsonHead(plan: AnalyticsPlan, headers: GridHeaderJson[]): string {
  const head = JSON.stringify({
    headers,
    ...(plan.options.skipMeta ? {} : { metaData: buildMetaData(plan) }),
    rowContext: {},
    width: headers.length,
  });
  return `${head.slice(0, -1)},"rows":[`;
}

/** The JSON grid after its last row. */
export const gridJsonTail = (width: number, height: number): string =>
  `],"headerWidth":${width},"height":${height}}`;

/** javacsv's rule: quote when the text holds the delimiter, a quote, a line break or edge spaces. */
function csvField(s: string): string {
  if (/[",\r\n]/.test(s) || /^\s|\s$/.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** One CSV line (the header line from header names, or a row), with its "\n". */
export const csvRow = (fields: readonly string[]): string => `${fields.map(csvField).join(",")}\n`;

/** The grid as CSV, yielded in chunks (large grids are not joined into one string). */
export function* gridCsv(grid: Pick<GridJson, "headers" | "rows">): Generator<string> {
  yield csvRow(grid.headers.map((h) => h.name));
  let chunk = "";
  for (const row of grid.rows) {
    chunk += csvRow(row);
    if (chunk.length > 64_000) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

export const xmlEscape = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The XML grid up to and including `<rows>` (the height comes first, so it must be known). */
export function gridXmlHead(headers: readonly GridHeaderJson[], height: number): string {
  let out = "<?xml version='1.0' encoding='UTF-8'?><grid><title></title><subtitle></subtitle>";
  out += `<width>${headers.length}</width><height>${height}</height><headers>`;
  for (const h of headers) {
    out += `<header name="${xmlEscape(h.name)}" column="${xmlEscape(h.column)}" type="${h.type}" hidden="${h.hidden}" meta="${h.meta}"/>`;
  }
  return `${out}</headers><rows>`;
}

/** One XML `<row>`. */
export const xmlRow = (fields: readonly string[]): string =>
  `<row>${fields.map((f) => `<field>${xmlEscape(f)}</field>`).join("")}</row>`;

export const GRID_XML_TAIL = "</rows></grid>";

/** The grid as XML, yielded in chunks. */
export function* gridXml(grid: GridJson): Generator<string> {
  let out = gridXmlHead(grid.headers, grid.height);
  for (const row of grid.rows) {
    out += xmlRow(row);
    if (out.length > 64_000) {
      yield out;
      out = "";
    }
  }
  yield `${out}${GRID_XML_TAIL}`;
}
