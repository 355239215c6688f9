import { Dhis2ClientError } from "../../errors.js";

/**
 * An answer too large to hold in memory as one string (the client's `maxResponseBytes`, by
 * default the longest string the JavaScript engine can make). It is never retried: the same
 * request would only fail the same way after downloading it again. Read such answers as a stream
 * (`client.fetchResponse(...)`, `client.analytics.streamTo(writable)`; on Node, `streamAnalyticsTo` or `exportDataValuesToFile`).
 *
 * @example
 * ```ts
 * try { await client.getRaw("/api/dataValueSets", { params }); }
 * catch (e) { if (e instanceof ResponseTooLargeError) console.error(e.bytes, e.limit); }
 * ```
 */
export class ResponseTooLargeError extends Dhis2ClientError {
  override readonly name = "ResponseTooLargeError" as const;
  readonly method: string;
  /** The request URL, secret query parameters redacted. */
  readonly url: string;
  /** The size announced by `Content-Length`, or the bytes read when the limit was passed. */
  readonly bytes: number;
  /** True when `bytes` is the announced `Content-Length` (nothing was downloaded). */
  readonly declared: boolean;
  readonly limit: number;

  constructor(init: { method: string; url: string; bytes: number; declared: boolean; limit: number }) {
    const size = init.declared
      ? `is ${init.bytes.toLocaleString("en-US")} bytes (Content-Length)`
      : `passed ${init.bytes.toLocaleString("en-US")} bytes`;
    super(
      `${init.method} ${init.url}: the answer ${size}, more than the client holds in memory (maxResponseBytes ${init.limit.toLocaleString("en-US")}); read it as a stream instead: client.fetchResponse(method, path) returns the Response with its body unread (client.analytics.streamTo pipes an export into a WritableStream; on Node, streamAnalyticsTo and exportDataValuesToFile of @dhis2w/client/node write straight to a file)`,
    );
    this.method = init.method;
    this.url = init.url;
    this.bytes = init.bytes;
    this.declared = init.declared;
    this.limit = init.limit;
  }
}
