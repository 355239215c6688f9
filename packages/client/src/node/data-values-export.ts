/**
 * Streams a `GET /api/dataValueSets` export straight to a file (JSON or CSV, optionally gzipped)
 * in constant memory: the body is piped, never parsed.
 */
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { createGzip } from "node:zlib";
import { type DataValuesExportQuery, exportParams } from "../data-values/data-values.js";
import type { DataValuesRequestOptions } from "../data-values/transport.js";

/** What the exporter needs from a client: `Dhis2Client.fetchResponse` (body unread). */
export interface StreamingHttp {
  fetchResponse(method: string, path: string, options?: DataValuesRequestOptions): Promise<Response>;
}

/** Options of {@link exportDataValuesToFile}. */
export interface ExportToFileOptions {
  /** Default: from the extension (`.csv`/`.csv.gz` -> csv, else json). */
  format?: "json" | "csv";
  /** Default: true for a `.gz` extension. */
  gzip?: boolean;
}

/**
 * Exports data values to `path`, streaming. The file appears only when the export completed
 * (it is written to `path + ".part"` first). Returns the number of bytes received.
 *
 * @example
 * ```ts
 * await exportDataValuesToFile(client, "out/values.json.gz", { dataSet: "BfMAe6Itzgt", period: "202401", orgUnit: "ImspTQPwCqd", children: true });
 * ```
 */
export async function exportDataValuesToFile(
  client: StreamingHttp,
  path: string,
  query: DataValuesExportQuery,
  options: ExportToFileOptions = {},
): Promise<{ bytes: number }> {
  const lower = path.toLowerCase();
  const gzip = options.gzip ?? lower.endsWith(".gz");
  const format = options.format ?? (/\.csv(\.gz)?$/.test(lower) ? "csv" : "json");
  const res = await client.fetchResponse("GET", `/api/dataValueSets.${format}`, {
    params: exportParams(query),
    signal: query.signal,
  });
  if (!res.body) return { bytes: 0 };
  let bytes = 0;
  const source = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  source.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
  });
  const part = `${path}.part`;
  const steps: Array<NodeJS.ReadableStream | Transform | NodeJS.WritableStream> = [source];
  if (gzip) steps.push(createGzip());
  steps.push(createWriteStream(part, { mode: 0o644 }));
  try {
    await pipeline(steps as [NodeJS.ReadableStream, ...NodeJS.WritableStream[]], { signal: query.signal });
    await rename(part, path);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
  return { bytes };
}
