/**
 * `client.analytics`: aggregate analytics through `/api/analytics` in three shapes (DHIS2 Web API
 * docs, "Analytics"): `"table"` -> `GET /api/analytics` (a grid), `"raw"` ->
 * `GET /api/analytics/rawData.json` (a grid of unaggregated rows), `"dvs"` ->
 * `GET /api/analytics/dataValueSet.json` (a data value set). The `.json` suffix is required on
 * the last two: without it the server answers Tomcat's HTML 404 (QUIRKS.md).
 */
import { DataValueSet } from "../data-values/schemas.js";
import { Dhis2ClientError } from "../errors.js";
import type { QueryParams, QueryValue } from "../http/params.js";
import { formatIssues } from "../standard-schema.js";
import { type AnalyticsDimensions, normaliseDimensions } from "./dimensions.js";
import { Grid } from "./schemas.js";

/** The three answer shapes of {@link Analytics.query}. */
export type AnalyticsShape = "table" | "raw" | "dvs";

/** What {@link Analytics.query} returns for a shape: a grid, or a data value set for `"dvs"`. */
export type AnalyticsResult<S extends AnalyticsShape> = S extends "dvs" ? DataValueSet : Grid;

/**
 * Common query parameters of `/api/analytics` (any other key is passed as-is): `aggregationType`
 * (override the data elements' own), `skipMeta`, `skipData`, `skipRounding`, `displayProperty`
 * (`NAME`/`SHORTNAME`), `outputIdScheme` (`UID`/`CODE`/`NAME`), `includeNumDen`, `hierarchyMeta`.
 */
export type AnalyticsParams = Readonly<Record<string, QueryValue>>;

/** A query of {@link Analytics.query}. */
export interface AnalyticsQuery<S extends AnalyticsShape = "table"> {
  /** `["dx:a;b", "pe:LAST_12_MONTHS", "ou:ImspTQPwCqd;LEVEL-2"]` or `{ dx: [...], pe: [...], ou: [...] }`. */
  dimensions: AnalyticsDimensions;
  /** Dimensions the values are collapsed over, same forms (`["pe:2024"]`). */
  filters?: AnalyticsDimensions;
  /** Default `"table"`. */
  shape?: S;
  params?: AnalyticsParams;
  signal?: AbortSignal;
}

/** Output formats of {@link Analytics.streamTo}. */
export type AnalyticsOutputFormat = "json" | "csv" | "xml" | "xlsx";

/** Options of {@link Analytics.streamTo} (and `streamAnalyticsTo` of `@dhis2w/client/node`). */
export interface AnalyticsStreamOptions {
  /** Query parameters (`dimension`, `filter`, ...), sent as-is. */
  params?: QueryParams;
  /** Convenience: validated and added as `dimension=` / `filter=`. */
  dimensions?: AnalyticsDimensions;
  filters?: AnalyticsDimensions;
  /** `"analytics"` (default), `"rawData"`, `"dataValueSet"`, or an API path such as `/api/analytics/rawData`. */
  endpoint?: string;
  /** Default: from the file extension, else `"json"`. */
  outputFormat?: AnalyticsOutputFormat;
  signal?: AbortSignal;
}

/** What {@link Analytics.streamTo} wrote. */
export interface AnalyticsStreamResult {
  path: string;
  bytes: number;
  contentType: string;
}

/** The slice of `Dhis2Client` the facade uses (`Dhis2Client` satisfies it). */
export interface AnalyticsHttp {
  getRaw(path: string, options?: { params?: QueryParams; signal?: AbortSignal }): Promise<unknown>;
  fetchResponse(
    method: string,
    path: string,
    options?: { params?: QueryParams; signal?: AbortSignal },
  ): Promise<Response>;
}

/** The Node file writer behind `streamTo` (registered by `@dhis2w/client/node`). */
export type AnalyticsStreamer = (
  http: AnalyticsHttp,
  path: string,
  options: AnalyticsStreamOptions,
) => Promise<AnalyticsStreamResult>;

let registeredStreamer: AnalyticsStreamer | undefined;

/** Called by `@dhis2w/client/node` on import; lets `client.analytics.streamTo` write files. @internal */
export function registerAnalyticsStreamer(streamer: AnalyticsStreamer): void {
  registeredStreamer = streamer;
}

const SHAPE_PATHS: Record<AnalyticsShape, string> = {
  table: "/api/analytics",
  raw: "/api/analytics/rawData.json",
  dvs: "/api/analytics/dataValueSet.json",
};

const ENDPOINTS: Record<string, string> = {
  analytics: "/api/analytics",
  table: "/api/analytics",
  rawData: "/api/analytics/rawData",
  raw: "/api/analytics/rawData",
  dataValueSet: "/api/analytics/dataValueSet",
  dvs: "/api/analytics/dataValueSet",
};

/**
 * The request path of a streamed export: `/api/analytics.csv`, `/api/analytics/rawData.json`...
 *
 * @example
 * ```ts
 * analyticsExportPath("rawData", "csv"); // "/api/analytics/rawData.csv"
 * ```
 */
