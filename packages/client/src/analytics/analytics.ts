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

const FORMATS: readonly AnalyticsOutputFormat[] = ["json", "csv", "xml", "xlsx"];

/** Options of {@link Analytics.streamTo} (and `streamAnalyticsTo` of `@dhis2w/client/node`). */
export interface AnalyticsStreamOptions {
  /** Query parameters (`dimension`, `filter`, ...), sent as-is. */
  params?: QueryParams;
  /** Convenience: validated and added as `dimension=` / `filter=`. */
  dimensions?: AnalyticsDimensions;
  filters?: AnalyticsDimensions;
  /** `"analytics"` (default), `"rawData"`, `"dataValueSet"`, or an API path such as `/api/analytics/rawData`. */
  endpoint?: string;
  /** Default `"json"` (`streamAnalyticsTo` of `@dhis2w/client/node`: from the file extension, else `"json"`). */
  outputFormat?: AnalyticsOutputFormat;
  signal?: AbortSignal;
}

/** What {@link Analytics.streamTo} wrote. */
export interface AnalyticsStreamResult {
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

/**
 * The output format of an export: the one given (checked), else the extension of `fileName`, else
 * `"json"`.
 *
 * @example
 * ```ts
 * analyticsOutputFormat(undefined, "anc.csv"); // "csv"
 * ```
 */
export function analyticsOutputFormat(
  given: AnalyticsOutputFormat | undefined,
  fileName?: string,
): AnalyticsOutputFormat {
  if (given !== undefined) {
    if (!FORMATS.includes(given)) {
      throw new Dhis2ClientError(
        `analytics.streamTo: outputFormat "${given}" is not one of ${FORMATS.join(", ")}`,
      );
    }
    return given;
  }
  const ext = fileName === undefined ? undefined : /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  return FORMATS.find((f) => f === ext) ?? "json";
}

/**
 * Sends the request of a streamed export and returns the answer with its body unread (a non-2xx
 * answer throws the client's `Dhis2ApiError` first). Shared by `streamTo` and the Node file writer.
 */
export function fetchAnalyticsExport(
  http: AnalyticsHttp,
  format: AnalyticsOutputFormat,
  options: AnalyticsStreamOptions,
): Promise<Response> {
  const apiPath = analyticsExportPath(options.endpoint, format);
  const params = analyticsParams(options.dimensions, options.filters, options.params);
  return http.fetchResponse("GET", apiPath, { params, signal: options.signal });
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
   * Streams an analytics export into `destination`, a web `WritableStream` (a File System Access
   * handle's `createWritable()`, a `TransformStream`'s writable side, `Writable.toWeb(...)` on
   * Node), in constant memory; the stream is closed when the export is complete and aborted when
   * it fails. A non-2xx answer throws the client's `Dhis2ApiError` before anything is written. To
   * write a file by its path on Node, use `streamAnalyticsTo(client, path, options)` of
   * `@dhis2w/client/node` (temporary file renamed into place when complete).
   *
   * @example
   * ```ts
   * const handle = await window.showSaveFilePicker({ suggestedName: "anc.csv" });
   * await client.analytics.streamTo(await handle.createWritable(), { outputFormat: "csv", dimensions: ["dx:fbfJHSPpUQD", "pe:LAST_12_MONTHS", "ou:LEVEL-2"] });
   * ```
   */
  async streamTo(
    destination: WritableStream<Uint8Array>,
    options: AnalyticsStreamOptions = {},
  ): Promise<AnalyticsStreamResult> {
    if (typeof destination === "string") {
      throw new Dhis2ClientError(
        `analytics.streamTo takes a WritableStream; to write the file ${JSON.stringify(destination)} use streamAnalyticsTo(client, path, options) of "@dhis2w/client/node"`,
      );
    }
    if (!destination || typeof (destination as WritableStream).getWriter !== "function") {
      throw new Dhis2ClientError("analytics.streamTo takes a WritableStream<Uint8Array>");
    }
    const format = analyticsOutputFormat(options.outputFormat);
    const res = await fetchAnalyticsExport(this.http, format, options);
    const contentType = res.headers.get("content-type") ?? "";
    let bytes = 0;
    const count = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const body = res.body ?? new Blob([]).stream();
    await body.pipeThrough(count).pipeTo(destination, options.signal ? { signal: options.signal } : {});
    return { bytes, contentType };
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
