/**
 * `client.analytics.streamTo` on Node: pipes an analytics export (`/api/analytics.csv`,
 * `/api/analytics/rawData.json`, `.xml`, `.xlsx`...) to disk in constant memory. The body goes to
 * a temporary file next to the target and is renamed into place only when complete; a non-2xx
 * answer throws the client's `Dhis2ApiError` before any file exists, and a broken stream removes
 * the temporary file.
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
  type AnalyticsOutputFormat,
  type AnalyticsStreamOptions,
  type AnalyticsStreamResult,
  analyticsExportPath,
  analyticsParams,
  registerAnalyticsStreamer,
} from "../analytics/analytics.js";
import { Dhis2ClientError } from "../errors.js";

const FORMATS: readonly AnalyticsOutputFormat[] = ["json", "csv", "xml", "xlsx"];

function formatOf(path: string, given: AnalyticsOutputFormat | undefined): AnalyticsOutputFormat {
  if (given !== undefined) {
    if (!FORMATS.includes(given)) {
      throw new Dhis2ClientError(
        `analytics.streamTo: outputFormat "${given}" is not one of ${FORMATS.join(", ")}`,
      );
    }
    return given;
  }
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  return FORMATS.find((f) => f === ext) ?? "json";
}

/**
 * Streams an analytics export to `path`. Same as `client.analytics.streamTo(path, options)`.
 *
 * @example
 * ```ts
 * const { bytes } = await streamAnalyticsTo(client, "anc.csv", { dimensions: ["dx:fbfJHSPpUQD", "pe:2024", "ou:LEVEL-3"] });
 * ```
 */
export async function streamAnalyticsTo(
  http: AnalyticsHttp,
  path: string,
  options: AnalyticsStreamOptions = {},
): Promise<AnalyticsStreamResult> {
  const format = formatOf(path, options.outputFormat);
  const apiPath = analyticsExportPath(options.endpoint, format);
  const params = analyticsParams(options.dimensions, options.filters, options.params);
  const res = await http.fetchResponse("GET", apiPath, { params, signal: options.signal });
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

// Importing this module (the `@dhis2w/client/node` entry re-exports it) lets
// `client.analytics.streamTo` use it without the isomorphic root importing `node:*`.
registerAnalyticsStreamer(streamAnalyticsTo);
