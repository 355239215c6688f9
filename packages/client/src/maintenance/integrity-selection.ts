/**
 * Checking a data integrity `checks` selection against the server's catalog before a run.
 * DHIS2 takes exact names, `*` wildcard patterns and codes (the first letter of each `_` word, in
 * upper case: `orgunits_invalid_geometry` is `OIG`), and silently ignores anything that matches
 * no check, so a typo ran 0 checks and "succeeded" (DHIS2 Web API docs, "Data integrity",
 * dhis2/dhis2-docs `src/developer/web-api/data-validation.md`). The client refuses such a
 * selection instead, with suggestions. Names and codes are sent as the catalog spells the names
 * (the one form every version takes); patterns are sent as given, so DHIS2 decides what they
 * cover (slow checks included or not) exactly as it would.
 */
import { closeNames, QueryValidationError } from "../resources/errors.js";
import type { IntegrityCheck } from "./schemas.js";

/** A catalog entry's code: DHIS2's own when given, else the first letters of its name's words. */
export function integrityCheckCode(check: Pick<IntegrityCheck, "name" | "code">): string {
  if (check.code) return check.code;
  return check.name
    .split("_")
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() ?? "")
    .join("");
}

/** What a selection resolves to: what to send, and the selectors that match nothing. */
export interface ResolvedIntegritySelection {
  /** The selection as sent: catalog names for names and codes, patterns verbatim. */
  readonly checks: string[];
  /** Selectors that match no check of the catalog. */
  readonly unknown: string[];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Resolves `selectors` against `catalog`: a name matches case-insensitively (and with `-` for
 * `_`), a code matches every check of that code, a `*` pattern must match at least one name.
 *
 * @example
 * ```ts
 * resolveIntegritySelection(["OO", "orgunits_*"], await client.maintenance.listIntegrityChecks());
 * ```
 */
export function resolveIntegritySelection(
  selectors: readonly string[],
  catalog: readonly Pick<IntegrityCheck, "name" | "code">[],
): ResolvedIntegritySelection {
  const checks: string[] = [];
  const unknown: string[] = [];
  const add = (s: string) => {
    if (!checks.includes(s)) checks.push(s);
  };
  for (const selector of selectors) {
    if (selector.includes("*")) {
      const re = new RegExp(`^${selector.split("*").map(escapeRe).join(".*")}$`, "i");
      if (catalog.some((c) => re.test(c.name))) add(selector);
      else unknown.push(selector);
      continue;
    }
    const wanted = selector.toLowerCase().replace(/-/g, "_");
    const byName = catalog.filter((c) => c.name.toLowerCase() === wanted);
    const matched = byName.length > 0 ? byName : catalog.filter((c) => integrityCheckCode(c) === selector);
    if (matched.length === 0) unknown.push(selector);
    for (const c of matched) add(c.name);
  }
  return { checks, unknown };
}

/** Up to three check names close to `selector`: near spellings first, then names containing it. */
export function integrityCheckSuggestions(
  selector: string,
  catalog: readonly Pick<IntegrityCheck, "name">[],
): string[] {
  const names = catalog.map((c) => c.name);
  const needle = selector.toLowerCase().replace(/-/g, "_").replace(/\*/g, "");
  const containing = needle.length >= 3 ? names.filter((n) => n.toLowerCase().includes(needle)) : [];
  return [...new Set([...closeNames(needle, names), ...containing])].slice(0, 3);
}

/**
 * The error for selectors that match no check: each one named with its suggestions, in one
 * error, before any job is started.
 */
export function unknownIntegrityChecksError(
  unknown: readonly string[],
  catalog: readonly Pick<IntegrityCheck, "name">[],
): QueryValidationError {
  const parts = unknown.map((s) => {
    const close = integrityCheckSuggestions(s, catalog);
    return close.length > 0 ? `"${s}" (did you mean ${close.map((c) => `"${c}"`).join(", ")}?)` : `"${s}"`;
  });
  const noun = unknown.length === 1 ? "check matches" : "checks match";
  return new QueryValidationError(
    `${unknown.length} data integrity ${noun} nothing on this server: ${parts.join(", ")}. ` +
      `DHIS2 would run nothing for ${unknown.length === 1 ? "it" : "them"} and report success. ` +
      `Give check names as GET /api/dataIntegrity lists them (${catalog.length} on this server), "*" patterns, or codes`,
    "checks",
    unknown.join(","),
  );
}