export function analyticsExportPath(endpoint: string | undefined, format: AnalyticsOutputFormat): string {
  const base = ENDPOINTS[endpoint ?? "analytics"] ?? endpoint ?? "/api/analytics";
  if (!base.startsWith("/api/")) {
    throw new Dhis2ClientError(
      `analytics.streamTo: endpoint "${base}" is neither analytics, rawData, dataValueSet nor an /api/ path`,
    );
  }
  return /\.(json|csv|xml|xlsx|xls|html|pdf)$/.test(base) ? base : `${base}.${format}`;
}

/** Builds the query string of an analytics request (dimensions validated first). */
export function analyticsParams(
  dimensions: AnalyticsDimensions | undefined,
  filters: AnalyticsDimensions | undefined,
  params: QueryParams | undefined,
): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  const dims = normaliseDimensions(dimensions, "dimensions");
  const filts = normaliseDimensions(filters, "filters");
  const entries: Iterable<[string, QueryValue]> =
    params instanceof URLSearchParams ? params.entries() : Object.entries(params ?? {});
  for (const [key, value] of entries) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = [...toList(prev), ...toList(value)];
  }
  if (dims.length > 0) out.dimension = [...toList(out.dimension), ...dims];
  if (filts.length > 0) out.filter = [...toList(out.filter), ...filts];
  return out;
}

function toList(v: QueryValue): (string | number | boolean)[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? [...(v as readonly (string | number | boolean)[])] : [v as string];
}

/**
 * The analytics facade. Build it with {@link createAnalytics}; the client exposes one as
 * `client.analytics`.
 *
 * @example
 * ```ts
 * const grid = await client.analytics.query({ dimensions: ["dx:fClA2Erf6IO", "pe:LAST_12_MONTHS", "ou:ImspTQPwCqd"] });
 * const dvs = await client.analytics.query({ dimensions: { dx: ["fClA2Erf6IO"], pe: ["2024"], ou: ["ImspTQPwCqd"] }, shape: "dvs" });
 * ```
 */
export class Analytics {
  constructor(private readonly http: AnalyticsHttp) {}

  /** Runs a query; the result type follows `shape` (`Grid`, or `DataValueSet` for `"dvs"`). */
  async query<S extends AnalyticsShape = "table">(query: AnalyticsQuery<S>): Promise<AnalyticsResult<S>> {
    const shape: AnalyticsShape = query.shape ?? "table";
    const path = SHAPE_PATHS[shape];
    if (!path) {
      throw new Dhis2ClientError(`analytics.query: shape "${String(shape)}" is not one of table, raw, dvs`);
    }
    const params = analyticsParams(query.dimensions, query.filters, query.params);
    if (!params.dimension) {
      throw new Dhis2ClientError("analytics.query: give at least one dimension (DHIS2 E7101)");
    }
    const raw = await this.http.getRaw(path, { params, signal: query.signal });
    const schema = shape === "dvs" ? DataValueSet : Grid;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new Dhis2ClientError(
        `analytics.query: GET ${path} answered an unexpected shape: ${formatIssues(parsed.error.issues)}`,
      );
    }
    return parsed.data as AnalyticsResult<S>;
  }

  /**
   * Streams an analytics export to `path` in constant memory (Node only): the body is piped to a
   * temporary file that is renamed into place when complete, so a failed request leaves no file.
   * Works once `@dhis2w/client/node` is imported (it registers the writer); otherwise, on Node,
   * the writer is loaded on first use.
   *
   * @example
   * ```ts
   * await client.analytics.streamTo("out/anc.csv", { params: { dimension: ["dx:fbfJHSPpUQD", "pe:LAST_12_MONTHS", "ou:LEVEL-2"] } });
   * ```
   */
  async streamTo(path: string, options: AnalyticsStreamOptions = {}): Promise<AnalyticsStreamResult> {
    let streamer = registeredStreamer;
    if (!streamer) {
      const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
      if (!proc?.versions?.node) {
        throw new Dhis2ClientError(
          "analytics.streamTo writes files and needs Node; elsewhere use client.fetchResponse() and read the body",
        );
      }
      // A computed specifier, so browser bundlers never follow it into node:* modules.
      const nodeWriter = "../node/analytics-stream.js";
      const mod = (await import(/* webpackIgnore: true */ /* @vite-ignore */ nodeWriter)) as {
        streamAnalyticsTo: AnalyticsStreamer;
      };
      streamer = mod.streamAnalyticsTo;
    }
    return streamer(this.http, path, options);
  }
}

/**
 * Builds the analytics facade over a client.
 *
 * @example
 * ```ts
 * const analytics = createAnalytics(client);
 * const grid = await analytics.query({ dimensions: ["dx:fClA2Erf6IO", "pe:2024Q1", "ou:ImspTQPwCqd"] });
 * ```
 */
export function createAnalytics(http: AnalyticsHttp): Analytics {
  return new Analytics(http);
}
