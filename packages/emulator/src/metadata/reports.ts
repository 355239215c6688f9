/**
 * DHIS2's import feedback: error reports, object/type/import reports and their stats.
 *
 * Messages are dhis2-core `org.hisp.dhis.feedback.ErrorCode` templates; object labels follow
 * `PreheatIdentifier.getIdentifiersWithName` (`"ANC 1st visit [fbfJHSPpUQD] (DataElement)"`);
 * the JSON shapes are `ErrorReport`, `ObjectReport`, `TypeReport`, `ImportReport` and `Stats`.
 */

/** One `errorReports[]` entry. */
export interface ErrorReport {
  message: string;
  mainKlass: string;
  errorCode: string;
  errorKlass?: string;
  mainId?: string;
  errorProperty?: string;
  errorProperties: unknown[];
  value?: unknown;
}

/** `created / updated / deleted / ignored / total`. */
export interface Stats {
  created: number;
  updated: number;
  deleted: number;
  ignored: number;
  total: number;
}

export interface ObjectReport {
  klass: string;
  index: number;
  uid?: string;
  displayName?: string;
  errorReports: ErrorReport[];
}

export interface TypeReport {
  klass: string;
  stats: Stats;
  objectReports: ObjectReport[];
}

const TEMPLATES: Readonly<Record<string, string>> = {
  E4000: "Missing required property `{0}`",
  E4001: "Maximum length of property `{0}`is {1}, but given length was {2}",
  E4005: "Property `{0}` requires a valid password, was given `{1}`.",
  E4014: "Invalid UID `{0}` for property `{1}`",
  E4049: "Property `{0}` requires a valid username, was given `{1}`.",
  E4054: "Property `{0}` already exists, was given `{1}`.",
  E4055: "An user needs to have at least one user role associated with it.",
  E4056: "Property `{0}` can not be changed, was given `{1}`.",
  E5000:
    "Found matching object for reference, but import strategy is CREATE. Identifier was {0}, and object was {1}.",
  E5001: "No matching object for reference. Identifier was {0}, and object was {1}.",
  E4030: "Object could not be deleted because it is associated with another object: {0}",
  E5002: "Invalid reference {0} on object {1} for association `{2}`",
  E5003: "Property `{0}` with value `{1}` on object {2} already exists on object {3}",
  E4032: "Patch path `{0}` is not supported",
  E7000: "Job of same type already scheduled with cron expression: `{0}`",
  E7003: "Only interval property can be configured for non configurable job type: `{0}`",
  E7004: "Cron expression must be not null for job with scheduling type CRON: `{0}`",
  E7005: "Cron expression is invalid: `{0}`",
  E7007: "Delay must be not null for job with scheduling type FIXED_DELAY: `{0}`",
};

/** Fills an ErrorCode template. */
export function errorMessage(code: string, args: readonly unknown[]): string {
  const t = TEMPLATES[code] ?? code;
  // MessageFormat leaves a placeholder without an argument as it is (E7005 has none).
  return t.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

/** Builds an error report. */
export function errorReport(
  code: string,
  mainKlass: string,
  args: readonly unknown[],
  extra?: Partial<ErrorReport>,
): ErrorReport {
  return {
    message: errorMessage(code, args),
    mainKlass,
    errorCode: code,
    errorProperties: [...args],
    ...extra,
  };
}

/** `"name [uid] (Type)"`, or `"[uid] (Type)"` without a name. */
export function identifiersWithName(obj: { id?: unknown; name?: unknown }, simpleName: string): string {
  const ids = `[${typeof obj.id === "string" ? obj.id : ""}]`;
  const name = typeof obj.name === "string" && obj.name !== "" ? obj.name : undefined;
  return name ? `${name} ${ids} (${simpleName})` : `${ids} (${simpleName})`;
}

export function emptyStats(): Stats {
  return { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 };
}

export function addStats(into: Stats, s: Stats): void {
  into.created += s.created;
  into.updated += s.updated;
  into.deleted += s.deleted;
  into.ignored += s.ignored;
  into.total += s.total;
}
