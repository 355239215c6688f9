/**
 * Data value services: chunked import from a file or any source, export parsed or streamed.
 */
import type { Writable } from "node:stream";
import {
  type DataValueSet,
  type DataValueSource,
  type DataValuesExportQuery,
  type DataValuesImportOptions,
  type DataValuesImportResult,
  Dhis2ClientError,
  exportParams,
} from "@dhis2w/client";
import { dataValuesFromFile, exportDataValuesToFile } from "@dhis2w/client/node";
import { pipeBodyTo } from "./stream.js";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/**
 * Imports data values in chunks. `source` is a file path (`.json`, `.json.gz`, `.csv`,
 * `.csv.gz`, streamed) or anything `client.dataValues.import` takes. Conflicts come back with
 * row numbers of the original input.
 *
 * @example
 * ```ts
 * const r = await importDataValues(resolveProfile(), "values.json.gz", { chunkSize: 5000, onProgress: (p) => console.log(p.rowsRead) });
 * for (const c of r.conflicts) console.log(c.indexes, c.value);
 * ```
 */
export function importDataValues(
  target: ServiceTarget,
  source: string | DataValueSource,
  opts: DataValuesImportOptions = {},
  options?: ServiceOptions,
): Promise<DataValuesImportResult> {
  const input =
    typeof source === "string"
      ? dataValuesFromFile(source, opts.signal ? { signal: opts.signal } : {})
      : source;
  return withClient(target, (client) => client.dataValues.import(input, opts), options);
}

/**
 * Exports data values (`GET /api/dataValueSets`), parsed.
 *
 * @example
 * ```ts
 * const set = await exportDataValues(resolveProfile(), { dataSet: "BfMAe6Itzgt", period: "202401", orgUnit: "ImspTQPwCqd", children: true });
 * ```
 */
export function exportDataValues(
  target: ServiceTarget,
  query: DataValuesExportQuery,
  options?: ServiceOptions,
): Promise<DataValueSet> {
  return withClient(target, (client) => client.dataValues.export(query), options);
}

/**
 * Streams a data value export (JSON or CSV) to a file (gzipped for `.gz`; appears only when
 * complete) or to a writable such as `process.stdout` (left open).
 *
 * @example
 * ```ts
 * await exportDataValuesTo(resolveProfile(), "out.csv", { dataSet, period: "2024Q1", orgUnit, children: true });
 * ```
 */
export function exportDataValuesTo(
  target: ServiceTarget,
  destination: string | Writable,
  query: DataValuesExportQuery,
  opts: { format?: "json" | "csv" } = {},
  options?: ServiceOptions,
): Promise<{ bytes: number }> {
  if (opts.format !== undefined && opts.format !== "json" && opts.format !== "csv") {
    throw new Dhis2ClientError(`exportDataValuesTo: format must be "json" or "csv", got "${opts.format}"`);
  }
  return withClient(
    target,
    async (client) => {
      if (typeof destination === "string") {
        return exportDataValuesToFile(client, destination, query, opts.format ? { format: opts.format } : {});
      }
      const res = await client.fetchResponse("GET", `/api/dataValueSets.${opts.format ?? "json"}`, {
        params: exportParams(query),
        ...(query.signal ? { signal: query.signal } : {}),
      });
      return { bytes: await pipeBodyTo(res, destination, query.signal) };
    },
    options,
  );
}
