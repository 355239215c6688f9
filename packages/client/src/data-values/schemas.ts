/**
 * Aggregate data value models: the JSON shapes of `/api/dataValueSets` and `/api/dataValues`
 * (DHIS2 Web API docs, "Data values"), and the import summary that `/api/dataValueSets` answers.
 */
import * as z from "zod";
import { Conflict, ImportCount } from "../envelopes/schemas.js";

/**
 * One aggregate data value. Unknown fields are kept (servers add some between versions).
 *
 * @example
 * ```ts
 * const v: DataValue = { dataElement: "fClA2Erf6IO", period: "202603", orgUnit: "PMa2VCrupOd", value: "42" };
 * DataValue.parse(v);
 * ```
 */
export const DataValue = z.looseObject({
  dataElement: z.string(),
  period: z.string(),
  orgUnit: z.string(),
  categoryOptionCombo: z.string().optional(),
  attributeOptionCombo: z.string().optional(),
  value: z.string().nullable().optional(),
  storedBy: z.string().optional(),
  created: z.string().optional(),
  lastUpdated: z.string().optional(),
  comment: z.string().nullable().optional(),
  followup: z.boolean().optional(),
  deleted: z.boolean().optional(),
});
export type DataValue = z.infer<typeof DataValue>;

/** The fields of a data value set other than its values: defaults that apply to every row. */
export interface DataValueSetHeader {
  dataSet?: string;
  completeDate?: string;
  period?: string;
  orgUnit?: string;
  attributeOptionCombo?: string;
}

/**
 * A data value set: the body of `POST /api/dataValueSets` and the answer of its `GET`.
 *
 * @example
 * ```ts
 * const set: DataValueSet = { dataSet: "BfMAe6Itzgt", dataValues: [{ dataElement: "fClA2Erf6IO", period: "202603", orgUnit: "PMa2VCrupOd", value: "42" }] };
 * ```
 */
export const DataValueSet = z.looseObject({
  dataSet: z.string().optional(),
  completeDate: z.string().optional(),
  period: z.string().optional(),
  orgUnit: z.string().optional(),
  attributeOptionCombo: z.string().optional(),
  dataValues: z.array(DataValue).default([]),
});
export type DataValueSet = z.infer<typeof DataValueSet>;

/** `importStrategy` values of `/api/dataValueSets`. */
export const ImportStrategy = {
  CREATE: "CREATE",
  UPDATE: "UPDATE",
  CREATE_AND_UPDATE: "CREATE_AND_UPDATE",
  DELETE: "DELETE",
} as const;
export type ImportStrategy = (typeof ImportStrategy)[keyof typeof ImportStrategy];

/** Identifier schemes accepted by `idScheme`, `dataElementIdScheme`, `orgUnitIdScheme`. */
export const IdScheme = { UID: "UID", CODE: "CODE", NAME: "NAME" } as const;
/** `UID`, `CODE`, `NAME`, or `ATTRIBUTE:<uid>` (passed through to the server). */
export type IdScheme = (typeof IdScheme)[keyof typeof IdScheme] | `ATTRIBUTE:${string}`;

/** The `ImportSummary` that `/api/dataValueSets` answers (inside a WebMessage on 2.36+). */
export const DataValueImportSummary = z.looseObject({
  responseType: z.string().optional(),
  status: z.string().optional(),
  description: z.string().optional(),
  importCount: ImportCount.optional(),
  conflicts: z.array(Conflict).optional(),
  rejectedIndexes: z.array(z.number()).optional(),
});
export type DataValueImportSummary = z.infer<typeof DataValueImportSummary>;

/**
 * Finds the ImportSummary in a `/api/dataValueSets` answer: `{ response: ImportSummary }` (a
 * WebMessage, 2.36+), a bare ImportSummary (older servers), or a task summary. Anything else
 * (an error WebMessage, HTML, a job kick-off) gives `undefined`.
 *
 * @example
 * ```ts
 * const summary = findImportSummary(await client.postRaw("/api/dataValueSets", set));
 * ```
 */
export function findImportSummary(raw: unknown): DataValueImportSummary | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const record = raw as Record<string, unknown>;
  const inner = record.response && typeof record.response === "object" ? record.response : raw;
  const candidate = inner as Record<string, unknown>;
  if (!candidate.importCount && candidate.responseType !== "ImportSummary") return undefined;
  const parsed = DataValueImportSummary.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}
