/**
 * The tracker import report: what `POST /api/tracker` (sync) and `GET /api/tracker/jobs/{id}/report`
 * answer. Shape after the Web API docs, "Import summary response" (dhis2/dhis2-docs
 * src/developer/web-api/tracker.md) and dhis2-core `org.hisp.dhis.tracker.imports.report.ImportReport`:
 * `{ status, validationReport: { errorReports, warningReports }, stats, bundleReport: { typeReportMap },
 * timingsStats?, message? }`. Loose: unknown keys are kept.
 */
import * as z from "zod";
import { ImportStats } from "../envelopes/schemas.js";

/** `TRACKED_ENTITY`, `ENROLLMENT`, `EVENT` or `RELATIONSHIP`. */
export const TrackerType = {
  TRACKED_ENTITY: "TRACKED_ENTITY",
  ENROLLMENT: "ENROLLMENT",
  EVENT: "EVENT",
  RELATIONSHIP: "RELATIONSHIP",
} as const;
export type TrackerType = (typeof TrackerType)[keyof typeof TrackerType];

/** One validation error or warning: `E1005` on `TRACKED_ENTITY` `Kj6vYde4LHh`, with a message. */
export const TrackerErrorReport = z.looseObject({
  message: z.string().catch(""),
  errorCode: z.string().catch(""),
  trackerType: z.string().catch(""),
  uid: z.string().catch(""),
  args: z.array(z.unknown()).optional(),
});
export type TrackerErrorReport = z.infer<typeof TrackerErrorReport>;

/**
 * Counts of an import, overall or per tracker type: the same `{ created, updated, deleted,
 * ignored, total }` as a metadata import's {@link ImportStats}.
 */
export const TrackerImportStats = ImportStats;
export type TrackerImportStats = ImportStats;

const emptyStats = (): TrackerImportStats => ({ created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 });

/** What happened to one object of the payload. */
export const TrackerObjectReport = z.looseObject({
  trackerType: z.string().catch(""),
  uid: z.string().catch(""),
  index: z.number().int().optional(),
  errorReports: z.array(TrackerErrorReport).catch([]),
});
export type TrackerObjectReport = z.infer<typeof TrackerObjectReport>;

/** Per-type part of the bundle report. */
export const TrackerTypeReport = z.looseObject({
  trackerType: z.string().catch(""),
  stats: TrackerImportStats.catch(emptyStats),
  objectReports: z.array(TrackerObjectReport).catch([]),
});
export type TrackerTypeReport = z.infer<typeof TrackerTypeReport>;

/** The typed import report of a tracker import. `status` is `OK`, `WARNING` or `ERROR`. */
export const TrackerImportReport = z.looseObject({
  status: z.string(),
  validationReport: z
    .looseObject({
      errorReports: z.array(TrackerErrorReport).catch([]),
      warningReports: z.array(TrackerErrorReport).catch([]),
    })
    .catch({ errorReports: [], warningReports: [] }),
  stats: TrackerImportStats.catch(emptyStats),
  bundleReport: z
    .looseObject({
      status: z.string().optional(),
      typeReportMap: z.record(z.string(), TrackerTypeReport).catch({}),
    })
    .optional(),
  timingsStats: z.record(z.string(), z.unknown()).optional(),
  message: z.string().optional(),
});
export type TrackerImportReport = z.infer<typeof TrackerImportReport>;

/** True when `value` looks like an import report (used to keep a 409's body as a result). */
export function isTrackerImportReport(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.status === "string" && ("validationReport" in v || "bundleReport" in v || "stats" in v);
}

/**
 * A reference to an async tracker import: `{ id, location }` from the kick-off's `response`
 * (`{ httpStatus: "OK", message: "Tracker job added", response: { id, location } }`).
 */
export interface TrackerJobRef {
  readonly id: string;
  /** Absolute URL of the job's notifications (`.../api/tracker/jobs/{id}`), when the server sent one. */
  readonly location?: string;
}

/** Every error report of an import, whether under `validationReport` or in the object reports. */
export function trackerImportErrors(report: TrackerImportReport): TrackerErrorReport[] {
  const out = [...report.validationReport.errorReports];
  const seen = new Set(out.map((e) => `${e.trackerType}/${e.uid}/${e.errorCode}`));
  for (const type of Object.values(report.bundleReport?.typeReportMap ?? {})) {
    for (const obj of type.objectReports) {
      for (const e of obj.errorReports) {
        const key = `${e.trackerType}/${e.uid}/${e.errorCode}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push(e);
        }
      }
    }
  }
  return out;
}
