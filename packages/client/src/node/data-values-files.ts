/**
 * Node-only data value file sources: JSON (`{ "dataValues": [...] }`), gzipped JSON and CSV,
 * read as streams so a 100 MB file never sits in memory.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { DataValueSetHeader } from "../data-values/schemas.js";
import type { DataValueStream } from "../data-values/sources.js";
import { parseDataValueText } from "../data-values/text-source.js";
import { Dhis2ClientError } from "../errors.js";

/** Options of {@link dataValuesFromFile}. */
export interface DataValuesFileOptions {
  /** Default: from the extension (`.csv`, `.csv.gz` -> csv; otherwise json). */
  format?: "json" | "csv";
  /** Default: true for a `.gz` extension. */
  gzip?: boolean;
  signal?: AbortSignal;
}

function textStream(path: string, gzip: boolean, signal?: AbortSignal): Readable {
  const file = createReadStream(path, { highWaterMark: 256 * 1024, ...(signal ? { signal } : {}) });
  const stream: Readable = gzip ? file.pipe(createGunzip()) : file;
  if (gzip) file.on("error", (e) => stream.destroy(e));
  stream.setEncoding("utf8");
  return stream;
}

function describeFsError(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return new Dhis2ClientError(`data value file not found: ${path}`, { cause: error });
  if (code === "Z_DATA_ERROR" || code === "Z_BUF_ERROR") {
    return new Dhis2ClientError(`data value file is not valid gzip: ${path}`, { cause: error });
  }
  if (error instanceof Dhis2ClientError)
    return new Dhis2ClientError(`${path}: ${error.message}`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Streams the data values of a file: JSON, gzipped JSON (`.json.gz`) or CSV (DHIS2's columns).
 * Pass the result to `client.dataValues.import` (the root takes no paths: it never opens a file,
 * so it runs in browsers, Deno and Bun as it is); set-level fields of a JSON file (`dataSet`,
 * `period`, ...) ride along in `header`. Each iteration re-reads the file.
 *
 * @example
 * ```ts
 * import { dataValuesFromFile } from "@dhis2w/client/node";
 * const result = await client.dataValues.import(dataValuesFromFile("data_values.json.gz"));
 * ```
 */
export function dataValuesFromFile(path: string, options: DataValuesFileOptions = {}): DataValueStream {
  const lower = path.toLowerCase();
  const gzip = options.gzip ?? lower.endsWith(".gz");
  const format = options.format ?? (/\.csv(\.gz)?$/.test(lower) ? "csv" : "json");
  let header: DataValueSetHeader = {};
  return {
    get header() {
      return header;
    },
    async *[Symbol.asyncIterator]() {
      const stream = textStream(path, gzip, options.signal);
      try {
        yield* parseDataValueText(stream as AsyncIterable<string>, format, (h) => {
          header = h;
        });
      } catch (error) {
        throw describeFsError(path, error);
      } finally {
        stream.destroy();
      }
    },
  };
}
