import { Dhis2ClientError } from "../errors.js";
import { looksLikeHtml, summarizeHtml } from "./error-body.js";

/** A request body after encoding, plus the content type it implies. */
export interface EncodedBody {
  readonly body: BodyInit | undefined;
  readonly contentType: string | undefined;
}

/**
 * Encodes a request body. Strings, Blobs, FormData, URLSearchParams and binary data go as they are
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
    ArrayBuffer.isView(body)
  ) {
    return { body: body as BodyInit, contentType: undefined };
  }
  return { body: JSON.stringify(body), contentType: "application/json" };
}

/**
 * Reads a successful body: `undefined` when empty, the parsed value for JSON, the text otherwise.
 * An HTML page on a 2xx is almost always a login page or a proxy standing in for the API; that
 * throws instead of being handed back as data.
 */
export async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text.trim()) return undefined;
  const contentType = res.headers.get("content-type") ?? "";
  if (/json/i.test(contentType) || /^\s*[[{"]/.test(text) || /^\s*(true|false|null|-?\d)/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (err) {
      if (/json/i.test(contentType)) {
        throw new Dhis2ClientError(`the server sent invalid JSON (${res.status}, ${text.length} bytes)`, {
          cause: err,
        });
      }
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
