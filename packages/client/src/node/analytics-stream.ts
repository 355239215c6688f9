/**
 * `streamAnalyticsTo(client, path, options)`: pipes an analytics export (`/api/analytics.csv`,
 * `/api/analytics/rawData.json`, `.xml`, `.xlsx`...) to a file in constant memory. The body goes
 * to a temporary file next to the target and is renamed into place only when complete; a non-2xx
 * answer throws the client's `Dhis2ApiError` before any file exists, and a broken stream removes
 * the temporary file. The isomorphic `client.analytics.streamTo` takes a web `WritableStream`
 * instead; this is its Node form for paths, with Node's own streams (faster than web streams).
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import {
  type AnalyticsHttp,
  type AnalyticsStreamOptions,
  type AnalyticsStreamResult,
  analyticsOutputFormat,
  fetchAnalyticsExport,
} from "../analytics/analytics.js";

/** What {@link streamAnalyticsTo} wrote: the file, its size and the answer's content type. */
export interface AnalyticsFileResult extends AnalyticsStreamResult {
  path: string;
}

/**
 * Streams an analytics export to the file `path`; the output format defaults to the file's
 * extension (`.csv`, `.xml`, `.xlsx`, else JSON). The file appears only when complete.
 *
 * @example
 * ```ts
 * import { streamAnalyticsTo } from "@dhis2w/client/node";
 * const { bytes } = await streamAnalyticsTo(client, "anc.csv", { dimensions: ["dx:fbfJHSPpUQD", "pe:2024", "ou:LEVEL-3"] });
 * ```
 */
export async function streamAnalyticsTo(
  http: AnalyticsHttp,
  path: string,
  options: AnalyticsStreamOptions = {},
): Promise<AnalyticsFileResult> {
  const format = analyticsOutputFormat(options.outputFormat, path);
  const res = await fetchAnalyticsExport(http, format, options);
  const contentType = res.headers.get("content-type") ?? "";
  const part = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString("hex")}.part`);
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    const body = res.body
      ? Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>)
      : Readable.from([]);
    await pipeline(body, count, createWriteStream(part, { mode: 0o644 }), { signal: options.signal });
    await rename(part, path);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
  return { path, bytes, contentType };
}
