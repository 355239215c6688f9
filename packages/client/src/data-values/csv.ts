/**
 * Streaming CSV for data values, in DHIS2's column order (Web API docs, "Data values" > "CSV"):
 * dataelement, period, orgunit, catoptcombo, attroptcombo, value, storedby, lastupdated, comment,
 * followup, deleted. A first row whose first cell is `dataelement` (any case) is a header and
 * decides the column order; without one the order above is assumed.
 */

import type { DataValue } from "../data-values/schemas.js";
import { Dhis2ClientError } from "../errors.js";

/** DHIS2's CSV column names, in order. */
export const DATA_VALUE_CSV_COLUMNS = [
  "dataelement",
  "period",
  "orgunit",
  "catoptcombo",
  "attroptcombo",
  "value",
  "storedby",
  "lastupdated",
  "comment",
  "followup",
  "deleted",
] as const;

const FIELD_OF: Record<string, keyof DataValue> = {
  dataelement: "dataElement",
  period: "period",
  orgunit: "orgUnit",
  catoptcombo: "categoryOptionCombo",
  categoryoptioncombo: "categoryOptionCombo",
  attroptcombo: "attributeOptionCombo",
  attributeoptioncombo: "attributeOptionCombo",
  value: "value",
  storedby: "storedBy",
  lastupdated: "lastUpdated",
  created: "created",
  comment: "comment",
  followup: "followup",
  deleted: "deleted",
};

/** RFC 4180 record splitter fed piece by piece; quoted fields may hold commas, quotes and newlines. */
export class CsvScanner {
  #field = "";
  #row: string[] = [];
  #quoted = false;
  #afterQuote = false;
  #pendingCr = false;
  #line = 1;

  /** Feeds text; returns the records it completed. */
  push(text: string): string[][] {
    const rows: string[][] = [];
    let field = this.#field;
    let start = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.#quoted) {
        if (c === 0x22) {
          field += text.slice(start, i);
          start = i + 1;
          this.#quoted = false;
          this.#afterQuote = true;
        } else if (c === 0x0a) this.#line++;
        continue;
      }
      if (this.#afterQuote && c === 0x22) {
        // "" inside a quoted field is one quote.
        field += '"';
        start = i + 1;
        this.#quoted = true;
        this.#afterQuote = false;
        continue;
      }
      this.#afterQuote = false;
      if (c === 0x22) {
        field += text.slice(start, i);
        start = i + 1;
        this.#quoted = true;
      } else if (c === 0x2c) {
        this.#row.push(field + text.slice(start, i));
        field = "";
        start = i + 1;
      } else if (c === 0x0a || c === 0x0d) {
        const endsRecord = !(c === 0x0a && this.#pendingCr);
        this.#pendingCr = c === 0x0d;
        if (endsRecord) {
          this.#row.push(field + text.slice(start, i));
          rows.push(this.#row);
          this.#row = [];
          this.#line++;
        }
        field = "";
        start = i + 1;
        continue;
      }
      this.#pendingCr = false;
    }
    this.#field = field + text.slice(start);
    return rows;
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): string[][] {
    if (this.#quoted) throw new Dhis2ClientError(`CSV: a quoted field is not closed (line ${this.#line})`);
    if (this.#field === "" && this.#row.length === 0) return [];
    this.#row.push(this.#field);
    const last = this.#row;
    this.#row = [];
    this.#field = "";
    return [last];
  }
}

/** Maps CSV records to data values; the first record may be a header. */
export class DataValueCsvMapper {
  #fields: Array<keyof DataValue | undefined> = DATA_VALUE_CSV_COLUMNS.map((c) => FIELD_OF[c]);
  #first = true;
  #record = 0;

  /** The value of a record, or `undefined` for a header or an empty line. */
  map(cells: string[]): DataValue | undefined {
    this.#record++;
    if (this.#first) {
      this.#first = false;
      if ((cells[0] ?? "").trim().toLowerCase() === "dataelement") {
        this.#fields = cells.map((c) => FIELD_OF[c.trim().toLowerCase()]);
        return undefined;
      }
    }
    if (cells.length === 1 && cells[0] === "") return undefined;
    const row: Record<string, unknown> = {};
    this.#fields.forEach((field, i) => {
      const cell = cells[i];
      if (!field || cell === undefined || cell === "") return;
      row[field] = field === "followup" || field === "deleted" ? cell.trim().toLowerCase() === "true" : cell;
    });
    if (!row.dataElement || !row.period || !row.orgUnit) {
      throw new Dhis2ClientError(
        `CSV record ${this.#record}: dataelement, period and orgunit are required (got ${JSON.stringify(cells.slice(0, 3))})`,
      );
    }
    return row as DataValue;
  }
}

/** Quotes a CSV cell when needed. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One data value as a CSV line (DHIS2 column order, with `\n`). */
export function dataValueCsvLine(v: DataValue): string {
  return `${[
    v.dataElement,
    v.period,
    v.orgUnit,
    v.categoryOptionCombo,
    v.attributeOptionCombo,
    v.value,
    v.storedBy,
    v.lastUpdated,
    v.comment,
    v.followup,
    v.deleted,
  ]
    .map(csvCell)
    .join(",")}\n`;
}
