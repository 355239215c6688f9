/**
 * `GET /api/dataEntry/dataValues?ds=&pe=&ou=[&cc=&cp=]`: the data entry app's form values
 * (dhis2-core `DataSetValueController#getDataValueSet`, the same route in 2.41.8.1, 2.42.4.1 and
 * 2.43.0). The answer is `{ dataValues, minMaxValues, lockStatus, completeStatus }`:
 *
 * - `dataValues`: the non-deleted values of the data set's data elements for the org unit,
 *   period and attribute option combo, each `{ dataElement, period, orgUnit,
 *   categoryOptionCombo, attribute: { combo, options }, value, comment, followUp, storedBy,
 *   created, lastUpdated }` (null members left out). 2.41/2.42 map `DataValue` through
 *   `DataValueDtoMapper`, 2.43 export rows to `DataValuePostParams`: the same members.
 * - `minMaxValues`: the emulator stores none (`[]`); `lockStatus`: `OPEN` (no approvals or
 *   locking in the emulator); `completeStatus`: `{ complete: false }` without a registration.
 * - unknown ids are 409s with `DataValidator`'s codes: E1105 (data set), E1101 (period), E1102
 *   (org unit), E1104 (attribute option combo), in that order.
 */

import { tryParsePeriod } from "@dhis2w/client";
import type { EmulatorApp } from "../app.js";
import { dhis2Timestamp } from "../clock.js";
import type { Ctx } from "../ctx.js";
import { DEFAULTS } from "../seed/demo.js";
import { HttpError } from "../web-message.js";
import { dataValueStore } from "./index.js";

type Json = Record<string, unknown>;
const refIds = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map((x) => (x as { id?: string }).id).filter((x): x is string => typeof x === "string")
    : [];
const conflict = (code: string, message: string): never => {
  throw new HttpError(409, message, { errorCode: code });
};

function attributeOptionCombo(ctx: Ctx, cc: string | null, cp: string | null): Json {
  const md = ctx.state.metadata;
  if (!cc && !cp) {
    return (
      md.get("categoryOptionCombos", DEFAULTS.categoryOptionCombo) ?? { id: DEFAULTS.categoryOptionCombo }
    );
  }
  const options = new Set((cp ?? "").split(";").filter(Boolean));
  for (const coc of md.bucket("categoryOptionCombos").values()) {
    const combo = (coc.categoryCombo as { id?: string } | undefined)?.id;
    const opts = refIds(coc.categoryOptions);
    if (combo === cc && opts.length === options.size && opts.every((o) => options.has(o))) return coc;
  }
  return conflict("E1104", `Attribute option combo not found or not accessible: \`${cc}\``);
}

function getDataValues(ctx: Ctx): void {
  const q = ctx.query;
  const md = ctx.state.metadata;
  const ds = q.get("ds");
  const dataSet = ds ? md.get("dataSets", ds) : undefined;
  if (!dataSet) conflict("E1105", `Data set not found or not accessible: \`${ds}\``);
  const pe = q.get("pe") ?? "";
  if (!tryParsePeriod(pe)) conflict("E1101", `Period is invalid: \`${q.get("pe")}\``);
  const ou = q.get("ou");
  if (!ou || !md.get("organisationUnits", ou))
    conflict("E1102", `Organisation unit not found or not accessible: \`${ou}\``);
  const aoc = attributeOptionCombo(ctx, q.get("cc"), q.get("cp"));
  const attribute = {
    combo: (aoc.categoryCombo as { id?: string } | undefined)?.id ?? DEFAULTS.categoryCombo,
    options: refIds(aoc.categoryOptions).length > 0 ? refIds(aoc.categoryOptions) : [DEFAULTS.categoryOption],
  };
  const elements = new Set(
    ((dataSet!.dataSetElements as { dataElement?: { id?: string } }[] | undefined) ?? [])
      .map((e) => e.dataElement?.id)
      .filter((x): x is string => typeof x === "string"),
  );
  const store = dataValueStore(ctx.app);
  const dataValues: Json[] = [];
  for (const row of store.rows({
    dataElements: elements,
    periods: (p) => p === pe,
    orgUnits: (o) => o === ou,
  })) {
    const v = store.get(row);
    if (v.attributeOptionCombo !== aoc.id) continue;
    const dto: Json = {
      dataElement: v.dataElement,
      period: v.period,
      orgUnit: v.orgUnit,
      categoryOptionCombo: v.categoryOptionCombo,
      attribute,
      value: v.value ?? undefined,
      comment: v.comment,
      followUp: v.followup,
      storedBy: v.storedBy,
      created: dhis2Timestamp(v.created),
      lastUpdated: dhis2Timestamp(v.lastUpdated),
    };
    dataValues.push(Object.fromEntries(Object.entries(dto).filter(([, x]) => x !== undefined && x !== null)));
  }
  ctx.json(200, { dataValues, minMaxValues: [], lockStatus: "OPEN", completeStatus: { complete: false } });
}

/** Registers the route (called by the data module). */
export function installDataEntry(app: EmulatorApp): void {
  app.get("/api/dataEntry/dataValues", getDataValues);
}
