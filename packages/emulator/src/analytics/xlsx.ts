/**
 * A grid as a real XLSX workbook (ECMA-376 SpreadsheetML, the minimal part set: content types,
 * package and workbook relationships, workbook, one worksheet with inline strings). The first row
 * holds the column titles; numeric cells are numbers, as dhis2-core's `GridUtils.toXls` writes
 * them (`MathUtils.isNumeric` -> number cell).
 */
import type { GridJson } from "./render.js";
import { xmlEscape } from "./render.js";
import { zip } from "./zip.js";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";

function columnName(i: number): string {
  let s = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

function cell(ref: string, value: string): string {
  if (NUMERIC.test(value)) return `<c r="${ref}"><v>${value}</v></c>`;
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(value)}</t></is></c>`;
}

/** The grid as XLSX bytes. */
export function gridXlsx(
  grid: Pick<GridJson, "headers" | "rows">,
  sheetName = "Sheet 1",
): Promise<Uint8Array> {
  const parts: string[] = [];
  const titles = grid.headers.map((h, c) => cell(`${columnName(c)}1`, h.column));
  parts.push(`<row r="1">${titles.join("")}</row>`);
  grid.rows.forEach((row, r) => {
    parts.push(`<row r="${r + 2}">${row.map((v, c) => cell(`${columnName(c)}${r + 2}`, v)).join("")}</row>`);
  });
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}"><sheetData>${parts.join("")}</sheetData></worksheet>`;
  return zip([
    [
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ],
    [
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="${xmlEscape(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ],
    ["xl/worksheets/sheet1.xml", sheet],
  ]);
}
