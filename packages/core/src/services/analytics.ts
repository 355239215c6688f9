/**
 * Analytics services: `queryAnalytics` (parsed, typed by shape) and `exportAnalytics` (a file or a
 * stream in json/csv/xml/xlsx, never buffered).
 */
import type { Writable } from "node:stream";
import {
  type AnalyticsDimensions,
  type AnalyticsOutputFormat,
  type AnalyticsQuery,
  type AnalyticsResult,
  type AnalyticsShape,
  analyticsExportPath,
  analyticsParams,
  Dhis2ClientError,
  type QueryParams,
} from "@dhis2w/client";
import { streamAnalyticsTo } from "@dhis2w/client/node";
import { pipeBodyTo } from "./stream.js";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/**
 * Runs an analytics query (`/api/analytics`, `rawData.json` or `dataValueSet.json` by `shape`).
 *
 * @example
 * ```ts
 * const grid = await queryAnalytics(resolveProfile(), { dimensions: { dx: ["fbfJHSPpUQD"], pe: ["LAST_12_MONTHS"], ou: ["ImspTQPwCqd"] } });
 * console.log(grid.headers.map((h) => h.name), grid.rows.length);
 * ```
 */
export function queryAnalytics<S extends AnalyticsShape = "table">(
  target: ServiceTarget,
  query: AnalyticsQuery<S>,
  options?: ServiceOptions,
): Promise<AnalyticsResult<S>> {
  return withClient(target, (client) => client.analytics.query<S>(query), options);
}

/** An export of {@link exportAnalytics}. */
export interface AnalyticsExport {
  dimensions: AnalyticsDimensions;
  filters?: AnalyticsDimensions;
  /** Which endpoint: `table` (default) -> `/api/analytics`, `raw` -> rawData, `dvs` -> dataValueSet. */
  shape?: AnalyticsShape;
  format: AnalyticsOutputFormat;
  params?: QueryParams;
  signal?: AbortSignal;
}

/** What {@link exportAnalytics} wrote. */
export interface AnalyticsExportResult {
  bytes: number;
  /** The file, when the destination was a path. */
  path?: string;
}

const ENDPOINT_OF: Record<AnalyticsShape, string> = {
  table: "analytics",
  raw: "rawData",
  dvs: "dataValueSet",
};

/**
 * Streams an analytics export to a file (written to a temporary name, renamed when complete) or
 * to a writable such as `process.stdout` (left open). The body is never held in memory.
 *
 * @example
 * ```ts
 * await exportAnalytics(resolveProfile(), "anc.xlsx", { dimensions: ["dx:fbfJHSPpUQD", "pe:2024", "ou:ImspTQPwCqd"], format: "xlsx" });
 * await exportAnalytics(resolveProfile(), process.stdout, { dimensions, format: "csv" });
 * ```
 */
export function exportAnalytics(
  target: ServiceTarget,
  destination: string | Writable,
  spec: AnalyticsExport,
  options?: ServiceOptions,
): Promise<AnalyticsExportResult> {
  const shape = spec.shape ?? "table";
  const endpoint = ENDPOINT_OF[shape];
  if (!endpoint)
    throw new Dhis2ClientError(`exportAnalytics: shape "${shape}" is not one of table, raw, dvs`);
  return withClient(
    target,
    async (client) => {
      if (typeof destination === "string") {
        const r = await streamAnalyticsTo(client, destination, {
          dimensions: spec.dimensions,
          ...(spec.filters ? { filters: spec.filters } : {}),
          ...(spec.params ? { params: spec.params } : {}),
          endpoint,
          outputFormat: spec.format,
          ...(spec.signal ? { signal: spec.signal } : {}),
        });
        return { bytes: r.bytes, path: r.path };
      }
      const params = analyticsParams(spec.dimensions, spec.filters, spec.params);
      if (!params.dimension) throw new Dhis2ClientError("exportAnalytics: give at least one dimension");
      const res = await client.fetchResponse("GET", analyticsExportPath(endpoint, spec.format), {
        params,
        ...(spec.signal ? { signal: spec.signal } : {}),
      });
      return { bytes: await pipeBodyTo(res, destination, spec.signal) };
    },
    options,
  );
}
