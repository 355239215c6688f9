/**
 * `client.dataValues`: bulk import/export through `/api/dataValueSets` and single values through
 * `/api/dataValues` (DHIS2 Web API docs, "Data values").
 */
import { Dhis2ClientError } from "../errors.js";
import { type DataValuesImportOptions, type DataValuesImportResult, importDataValues } from "./import.js";
import { DataValueSet, type IdScheme } from "./schemas.js";
import type { DataValueSource } from "./sources.js";
import type { DataValuesHttp, DataValuesParams } from "./transport.js";

/** Query of `GET /api/dataValueSets`. Give a data set (or group) + periods or dates + org units. */
export interface DataValuesExportQuery {
  dataSet?: string | string[];
  dataElementGroup?: string | string[];
  period?: string | string[];
  startDate?: string;
  endDate?: string;
  orgUnit?: string | string[];
  /** Include the org units' descendants. */
  children?: boolean;
  includeDeleted?: boolean;
  lastUpdated?: string;
  idScheme?: IdScheme;
  /** Extra query parameters passed as-is. */
  params?: DataValuesParams;
  signal?: AbortSignal;
}

/** Identifies one data value for `get`/`set`/`delete`. */
export interface DataValueKey {
  /** Data element. */
  de: string;
  /** Period. */
  pe: string;
  /** Org unit. */
  ou: string;
  /** Category option combo (default: the default combo). */
  co?: string;
  /** Attribute category combo, with `cp` (its options joined by `;`) to select the attribute option combo. */
  cc?: string;
  cp?: string;
  /** Data set, for servers that check it. */
  ds?: string;
  signal?: AbortSignal;
}

/** Builds the query of an export; exported for the Node file exporter. */
export function exportParams(query: DataValuesExportQuery): DataValuesParams {
  const asList = (v: string | string[] | undefined) =>
    v === undefined ? undefined : Array.isArray(v) ? v : [v];
  const params: DataValuesParams = { ...(query.params ?? {}) };
  const lists = {
    dataSet: query.dataSet,
    dataElementGroup: query.dataElementGroup,
    period: query.period,
    orgUnit: query.orgUnit,
  };
  for (const [key, value] of Object.entries(lists)) {
    const list = asList(value);
    if (list) params[key] = list;
  }
  for (const key of ["startDate", "endDate", "lastUpdated", "idScheme"] as const) {
    if (query[key] !== undefined) params[key] = query[key];
  }
  if (query.children !== undefined) params.children = query.children;
  if (query.includeDeleted !== undefined) params.includeDeleted = query.includeDeleted;
  if (!params.dataSet && !params.dataElementGroup && !params.lastUpdated) {
    throw new Dhis2ClientError("dataValues.export: give dataSet or dataElementGroup (DHIS2 E2001)");
  }
  if (!params.period && !(params.startDate && params.endDate) && !params.lastUpdated) {
    throw new Dhis2ClientError("dataValues.export: give period, or startDate and endDate (DHIS2 E2002)");
  }
  return params;
}

function keyParams(key: DataValueKey): DataValuesParams {
  const { signal: _signal, ...rest } = key;
  const params: DataValuesParams = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) params[k] = v;
  return params;
}

/**
 * The data value facade. Build it with {@link createDataValues} (the client exposes one as `client.dataValues`).
 *
 * @example
 * ```ts
 * const result = await client.dataValues.import(set, { chunkSize: 5_000, concurrency: 2 });
 * console.log(result.importCount, result.conflicts.map((c) => c.indexes));
 * ```
 */
export class DataValues {
  constructor(private readonly http: DataValuesHttp) {}

  /**
   * Imports a data value set, an array, or an (async) iterable of values in chunks.
   * A 409 whose body is an ImportSummary is a result (some rows ignored), not an exception.
   */
  import(source: DataValueSource, options: DataValuesImportOptions = {}): Promise<DataValuesImportResult> {
    return importDataValues(this.http, source, options);
  }

  /** Exports values as one `DataValueSet` (for large exports to disk, use the Node helper `exportDataValuesToFile`). */
  async export(query: DataValuesExportQuery): Promise<DataValueSet> {
    const raw = await this.http.getRaw("/api/dataValueSets.json", {
      params: exportParams(query),
      signal: query.signal,
    });
    return DataValueSet.parse(raw);
  }

  /** Reads one value; `undefined` when it does not exist (DHIS2 answers 409 "Data value does not exist"). */
  async get(key: DataValueKey): Promise<string | undefined> {
    let raw: unknown;
    try {
      raw = await this.http.getRaw("/api/dataValues", { params: keyParams(key), signal: key.signal });
    } catch (error) {
      const e = error as { statusCode?: number; message?: string };
      if (e?.statusCode === 409 && /does not exist/i.test(String(e.message ?? ""))) return undefined;
      if (
        e?.statusCode === 409 &&
        /does not exist/i.test(JSON.stringify((error as { body?: unknown }).body ?? ""))
      ) {
        return undefined;
      }
      throw error;
    }
    // DHIS2 answers a one-element JSON array (`List.of(value)`); a client may wrap it as `{ data }`.
    const list = Array.isArray(raw) ? raw : (raw as { data?: unknown } | null)?.data;
    if (Array.isArray(list)) return list.length > 0 && list[0] != null ? String(list[0]) : undefined;
    return typeof raw === "string" ? raw : undefined;
  }

  /** Writes one value (`POST /api/dataValues`), with an optional comment or follow-up flag. */
  async set(
    key: DataValueKey & { value: string | number | boolean; comment?: string; followUp?: boolean },
  ): Promise<void> {
    const { value, comment, followUp, ...rest } = key;
    const params = keyParams(rest);
    params.value = String(value);
    if (comment !== undefined) params.comment = comment;
    if (followUp !== undefined) params.followUp = followUp;
    await this.http.postRaw("/api/dataValues", undefined, { params, signal: key.signal });
  }

  /** Soft-deletes one value (`DELETE /api/dataValues`). */
  async delete(key: DataValueKey): Promise<void> {
    await this.http.deleteRaw("/api/dataValues", { params: keyParams(key), signal: key.signal });
  }
}

/**
 * Builds the data value facade over a client (or anything with `getRaw`/`postRaw`/`deleteRaw`).
 *
 * @example
 * ```ts
 * const dataValues = createDataValues(client);
 * await dataValues.set({ de: "fClA2Erf6IO", pe: "202603", ou: "PMa2VCrupOd", value: 42 });
 * ```
 */
export function createDataValues(http: DataValuesHttp): DataValues {
  return new DataValues(http);
}
