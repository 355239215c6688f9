import { Dhis2ClientError } from "../../errors.js";

/**
 * The request never got an HTTP answer: connection refused or reset, DNS failure, TLS failure.
 * The original error is `cause`.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof Dhis2NetworkError) console.error("cannot reach", e.url); }
 * ```
 */
export class Dhis2NetworkError extends Dhis2ClientError {
  readonly method: string;
  /** The request URL, secret query parameters redacted. */
  readonly url: string;

  constructor(method: string, url: string, detail: string, options?: ErrorOptions) {
    super(`${method} ${url} failed before an HTTP answer arrived: ${detail}`, options);
    this.method = method;
    this.url = url;
  }
}
