/**
 * DHIS2's data value CSV (Web API docs, "Data values" > "CSV"): columns dataelement, period,
 * orgunit, catoptcombo, attroptcombo, value, storedby, lastupdated, comment, followup, deleted;
 * a first row starting with `dataelement` is a header.
 */

/** The CSV header DHIS2 writes. */
export const CSV_HEADER =
  "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup,deleted";

const FIELDS: Record<string, string> = {
  dataelement: "dataElement",
  period: "period",
  orgunit: "orgUnit",
  catoptcombo: "categoryOptionCombo",
  attroptcombo: "attributeOptionCombo",
  value: "value",
  storedby: "storedBy",
  lastupdated: "lastUpdated",
  comment: "comment",
  followup: "followup",
  deleted: "deleted",
};

/** Splits CSV text into records (RFC 4180 quoting). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

/** CSV text to data value rows (a header row sets the column order). */
export function csvToDataValues(text: string): Record<string, unknown>[] {
  const records = parseCsv(text);
  let columns = Object.values(FIELDS);
  if ((records[0]?.[0] ?? "").trim().toLowerCase() === "dataelement") {
    columns = (records.shift() ?? []).map((h) => FIELDS[h.trim().toLowerCase()] ?? "");
  }
  return records.map((cells) => {
    const row: Record<string, unknown> = {};
    columns.forEach((field, i) => {
      const cell = cells[i];
      if (!field || cell === undefined || cell === "") return;
      row[field] = field === "followup" || field === "deleted" ? cell.toLowerCase() === "true" : cell;
    });
    return row;
  });
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line (with newline) for a value. */
export function csvLine(v: Record<string, unknown>): string {
  return `${Object.values(FIELDS)
    .map((f) => cell(v[f]))
    .join(",")}\n`;
}
