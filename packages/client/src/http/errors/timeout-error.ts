import { Dhis2ClientError } from "../../errors.js";

/**
 * One attempt took longer than the client's `timeoutMs` (headers and body together, and the
 * time spent waiting for the auth provider, e.g. an OAuth2 refresh; `waitingFor` says so).
 *
 * @example
 * ```ts
 * const client = await Dhis2Client.open({ baseUrl, auth, timeoutMs: 5_000 });
 * catch (e) { if (e instanceof Dhis2TimeoutError) console.error(`gave up after ${e.timeoutMs} ms`); }
 * ```
 */
export class Dhis2TimeoutError extends Dhis2ClientError {
  override readonly name = "Dhis2TimeoutError" as const;
  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;

  /** What the attempt was still waiting for when time ran out, when it was not the server. */
  readonly waitingFor: string | undefined;
  /** False when time ran out before the request was sent (waiting for the auth provider). */
  readonly maybeDelivered: boolean;

  constructor(method: string, url: string, timeoutMs: number, waitingFor?: string) {
    super(
      `${method} ${url} timed out after ${timeoutMs} ms${waitingFor ? ` waiting for ${waitingFor}` : ""}`,
    );
    this.waitingFor = waitingFor;
    this.maybeDelivered = waitingFor === undefined;
    this.method = method;
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}
