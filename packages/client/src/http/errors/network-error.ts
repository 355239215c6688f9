import { Dhis2ClientError } from "../../errors.js";

/**
 * Error codes (of the cause) that mean the request never left the client: no connection was made
 * (refused, no route, name not resolved) or TLS refused the server before anything was sent.
 */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
]);

/** The `code` of an error or of its cause (`TypeError: fetch failed` carries it in `cause`). */
export function networkErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * The request never got an HTTP answer: connection refused or reset, DNS failure, TLS failure.
 * The original error is `cause`. `maybeDelivered` tells whether the server may still have
 * received (and acted on) the request: false only when no connection was made; a reset or a
 * closed socket after sending leaves the outcome unknown.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof Dhis2NetworkError && !e.maybeDelivered) console.error("cannot reach", e.url); }
 * ```
 */
export class Dhis2NetworkError extends Dhis2ClientError {
  override readonly name = "Dhis2NetworkError" as const;
  readonly method: string;
  /** The request URL, secret query parameters redacted. */
  readonly url: string;
  /** The cause's error code (`ECONNRESET`, `ECONNREFUSED`, `UND_ERR_SOCKET`, ...), when it has one. */
  readonly code: string | undefined;
  /** False only when the request certainly never reached the server (see the class comment). */
  readonly maybeDelivered: boolean;

  constructor(method: string, url: string, detail: string, options?: ErrorOptions) {
    super(`${method} ${url} failed before an HTTP answer arrived: ${detail}`, options);
    this.method = method;
    this.url = url;
    this.code = networkErrorCode(options?.cause);
    this.maybeDelivered = this.code === undefined || !NOT_SENT.has(this.code);
  }
}
