/**
 * Data integrity shapes (DHIS2 2.38+; Web API docs "Data integrity", dhis2/dhis2-docs
 * `src/developer/web-api/data-validation.md`): the catalog of `GET /api/dataIntegrity`, and the
 * `{ checkName: result }` maps of `/api/dataIntegrity/summary` (with `count`, `percentage`) and
 * `/details` (with `issues: [{ id, name, comment?, refs? }]`). Severities are `INFO`, `WARNING`,
 * `SEVERE`, `CRITICAL`. Everything is loose and tolerant: unknown keys are kept, odd values dropped.
 */
import * as z from "zod";
import { isObject } from "../is-object.js";

const optString = z.string().optional().catch(undefined);
const optNumber = z.number().optional().catch(undefined);
const optBool = z.boolean().optional().catch(undefined);

/** One entry of `GET /api/dataIntegrity`; `name` is what `checks=` takes. */
export const IntegrityCheck = z.looseObject({
  name: z.string(),
  displayName: optString,
  section: optString,
  sectionOrder: optNumber,
  severity: optString,
  description: optString,
  introduction: optString,
  recommendation: optString,
  issuesIdType: optString,
  isSlow: optBool,
  isProgrammatic: optBool,
  code: optString,
});
export type IntegrityCheck = z.infer<typeof IntegrityCheck>;

/** One issue of a details check. `id` is absent when the issue has no object behind it. */
export const IntegrityIssue = z.looseObject({
  id: optString,
  name: z.string().catch("").default(""),
  comment: z.string().nullish().catch(undefined),
  refs: z.array(z.string()).nullish().catch(undefined),
});
export type IntegrityIssue = z.infer<typeof IntegrityIssue>;

/** One check's result: `count`/`percentage` from `/summary`, `issues` from `/details`; `error` when it failed. */
export const IntegrityCheckResult = z.looseObject({
  name: z.string(),
  displayName: optString,
  section: optString,
  severity: optString,
  description: optString,
  issuesIdType: optString,
  isSlow: optBool,
  startTime: optString,
  finishedTime: optString,
  count: optNumber,
  percentage: optNumber,
  error: optString,
  issues: z.array(IntegrityIssue).optional().catch(undefined),
});
export type IntegrityCheckResult = z.infer<typeof IntegrityCheckResult>;

/** A report: check name -> result, in the server's order. */
export type IntegrityReport = Record<string, IntegrityCheckResult>;

/** One row of `iterIntegrityIssues`: an issue tagged with its check. */
export interface IntegrityIssueRow {
  readonly checkName: string;
  /** The check's display name (its name when the server gives none). */
  readonly checkDisplayName: string;
  /** `INFO`, `WARNING`, `SEVERE` or `CRITICAL` (`undefined` when the server gives none). */
  readonly severity: string | undefined;
  readonly issue: IntegrityIssue;
}

/**
 * Parses a `/summary` or `/details` map. Entries that are not objects are skipped; a result without
 * `name` takes its key.
 */
export function parseIntegrityReport(raw: unknown): IntegrityReport {
  const out: IntegrityReport = {};
  if (!isObject(raw)) return out;
  for (const [key, value] of Object.entries(raw)) {
    if (!isObject(value)) continue;
    const parsed = IntegrityCheckResult.safeParse({
      ...value,
      name: typeof value.name === "string" ? value.name : key,
    });
    if (parsed.success) out[key] = parsed.data;
  }
  return out;
}
