/**
 * `POST /api/metadata?async=true`: a `METADATA_IMPORT` job, as dhis2-core 2.41-2.43 run it.
 *
 * `MetadataImportExportController.startAsyncMetadata` stores the body as the job's file resource,
 * starts `new JobConfiguration(METADATA_IMPORT)` with the `MetadataImportParams` as its
 * `jobParameters` and answers `jobConfigurationReport(config)` (see `answerJobKickoff`). The job
 * (`MetadataImportJob.execute`) publishes "Metadata import started", "Loading file resource",
 * "Loading file content", runs the import, stores the `ImportReport` as the job summary
 * (`/api/system/taskSummaries/METADATA_IMPORT/{id}`) and ends with "Import complete with status
 * <status>, <n> created, <n> updated, <n> deleted, <n> ignored" (`failedProcess`, level ERROR,
 * when the status is ERROR). The parameters are validated before the kick-off; the body is read
 * by the job, so a body that is not JSON fails the job, not the request.
 */
import type { Ctx } from "../ctx.js";
import { answerJobKickoff, taskStore } from "../data/tasks.js";
import { type BundleParams, type ImportReport, importBundle } from "./bundle.js";
import type { MetadataRuntime } from "./runtime.js";
import type { JsonObject } from "./schema-index.js";

const JOB_TYPE = "METADATA_IMPORT";

/** `MetadataImportParams` as the kick-off's `jobParameters` serialise it (NON_NULL, defaults filled in). */
function jobParameters(ctx: Ctx, params: BundleParams): Record<string, unknown> {
  const q = ctx.query;
  const bool = (name: string, fallback = false) => {
    const v = q.get(name);
    return v === null ? fallback : v.toLowerCase() === "true";
  };
  const upper = (name: string, fallback: string) => q.get(name)?.toUpperCase() || fallback;
  return {
    user: ctx.user?.id,
    importMode: params.importMode ?? "COMMIT",
    identifier: upper("identifier", "UID"),
    preheatMode: upper("preheatMode", "REFERENCE"),
    importStrategy: params.importStrategy ?? "CREATE_AND_UPDATE",
    atomicMode: params.atomicMode ?? "ALL",
    flushMode: upper("flushMode", "AUTO"),
    importReportMode: upper("importReportMode", "ERRORS"),
    skipSharing: bool("skipSharing"),
    skipTranslation: bool("skipTranslation"),
    skipValidation: bool("skipValidation"),
    metadataSyncImport: false,
    async: true,
    firstRowIsHeader: bool("firstRowIsHeader", true),
  };
}

/** The job's last message, from `MetadataImportJob.execute`. */
function doneMessage(report: ImportReport): string {
  const s = report.stats;
  return `Import complete with status ${report.status}, ${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.ignored} ignored`;
}

/**
 * Kicks off the import of the request's body as a `METADATA_IMPORT` job and answers the kick-off.
 *
 * @example
 * if (ctx.query.get("async") === "true") return startAsyncMetadataImport(ctx, rt, params);
 */
export async function startAsyncMetadataImport(
  ctx: Ctx,
  rt: MetadataRuntime,
  params: BundleParams,
): Promise<void> {
  const text = await ctx.bodyText();
  const env = rt.write(ctx);
  let report: ImportReport | undefined;
  const ref = taskStore(ctx.app).startJob(
    JOB_TYPE,
    [
      { message: "Metadata import started" },
      { message: "Loading file resource" },
      { message: "Loading file content" },
      {
        message: "Importing metadata",
        run: () => {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch (e) {
            throw new Error(`Unexpected body: ${(e as Error).message}`);
          }
          if (body === null || typeof body !== "object" || Array.isArray(body)) {
            throw new Error("The metadata bundle must be a JSON object keyed by type");
          }
          const bundle: Record<string, unknown[]> = {};
          for (const [k, v] of Object.entries(body as JsonObject)) if (Array.isArray(v)) bundle[k] = v;
          report = importBundle(env, bundle, params);
        },
      },
    ],
    {
      summary: () => report,
      doneMessage: () => (report ? doneMessage(report) : "Import failed, no summary available"),
      doneLevel: () => (report?.status === "ERROR" ? "ERROR" : "INFO"),
    },
  );
  answerJobKickoff(ctx, ref, { jobParameters: jobParameters(ctx, params) });
}
