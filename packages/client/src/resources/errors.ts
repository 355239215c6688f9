import { Dhis2ClientError } from "../errors.js";

/**
 * A list/get query was rejected before any request was sent: a malformed filter, order or
 * fields string, or a property the resource does not have. `part` is the offending piece,
 * `option` the option it came from.
 *
 * @example
 * ```ts
 * try { await client.resources.dataElements.list({ filters: ["name:likes:ANC"] }); }
 * catch (e) { if (e instanceof QueryValidationError) console.error(e.option, e.part, e.message); }
 * ```
 */
export class QueryValidationError extends Dhis2ClientError {
  override readonly name = "QueryValidationError" as const;
  constructor(
    message: string,
    /** The option the bad part came from: "filters", "order", "fields", "rootJunction", ... */
    readonly option: string,
    /** The offending piece, verbatim. */
    readonly part: string,
  ) {
    super(message);
  }
}

/** Up to three names of `candidates` close to `name` (case-insensitive, edit distance <= 2, or prefix). */
export function closeNames(name: string, candidates: Iterable<string>): string[] {
  const lower = name.toLowerCase();
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    const d = cl === lower ? 0 : cl.startsWith(lower) || lower.startsWith(cl) ? 1 : editDistance(lower, cl);
    if (d <= 2) scored.push([d, c]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
    .slice(0, 3)
    .map(([, c]) => c);
}

/** "; did you mean a, b?" or "". */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const close = closeNames(name, candidates);
  return close.length > 0 ? `; did you mean ${close.map((c) => `"${c}"`).join(", ")}?` : "";
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
