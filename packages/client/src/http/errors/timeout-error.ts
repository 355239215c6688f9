import { Dhis2ClientError } from "../../errors.js";

/**
 * One attempt took longer than the client's `timeoutMs` (headers and body together).
 *
 * @example
 * ```ts
 * const client = await Dhis2Client.open({ baseUrl, auth, timeoutMs: 5_000 });
 * catch (e) { if (e instanceof Dhis2TimeoutError) console.error(`gave up after ${e.timeoutMs} ms`); }
 * ```
 */
export class Dhis2TimeoutError extends Dhis2ClientError {
  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;

  constructor(method: string, url: string, timeoutMs: number) {
    super(`${method} ${url} timed out after ${timeoutMs} ms`);
    this.method = method;
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}
