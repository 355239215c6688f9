import { Dhis2ClientError } from "../errors.js";

/** Options of a {@link RetryPolicy}; every field has a default. */
export interface RetryPolicyOptions {
  /** Attempts in total, the first included. Default 3. */
  readonly maxAttempts?: number;
  /** Delay before the first retry. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Growth per retry. Default 2. */
  readonly backoffFactor?: number;
  /** Ceiling of the computed delay. Default 5_000 ms. */
  readonly maxDelayMs?: number;
  /** Fraction of random spread around the delay, 0..1. Default 0.15 (±15 %). */
  readonly jitter?: number;
  /** Statuses worth another try. Default 429, 502, 503, 504. */
  readonly retryStatuses?: Iterable<number>;
  /** Also retry POST and PATCH (they can duplicate writes). Default false. */
  readonly retryNonIdempotent?: boolean;
  /**
   * Ceiling of a server's `Retry-After`. A longer request is shortened to this, so a
   * misconfigured proxy asking for an hour cannot stall a script. Default 60_000 ms.
   */
  readonly maxRetryAfterMs?: number;
}

const NON_IDEMPOTENT = new Set(["POST", "PATCH"]);

/**
 * When and how long to wait before trying a request again. Connection errors and timeouts, and
 * the statuses in `retryStatuses`, are retried; POST and PATCH only with `retryNonIdempotent`.
 * The delay before retry `n` is `min(maxDelayMs, baseDelayMs * backoffFactor ** (n - 1))`, spread
 * by ±`jitter`; a `Retry-After` header (seconds or an HTTP date) replaces it for that attempt,
 * capped at `maxRetryAfterMs`. A client without a policy never retries.
 *
 * @example
 * ```ts
 * const retryPolicy = new RetryPolicy({ maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 });
 * const client = await Dhis2Client.open({ baseUrl, auth, retryPolicy });
 * ```
 */
export class RetryPolicy {
  static readonly DEFAULT_STATUSES: readonly number[] = [429, 502, 503, 504];

  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly backoffFactor: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
  readonly retryStatuses: ReadonlySet<number>;
  readonly retryNonIdempotent: boolean;
  readonly maxRetryAfterMs: number;

  constructor(options: RetryPolicyOptions = {}) {
    this.maxAttempts = check("maxAttempts", options.maxAttempts ?? 3, (v) => Number.isInteger(v) && v >= 1);
    this.baseDelayMs = check("baseDelayMs", options.baseDelayMs ?? 200, (v) => v >= 0);
    this.backoffFactor = check("backoffFactor", options.backoffFactor ?? 2, (v) => v >= 1);
    this.maxDelayMs = check("maxDelayMs", options.maxDelayMs ?? 5_000, (v) => v >= 0);
    this.jitter = check("jitter", options.jitter ?? 0.15, (v) => v >= 0 && v <= 1);
    this.maxRetryAfterMs = check("maxRetryAfterMs", options.maxRetryAfterMs ?? 60_000, (v) => v >= 0);
    this.retryStatuses = new Set(options.retryStatuses ?? RetryPolicy.DEFAULT_STATUSES);
    this.retryNonIdempotent = options.retryNonIdempotent ?? false;
  }

  /** True when `method` may be retried under this policy. */
  allowsMethod(method: string): boolean {
    return this.retryNonIdempotent || !NON_IDEMPOTENT.has(method.toUpperCase());
  }

  /** True when a response with `status` is worth another attempt. */
  retriesStatus(status: number): boolean {
    return this.retryStatuses.has(status);
  }

  /**
   * The wait before the retry that follows failed attempt `attempt` (1-based). `random` returns
   * values in [0, 1); pass a fixed one for a deterministic delay.
   */
  backoffMs(attempt: number, random: () => number = Math.random): number {
    const raw = Math.min(this.maxDelayMs, this.baseDelayMs * this.backoffFactor ** (attempt - 1));
    const spread = (random() * 2 - 1) * this.jitter;
    return Math.max(0, Math.round(raw * (1 + spread)));
  }

  /** The wait before the next attempt: `Retry-After` when the server sent one, else {@link backoffMs}. */
  delayMs(attempt: number, retryAfter: string | null, now: number, random?: () => number): number {
    const asked = parseRetryAfter(retryAfter, now);
    if (asked !== undefined) return Math.min(asked, this.maxRetryAfterMs);
    return this.backoffMs(attempt, random);
  }
}

function check(name: string, value: number, ok: (v: number) => boolean): number {
  if (typeof value !== "number" || Number.isNaN(value) || !ok(value)) {
    throw new Dhis2ClientError(`RetryPolicy: ${name} has an invalid value ${String(value)}`);
  }
  return value;
}

/**
 * An HTTP-date as RFC 9110 §5.6.7 allows it: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the
 * obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) or asctime (`Sun Nov  6 08:49:37 1994`).
 * Anything else is refused before `Date.parse`, which reads far more (`"-5"` is the year -5).
 */
const HTTP_DATE =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds (digits; a decimal fraction is
 * tolerated) or an HTTP-date. Returns the wait in milliseconds (0 for a date in the past), or
 * `undefined` when absent or not one of those forms (`-5`, `soon`, `1e3`), so that the caller
 * falls back to its backoff.
 *
 * @example
 * ```ts
 * parseRetryAfter("1", Date.now()); // 1000
 * parseRetryAfter("-5", Date.now()); // undefined: not delay-seconds, and no date
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (!HTTP_DATE.test(v)) return undefined;
  // asctime carries no zone but means GMT; Date.parse would read it as local time.
  const at = Date.parse(v.endsWith("GMT") ? v : `${v} GMT`);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
