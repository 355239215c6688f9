/**
 * The typed pieces of DHIS2's write envelopes. Shapes follow DHIS2's `WebMessage`, `ImportSummary`,
 * `ImportReport`, `ObjectReport` and `ErrorReport` (dhis2-core `org.hisp.dhis.dxf2.webmessage`,
 * `org.hisp.dhis.dxf2.importsummary`, `org.hisp.dhis.feedback`; see also QUIRKS.md "Wire formats").
 * Every object is loose: unknown keys are kept, so a newer server never breaks parsing.
 */
import * as z from "zod";

const count = z.number().int().nonnegative().catch(0);

/** `{ imported, updated, ignored, deleted }` of a data import (missing counts read as 0). */
export const ImportCount = z.looseObject({ imported: count, updated: count, ignored: count, deleted: count });
export type ImportCount = z.infer<typeof ImportCount>;

/**
 * One rejected row of a data-value or tracker import. `objects` maps a kind to a UID
 * (`{ dataElement: "fClA2Erf6IO" }`); `indexes` are positions in the payload array.
 */
export const Conflict = z.looseObject({
  object: z.string().optional(),
  objects: z.record(z.string(), z.string()).optional(),
  value: z.string().optional(),
  errorCode: z.string().optional(),
  property: z.string().optional(),
  indexes: z.array(z.number().int()).optional(),
});
export type Conflict = z.infer<typeof Conflict>;

/** `{ created, updated, deleted, ignored, total }` of a metadata import. */
export const ImportStats = z.looseObject({
  created: count,
  updated: count,
  deleted: count,
  ignored: count,
  total: count,
});
export type ImportStats = z.infer<typeof ImportStats>;

/** One validation failure of one object in a metadata import. */
export const ErrorReport = z.looseObject({
  message: z.string().optional(),
  errorCode: z.string().optional(),
  mainKlass: z.string().optional(),
  errorKlass: z.string().optional(),
  errorProperty: z.string().optional(),
  errorProperties: z.array(z.unknown()).optional(),
  mainId: z.string().optional(),
  value: z.unknown().optional(),
});
export type ErrorReport = z.infer<typeof ErrorReport>;

/** What happened to one object; `uid` is its id (DHIS2 says `uid` here, not `id`). */
export const ObjectReport = z.looseObject({
  klass: z.string().optional(),
  index: z.number().int().optional(),
  uid: z.string().optional(),
  displayName: z.string().optional(),
  errorReports: z.array(ErrorReport).catch([]).default([]),
});
export type ObjectReport = z.infer<typeof ObjectReport>;

/** The objects of one type (`klass`) in a metadata import. */
export const TypeReport = z.looseObject({
  klass: z.string().optional(),
  stats: ImportStats.optional(),
  objectReports: z.array(ObjectReport).catch([]).default([]),
});
export type TypeReport = z.infer<typeof TypeReport>;

/** The `response` of `POST /api/metadata`: `status`, `stats`, `typeReports[].objectReports[].errorReports`. */
export const ImportReport = z.looseObject({
  responseType: z.string().optional(),
  status: z.string().optional(),
  stats: ImportStats.optional(),
  typeReports: z.array(TypeReport).catch([]).default([]),
});
export type ImportReport = z.infer<typeof ImportReport>;

/** Points at a background job: poll `/api/system/tasks/{jobType}/{id}`. */
export const TaskRef = z.object({ jobType: z.string().min(1), id: z.string().min(1) });
export type TaskRef = z.infer<typeof TaskRef>;

/** DHIS2's `WebMessage` envelope. `status` is `OK`, `WARNING` or `ERROR`. */
export const WebMessage = z.looseObject({
  httpStatus: z.string().optional(),
  httpStatusCode: z.number().int().optional(),
  status: z.string().optional(),
  message: z.string().optional(),
  devMessage: z.string().optional(),
  errorCode: z.string().optional(),
  response: z.record(z.string(), z.unknown()).optional(),
});
export type WebMessage = z.infer<typeof WebMessage>;
