/**
 * `GET /api/dataValueSets`: the values of data sets (or data element groups) for periods (or a
 * date range) and org units (optionally with their descendants), streamed so a two-million-value
 * export never becomes one string. Missing parameters answer DHIS2's 409s (`ErrorCode` E2001,
 * E2002, E2006).
 */
import { tryParsePeriod } from "@dhis2w/client";
import { dhis2Timestamp } from "../clock.js";
import type { Ctx } from "../ctx.js";
import { HttpError } from "../web-message.js";
import { CSV_HEADER, csvLine } from "./csv.js";
import { dataValueStore } from "./index.js";
import { DataLookup } from "./lookup.js";

function list(ctx: Ctx, name: string): string[] {
  return ctx.query
    .getAll(name)
    .flatMap((v) => v.split(","))
    .filter((v) => v !== "");
}

function dataElementsOf(ctx: Ctx, lookup: DataLookup): Set<string> {
  const out = new Set<string>();
  for (const ds of list(ctx, "dataSet")) {
    const des = lookup.dataSetElements(ds);
    if (!des)
      throw new HttpError(409, `Data set not found or not accessible: \`${ds}\``, { errorCode: "E1105" });
    for (const de of des) out.add(de);
  }
  for (const group of list(ctx, "dataElementGroup")) {
    const g = ctx.state.metadata.get("dataElementGroups", group);
    for (const de of Array.isArray(g?.dataElements) ? (g.dataElements as { id?: string }[]) : []) {
      if (de.id) out.add(de.id);
    }
  }
  return out;
}

function periodFilter(ctx: Ctx): (period: string) => boolean {
  const periods = list(ctx, "period");
  const start = ctx.query.get("startDate");
  const end = ctx.query.get("endDate");
  if (periods.length > 0 && (start || end)) {
    throw new HttpError(409, "Both periods and start/end date cannot be specified", { errorCode: "E2003" });
  }
  if (periods.length > 0) {
    const wanted = new Set(periods);
    return (p) => wanted.has(p);
  }
  if (start && end) {
    // DHIS2 selects the periods that lie within [startDate, endDate].
    return (p) => {
      const parsed = tryParsePeriod(p);
      return (
        parsed !== undefined && parsed.startDate >= start.slice(0, 10) && parsed.endDate <= end.slice(0, 10)
      );
    };
  }
  throw new HttpError(
    409,
    "At least one period, start/end dates, last updated or last updated duration must be specified",
    { errorCode: "E2002" },
  );
}

/** The export handler. */
export async function exportDataValueSet(ctx: Ctx): Promise<void> {
  const lookup = new DataLookup(ctx.state.metadata, new Set());
  if (list(ctx, "dataSet").length === 0 && list(ctx, "dataElementGroup").length === 0) {
    throw new HttpError(409, "At least one data element, data set or data element group must be specified", {
      errorCode: "E2001",
    });
  }
  const dataElements = dataElementsOf(ctx, lookup);
  const periods = periodFilter(ctx);
  const roots = list(ctx, "orgUnit");
  if (roots.length === 0) {
    throw new HttpError(409, "At least one organisation unit or organisation unit group must be specified", {
      errorCode: "E2006",
    });
  }
  const orgUnits =
    (ctx.query.get("children") ?? "").toLowerCase() === "true" ? lookup.descendantsOf(roots) : new Set(roots);
  const includeDeleted = (ctx.query.get("includeDeleted") ?? "").toLowerCase() === "true";
  const store = dataValueStore(ctx.app);
  const csv = ctx.ext === "csv";
  const out = ctx.stream(200, csv ? "application/csv;charset=UTF-8" : "application/json;charset=UTF-8");
  await out.write(csv ? `${CSV_HEADER}\n` : '{"dataValues":[');
  let batch = "";
  let first = true;
  for (const row of store.rows({
    dataElements,
    periods,
    orgUnits: (ou) => orgUnits.has(ou),
    includeDeleted,
  })) {
    const v = store.get(row);
    const wire: Record<string, unknown> = {
      dataElement: v.dataElement,
      period: v.period,
      orgUnit: v.orgUnit,
      categoryOptionCombo: v.categoryOptionCombo,
      attributeOptionCombo: v.attributeOptionCombo,
      value: v.value,
      storedBy: v.storedBy,
      created: dhis2Timestamp(v.created),
      lastUpdated: dhis2Timestamp(v.lastUpdated),
      comment: v.comment,
      followup: v.followup,
    };
    if (includeDeleted) wire.deleted = v.deleted;
    batch += csv ? csvLine(wire) : `${first ? "" : ","}${JSON.stringify(wire)}`;
    first = false;
    if (batch.length > 64 * 1024) {
      await out.write(batch);
      batch = "";
    }
  }
  await out.write(csv ? batch : `${batch}]}`);
  await out.end();
}
