import { Dhis2ClientError } from "../errors.js";
import { looksLikeHtml, summarizeHtml } from "./error-body.js";

/** A request body after encoding, plus the content type it implies. */
export interface EncodedBody {
  readonly body: BodyInit | undefined;
  readonly contentType: string | undefined;
}

/**
 * Encodes a request body. Strings, Blobs, FormData, URLSearchParams, binary data and
 * `ReadableStream`s (streamed with `duplex: "half"`, never retried) go as they are
 * (fetch sets their content type); anything else (objects, arrays, numbers, booleans, null) is JSON.
 */
export function encodeBody(body: unknown): EncodedBody {
  if (body === undefined) return { body: undefined, contentType: undefined };
  if (
    typeof body === "string" ||
    (typeof Blob !== "undefined" && body instanceof Blob) ||
    (typeof FormData !== "undefined" && body instanceof FormData) ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    (typeof ReadableStream !== "undefined" && body instanceof ReadableStream)
  ) {
    return { body: body as BodyInit, contentType: undefined };
  }
  return { body: JSON.stringify(body), contentType: "application/json" };
}

/**
 * The longest string V8 makes on 64-bit platforms (2**29 - 24 UTF-16 code units; Node's
 * `buffer.constants.MAX_STRING_LENGTH`). `res.text()` past it fails with `ERR_STRING_TOO_LONG`
 * ("Cannot create a string longer than 0x1fffffe8 characters"), and only after the whole body
 * was downloaded. UTF-8 never decodes to more code units than it has bytes, so a body of at most
 * this many bytes always fits: the default of `maxResponseBytes`.
 */
export const MAX_RESPONSE_BYTES = 0x1fffffe8;

/** A body passed the byte limit; the pipeline turns it into a `ResponseTooLargeError` with the URL. @internal */
export class BodyOverLimit extends Error {
  override readonly name = "BodyOverLimit" as const;
  constructor(
    readonly bytes: number,
    readonly declared: boolean,
    readonly limit: number,
  ) {
    super(`the body passed ${limit} bytes`);
  }
}

/**
 * True for what engines throw when a body does not fit in memory after all (a limit set above
 * what the engine holds): V8's `ERR_STRING_TOO_LONG`, `RangeError: Invalid string length` and
 * `Array buffer allocation failed`, Firefox's "allocation size overflow".
 */
export function isOutOfRoom(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (e?.code === "ERR_STRING_TOO_LONG") return true;
  if (!(err instanceof RangeError) && !(err instanceof Error && err.name === "InternalError")) return false;
  return /invalid string length|allocation failed|allocation size overflow|string longer than/i.test(
    String(e?.message ?? ""),
  );
}

const isIdentity = (encoding: string | null): boolean =>
  encoding === null || encoding === "" || encoding.toLowerCase() === "identity";

/**
 * The body as text, at most `maxBytes` bytes: a `Content-Length` above it fails before anything
 * is downloaded, and a body without one stops as soon as it passes the limit (the rest is
 * cancelled, freeing the connection).
 */
export async function readText(res: Response, maxBytes: number = MAX_RESPONSE_BYTES): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? Number.NaN);
  // A compressed body's Content-Length is its compressed size: only a lower bound of the text.
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discardBody(res);
    throw new BodyOverLimit(declared, true, maxBytes);
  }
  if (!res.body) return "";
  // A plain body whose length was declared (and is within the limit) is exactly that long (the
  // runtime fails a body that runs past its Content-Length): the runtime's own reader is safe,
  // and cheaper than reading chunk by chunk.
  if (Number.isFinite(declared) && isIdentity(res.headers.get("content-encoding"))) return res.text();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyOverLimit(bytes, false, maxBytes);
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join("");
}

/**
 * Reads a successful body: `undefined` when empty, the parsed value for JSON, the text otherwise.
 * An HTML page on a 2xx is almost always a login page or a proxy standing in for the API; that
 * throws instead of being handed back as data. At most `maxBytes` are read (see {@link readText}).
 */
export async function readBody(res: Response, maxBytes: number = MAX_RESPONSE_BYTES): Promise<unknown> {
  const text = await readText(res, maxBytes);
  const contentType = res.headers.get("content-type") ?? "";
  if (/json/i.test(contentType)) {
    // The common case first: parse straight away (an empty body is the only failure that is
    // not an error).
    try {
      return JSON.parse(text);
    } catch (err) {
      if (!text.trim()) return undefined;
      throw new Dhis2ClientError(`the server sent invalid JSON (${res.status}, ${text.length} bytes)`, {
        cause: err,
      });
    }
  }
  if (!text.trim()) return undefined;
  if (/^\s*[[{"]/.test(text) || /^\s*(true|false|null|-?\d)/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON after all (and not declared as JSON): judged as text below.
    }
  }
  if (looksLikeHtml(text, contentType)) {
    throw new Dhis2ClientError(
      `expected JSON but the server sent an HTML page ("${summarizeHtml(text)}"); is the base URL behind a login page or proxy?`,
    );
  }
  return text;
}

/** Frees a response body we do not need, so its connection goes back to the pool. */
export async function discardBody(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // Already consumed or errored: nothing left to free.
  }
}
