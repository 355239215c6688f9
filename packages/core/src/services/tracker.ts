/**
 * Tracker services: one page of tracked entities, enrollments or events; bundle imports.
 */
import {
  Dhis2ClientError,
  type TrackerBundle,
  type TrackerImportOptions,
  type TrackerImportReport,
  type TrackerListOptions,
  type TrackerPage,
} from "@dhis2w/client";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/** The tracker exporters {@link listTracked} reads. */
export type TrackedKind = "trackedEntities" | "enrollments" | "events";

/** The kinds, for validation and help texts. */
export const TRACKED_KINDS: readonly TrackedKind[] = ["trackedEntities", "enrollments", "events"];

/**
 * One page of tracked entities, enrollments or events (`/api/tracker/{kind}`), with its pager.
 * Options use DHIS2 2.41+ names on every version (`orgUnits`, `orgUnitMode`).
 *
 * @example
 * ```ts
 * const { items } = await listTracked(resolveProfile(), "trackedEntities", { program: "IpHINAT79UW", orgUnits: ["DiszpKrYNg8"], pageSize: 10 });
 * ```
 */
export function listTracked(
  target: ServiceTarget,
  kind: TrackedKind,
  opts: TrackerListOptions & Record<string, unknown> = {},
  options?: ServiceOptions,
): Promise<TrackerPage<Record<string, unknown>>> {
  if (!TRACKED_KINDS.includes(kind)) {
    throw new Dhis2ClientError(`listTracked: kind must be one of ${TRACKED_KINDS.join(", ")}, got "${kind}"`);
  }
  return withClient(
    target,
    async (client) => {
      const endpoint = client.tracker[kind] as unknown as {
        page(o: TrackerListOptions): Promise<TrackerPage<Record<string, unknown>>>;
      };
      return endpoint.page(opts);
    },
    options,
  );
}

/**
 * Imports a tracker bundle synchronously (`POST /api/tracker`); the report comes back also when
 * DHIS2 refused objects (status `ERROR`).
 *
 * @example
 * ```ts
 * const report = await importTracker(resolveProfile(), { trackedEntities: [te] }, { atomicMode: "OBJECT" });
 * console.log(report.status, report.stats.created);
 * ```
 */
export function importTracker(
  target: ServiceTarget,
  bundle: TrackerBundle,
  opts: Omit<TrackerImportOptions, "async"> = {},
  options?: ServiceOptions,
): Promise<TrackerImportReport> {
  return withClient(target, (client) => client.tracker.import(bundle, { ...opts, async: false }), options);
}
