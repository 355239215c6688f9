/**
 * Node helpers for `client.files`, `client.documents` and `client.apps`: a file on disk as an
 * upload source (a web `ReadableStream` read from disk as the request goes, never in memory
 * whole), and a download written to disk (a temporary file next to the target, renamed into
 * place only when complete, so a failed download never leaves a partial file under the name).
 */
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Dhis2ClientError } from "../errors.js";

/** A file opened for upload: its stream, base name, size and a content type from its extension. */
export interface FileSource {
  readonly data: ReadableStream<Uint8Array>;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
}

const TYPES: Readonly<Record<string, string>> = {
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".json": "application/json",
  ".xml": "application/xml",
  ".html": "text/html",
  ".md": "text/markdown",
  ".zip": "application/zip",
  ".doc": "application/msword",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".xls": "application/vnd.ms-excel",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/**
 * Opens `file` for an upload.
 *
 * @example
 * ```ts
 * const src = await fileSource("scan.pdf");
 * const fr = await client.files.upload(src.data, { name: src.name, contentType: src.contentType, domain: "DOCUMENT" });
 * ```
 */
export async function fileSource(file: string): Promise<FileSource> {
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Dhis2ClientError(`${file} is not a file`);
    size = s.size;
  } catch (err) {
    if (err instanceof Dhis2ClientError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new Dhis2ClientError(
      code === "ENOENT" ? `file not found: ${file}` : `cannot read ${file}: ${code}`,
      {
        cause: err,
      },
    );
  }
  const data = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  return {
    data,
    name: path.basename(file),
    size,
    contentType: TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
  };
}

/**
 * Writes a download's body to `file` byte for byte (temporary file, then rename); returns the
 * number of bytes written.
 *
 * @example
 * ```ts
 * await saveResponseTo(await client.files.download(id), "scan.pdf");
 * ```
 */
export async function saveResponseTo(
  res: Response,
  file: string,
  options: { signal?: AbortSignal } = {},
): Promise<number> {
  if (!res.body) throw new Dhis2ClientError(`${res.url}: the answer has no body to save`);
  const part = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.part`);
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(res.body as never), count, createWriteStream(part, { mode: 0o644 }), {
      signal: options.signal,
    });
    await rename(part, file);
    return bytes;
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
}
