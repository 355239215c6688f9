/**
 * `multipart/form-data` bodies (RFC 7578) for uploads. A `Blob` or `Uint8Array` goes in a
 * `FormData` (fetch streams a Blob from its source, and the body can be sent again on a retry); a
 * `ReadableStream` becomes a `ReadableStream` body: the boundary and part headers, the data as it
 * is read, the closing boundary. Nothing is ever gathered in memory.
 */
import { Dhis2ClientError } from "../errors.js";

/** What an upload takes: in memory, a `Blob` (or `File`), or a stream of bytes. */
export type UploadData = Blob | Uint8Array | ReadableStream<Uint8Array>;

/** The encoded body and its `Content-Type` (set only for the streamed form). */
export interface MultipartBody {
  readonly body: FormData | ReadableStream<Uint8Array>;
  readonly contentType?: string;
}

/** True for what {@link multipartBody} takes. */
export function isUploadData(data: unknown): data is UploadData {
  return (
    (typeof Blob !== "undefined" && data instanceof Blob) ||
    data instanceof Uint8Array ||
    (typeof ReadableStream !== "undefined" && data instanceof ReadableStream)
  );
}

/** `name="..."` as browsers write it: `"`, CR and LF percent-encoded (the WHATWG form encoder). */
function quoted(value: string): string {
  return `"${value.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}"`;
}

function boundary(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `----dhis2w${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * One file part named `field`.
 *
 * @example
 * ```ts
 * const { body, contentType } = multipartBody("file", stream, { filename: "a.csv", contentType: "text/csv" });
 * ```
 */
export function multipartBody(
  field: string,
  data: UploadData,
  options: { filename: string; contentType?: string | undefined },
): MultipartBody {
  const type =
    options.contentType ?? (data instanceof Blob && data.type ? data.type : "application/octet-stream");
  if (!(data instanceof ReadableStream)) {
    const form = new FormData();
    const blob = data instanceof Blob ? data : new Blob([data as Uint8Array<ArrayBuffer>]);
    // A Blob's own type is kept unless one was given; a File keeps its bytes, renamed.
    form.append(field, blob.type === type ? blob : new Blob([blob], { type }), options.filename);
    return { body: form };
  }
  const b = boundary();
  const enc = new TextEncoder();
  const head = enc.encode(
    `--${b}\r\nContent-Disposition: form-data; name=${quoted(field)}; filename=${quoted(options.filename)}\r\n` +
      `Content-Type: ${type}\r\n\r\n`,
  );
  const tail = enc.encode(`\r\n--${b}--\r\n`);
  const reader = data.getReader();
  let stage: "head" | "data" | "done" = "head";
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === "head") {
        stage = "data";
        controller.enqueue(head);
        return;
      }
      if (stage === "done") return;
      const { done, value } = await reader.read();
      if (done) {
        stage = "done";
        controller.enqueue(tail);
        controller.close();
        return;
      }
      if (!(value instanceof Uint8Array)) {
        controller.error(new Dhis2ClientError("the upload stream must yield Uint8Array chunks"));
        return;
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${b}` };
}
