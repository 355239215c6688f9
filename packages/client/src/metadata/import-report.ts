import * as z from "zod";
import { ImportStats } from "../envelopes/schemas.js";

/*
 * DHIS2's metadata import report, as `/api/metadata` answers it (inside a WebMessage's `response`
 * since 2.36). Field names from dhis2/dhis2-core `dhis-api/.../dxf2/metadata/feedback/ImportReport.java`,
 * `feedback/TypeReport.java`, `feedback/ObjectReport.java`, `feedback/ErrorReport.java`.
 */

/** Counts of a metadata import, overall or per type: created, updated, deleted, ignored, total. */
export const MetadataImportStats = ImportStats;
export type MetadataImportStats = ImportStats;

/**
 * One validation error of one object (DHIS2's `ErrorReport`): `errorCode` such as `E4000`
 * (missing required property), the offending `errorProperty`, and a human `message`.
 */
export const MetadataErrorReport = z.looseObject({
  message: z.string().default(""),
  mainKlass: z.string().optional(),
  mainId: z.string().optional(),
  errorKlass: z.string().optional(),
  errorCode: z.string().optional(),
  errorProperty: z.string().optional(),
  errorProperties: z.array(z.unknown()).optional(),
  args: z.array(z.string()).optional(),
  value: z.unknown().optional(),
});
export type MetadataErrorReport = z.infer<typeof MetadataErrorReport>;

/** One object of the bundle that had errors: its `uid`, its `index` in its list, and its error reports. */
export const MetadataObjectReport = z.looseObject({
  klass: z.string().optional(),
  index: z.number().optional(),
  uid: z.string().optional(),
  displayName: z.string().optional(),
  errorReports: z.array(MetadataErrorReport).default([]),
});
export type MetadataObjectReport = z.infer<typeof MetadataObjectReport>;

/** The report of one metadata type (`klass`, e.g. `org.hisp.dhis.dataelement.DataElement`): stats and object reports. */
export const MetadataTypeReport = z.looseObject({
  klass: z.string(),
  stats: MetadataImportStats.optional(),
  objectReports: z.array(MetadataObjectReport).default([]),
});
export type MetadataTypeReport = z.infer<typeof MetadataTypeReport>;

const ImportReportBody = z.looseObject({
  responseType: z.string().optional(),
  status: z.enum(["OK", "WARNING", "ERROR"]).or(z.string()),
  stats: MetadataImportStats.default({ created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 }),
  typeReports: z.array(MetadataTypeReport).default([]),
});

/** One error of an import, flattened with where it happened. */
export interface MetadataImportError {
  /** Simple class name of the object type ("DataElement"). */
  readonly type: string;
  readonly klass: string | undefined;
  readonly uid: string | undefined;
  /** Position of the object in its list in the submitted bundle. */
  readonly index: number | undefined;
  readonly message: string;
  readonly errorCode: string | undefined;
  readonly property: string | undefined;
}

/** A bundle key left out of an import (`nonMetadata: "skip"`) and how many objects it held. */
export interface SkippedType {
  /** The bundle key, e.g. "interpretations". */
  readonly type: string;
  /** Objects under that key (1 when its value was not a list). */
  readonly count: number;
}

/**
 * A typed `/api/metadata` import report.
 *
 * @example
 * ```ts
 * const report = await client.metadata.import({ dataElements: [de] }, { dryRun: true });
 * if (report.status !== "OK") for (const e of report.errors()) console.error(e.type, e.uid, e.errorCode, e.message);
 * ```
 */
export class MetadataImportReport {
  private constructor(
    readonly status: string,
    readonly stats: MetadataImportStats,
    readonly typeReports: readonly MetadataTypeReport[],
    /** The HTTP status DHIS2 answered with (409 when the import had errors). */
    readonly httpStatusCode: number | undefined,
    /** The WebMessage's `message`, when there was one. */
    readonly message: string | undefined,
    /**
     * Bundle keys the client left out because they are not metadata types (`nonMetadata: "skip"`),
     * so a skipped `interpretations` list shows up here rather than vanishing. Empty otherwise.
     */
    readonly skippedTypes: readonly SkippedType[],
  ) {}

  /** True when `raw` is an ImportReport or a WebMessage carrying one. */
  static isImportReport(raw: unknown): boolean {
    if (typeof raw !== "object" || raw === null) return false;
    const r = raw as { response?: { responseType?: unknown; typeReports?: unknown }; typeReports?: unknown };
    if (r.response && (r.response.responseType === "ImportReport" || Array.isArray(r.response.typeReports)))
      return true;
    return Array.isArray(r.typeReports);
  }

  /**
   * Parses an ImportReport, bare or wrapped in a WebMessage (`{ httpStatusCode, response: {...} }`).
   * `skippedTypes` is what the client left out of the request (see {@link MetadataImportReport.skippedTypes}).
   */
  static parse(raw: unknown, skippedTypes: readonly SkippedType[] = []): MetadataImportReport {
    const outer = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const wrapped = typeof outer.response === "object" && outer.response !== null;
    const body = ImportReportBody.parse(wrapped ? outer.response : outer);
    const code = typeof outer.httpStatusCode === "number" ? outer.httpStatusCode : undefined;
    const message = typeof outer.message === "string" ? outer.message : undefined;
    const skipped = skippedTypes.map(({ type, count }) => ({ type, count }));
    return new MetadataImportReport(
      String(body.status),
      body.stats,
      body.typeReports,
      code,
      message,
      skipped,
    );
  }

  /** True when DHIS2 reported status OK. */
  get ok(): boolean {
    return this.status === "OK";
  }

  /** Every error of every object of every type, flattened. */
  errors(): MetadataImportError[] {
    const out: MetadataImportError[] = [];
    for (const tr of this.typeReports) {
      const type = tr.klass.split(".").pop() ?? tr.klass;
      for (const or of tr.objectReports) {
        for (const er of or.errorReports) {
          out.push({
            type,
            klass: tr.klass,
            uid: or.uid ?? er.mainId,
            index: or.index,
            message: er.message,
            errorCode: er.errorCode,
            property: er.errorProperty,
          });
        }
      }
    }
    return out;
  }
}
