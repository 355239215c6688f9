/**
 * `client.tracker`: typed reads of the four tracker exporters and the tracker importer.
 */
import { TrackerEndpoint, type TrackerHttp } from "./endpoint.js";
import {
  awaitTrackerImport,
  runTrackerImport,
  type TrackerAwaitOptions,
  type TrackerImportOptions,
} from "./import.js";
import type {
  EnrollmentListOptions,
  EventListOptions,
  RelationshipListOptions,
  TrackedEntityListOptions,
} from "./params.js";
import type { TrackerImportReport, TrackerJobRef } from "./report.js";
import {
  type TrackerBundle,
  TrackerEnrollment,
  TrackerEvent,
  TrackerRelationship,
  TrackerTrackedEntity,
} from "./schemas.js";

/**
 * The tracker facade. Reads use DHIS2 2.41+ parameter names on every version; lists come back
 * typed; `import` returns the typed import report (also when DHIS2 answers 409).
 *
 * @example
 * ```ts
 * const tracker = createTracker(client);
 * const report = await tracker.import({ trackedEntities: [te] }, { importStrategy: "CREATE_AND_UPDATE" });
 * console.log(report.status, report.stats.created);
 * const ref = await tracker.import(bundle, { async: true });
 * const done = await tracker.awaitImport(ref, { timeoutMs: 60_000 });
 * ```
 */
export class TrackerApi {
  readonly trackedEntities: TrackerEndpoint<TrackerTrackedEntity, TrackedEntityListOptions>;
  readonly enrollments: TrackerEndpoint<TrackerEnrollment, EnrollmentListOptions>;
  readonly events: TrackerEndpoint<TrackerEvent, EventListOptions>;
  readonly relationships: TrackerEndpoint<TrackerRelationship, RelationshipListOptions>;
  readonly #http: TrackerHttp;

  constructor(http: TrackerHttp) {
    this.#http = http;
    this.trackedEntities = new TrackerEndpoint(
      http,
      "trackedEntities",
      TrackerTrackedEntity,
      "TrackerTrackedEntity",
    );
    this.enrollments = new TrackerEndpoint(http, "enrollments", TrackerEnrollment, "TrackerEnrollment");
    this.events = new TrackerEndpoint(http, "events", TrackerEvent, "TrackerEvent");
    this.relationships = new TrackerEndpoint(
      http,
      "relationships",
      TrackerRelationship,
      "TrackerRelationship",
    );
  }

  /**
   * Imports a bundle. Sync by default: resolves to the import report, whose `status` is `ERROR`
   * when anything was rejected (DHIS2's 409 is not thrown: the report is the result, nothing is
   * lost). With `async: true` it resolves to a job reference for {@link awaitImport}.
   */
  import(bundle: TrackerBundle, options: TrackerImportOptions & { async: true }): Promise<TrackerJobRef>;
  import(
    bundle: TrackerBundle,
    options?: TrackerImportOptions & { async?: false },
  ): Promise<TrackerImportReport>;
  import(
    bundle: TrackerBundle,
    options: TrackerImportOptions = {},
  ): Promise<TrackerImportReport | TrackerJobRef> {
    return runTrackerImport(this.#http, bundle, options);
  }

  /** Waits for an async import (`/api/tracker/jobs/{id}`) and returns its report (`/report`). */
  awaitImport(ref: TrackerJobRef | string, options: TrackerAwaitOptions = {}): Promise<TrackerImportReport> {
    return awaitTrackerImport(this.#http, ref, options);
  }
}

/**
 * Builds `client.tracker` over any client with `getRaw`/`postRaw` (it can be created before
 * `connect()`).
 *
 * @example
 * ```ts
 * const tracker = createTracker(client);
 * const tes = await tracker.trackedEntities.list({ program: "IpHINAT79UW", orgUnits: [ou], pageSize: 10 });
 * ```
 */
export function createTracker(http: TrackerHttp): TrackerApi {
  return new TrackerApi(http);
}
