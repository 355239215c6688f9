/**
 * Whether a failed write may still have landed on the server. An import whose request was sent
 * but whose answer never arrived (a reset after the server applied it, a timeout, a gateway that
 * gave up waiting) has an unknown outcome: reporting it as "failed" makes the counts disagree with
 * what the server holds.
 */
import { Dhis2ClientError } from "./errors.js";

/** `rejected`: the server refused it or never got it; `unknown`: it may have landed. */
export type WriteOutcome = "rejected" | "unknown";

/**
 * Statuses after which the server may have applied the write anyway:
 * - 500: DHIS2 failed while importing; data values are written in batches, so part may be stored.
 * - 502: a proxy lost its connection to DHIS2 in the middle of the request.
 * - 504: a proxy stopped waiting (nginx `proxy_read_timeout`) while DHIS2 went on importing.
 * Every other answer (4xx, 503 from a proxy that did not pass the request on) is a refusal.
 */
const UNKNOWN_STATUSES = new Set([500, 502, 504]);

/**
 * The outcome of a write that threw `error`: `unknown` when the request may have reached the
 * server without its answer reaching us, `rejected` when an answer said no (or no connection was
 * ever made).
 *
 * @example
 * ```ts
 * try { await client.postRaw("/api/dataValueSets", set); }
 * catch (e) { if (writeOutcomeOf(e) === "unknown") console.warn("may have landed; re-run with CREATE_AND_UPDATE"); }
 * ```
 */
export function writeOutcomeOf(error: unknown): WriteOutcome {
  if (!error || typeof error !== "object") return "unknown";
  const e = error as { statusCode?: unknown; maybeDelivered?: unknown };
  if (typeof e.statusCode === "number") return UNKNOWN_STATUSES.has(e.statusCode) ? "unknown" : "rejected";
  if (e.maybeDelivered === false) return "rejected";
  return "unknown";
}

/**
 * A write whose request was sent but whose answer never arrived (or came from a gateway that gave
 * up): the server may hold some or all of it. Re-running the import with `CREATE_AND_UPDATE`
 * makes it whole without duplicates for objects that carry their UIDs. The original error is
 * `cause`.
 *
 * @example
 * ```ts
 * try { await client.tracker.import(bundle); }
 * catch (e) { if (e instanceof ImportOutcomeUnknownError) console.warn(e.message); }
 * ```
 */
export class ImportOutcomeUnknownError extends Dhis2ClientError {
  override readonly name = "ImportOutcomeUnknownError" as const;
  constructor(what: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      `${what}: the request was sent but no answer came back (${why}); it may have landed, in part or whole: re-run with importStrategy CREATE_AND_UPDATE to be sure (objects without a UID of their own would be created twice)`,
      { cause },
    );
  }
}
