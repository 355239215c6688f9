/**
 * Turns an error response body into one readable line. DHIS2's API answers WebMessages
 * (`{ httpStatus, httpStatusCode, status, message, errorCode }`), but some paths outside its
 * controllers answer Tomcat HTML (QUIRKS.md "Wire formats"), and proxies answer their own pages.
 */

const MAX = 300;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

const clean = (s: string) =>
  decodeEntities(s.replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();

export function truncate(s: string, max = MAX): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** True when a text body is an HTML page. */
export function looksLikeHtml(text: string, contentType = ""): boolean {
  return /html/i.test(contentType) || /^\s*(<!doctype html|<html|<head|<body)/i.test(text);
}

/** One line out of an HTML page: its `<h1>` (else `<title>`), plus Tomcat's "Message" line. */
export function summarizeHtml(html: string): string {
  const pick = (re: RegExp) => {
    const m = re.exec(html);
    return m?.[1] ? clean(m[1]) : "";
  };
  const heading = pick(/<h1[^>]*>([\s\S]*?)<\/h1>/i) || pick(/<title[^>]*>([\s\S]*?)<\/title>/i);
  // Tomcat: <p><b>Message</b> The requested resource [/api/x] is not available</p>
  const message = pick(/<b>\s*Message\s*<\/b>([\s\S]*?)<\/p>/i);
  const parts = [heading, message].filter((p, i, all) => p && all.indexOf(p) === i);
  if (parts.length > 0) return truncate(parts.join(": "));
  const body = /<body[^>]*>([\s\S]*?)(<\/body>|$)/i.exec(html)?.[1] ?? html;
  return truncate(clean(body.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")));
}

/** A readable one-line message from an error body (parsed JSON, or text). */
export function summarizeErrorBody(
  body: unknown,
  contentType: string,
  status: number,
  statusText: string,
): string {
  const fallback = statusText ? `HTTP ${status} ${statusText}` : `HTTP ${status}`;
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const text = [b.message, b.error_description, b.error, b.httpStatus].find(
      (v): v is string => typeof v === "string" && v.trim().length > 0,
    );
    if (!text) return fallback;
    const code = typeof b.errorCode === "string" ? ` [${b.errorCode}]` : "";
    const reports = errorReportsOf(b.response);
    if (reports.length === 0) return truncate(text.trim()) + code;
    // "One or more errors occurred, please see full details in import report." says nothing by
    // itself: name the reports (an ObjectReport of a CRUD write or delete).
    const detail = reports
      .slice(0, 3)
      .map((r) => `${r.message} [${r.errorCode}]${hintFor(r)}`)
      .join("; ");
    return `${truncate(text.trim())}${code}: ${truncate(detail, 600)}`;
  }
  if (typeof body === "string" && body.trim()) {
    if (looksLikeHtml(body, contentType)) return summarizeHtml(body) || fallback;
    const line = body.split(/\r?\n/).find((l) => l.trim()) ?? "";
    return truncate(line.trim());
  }
  return fallback;
}

interface ReportLine {
  message: string;
  errorCode: string;
}

/** The error reports of an ObjectReport (`response.errorReports`) or of an ImportReport's type reports. */
function errorReportsOf(response: unknown): ReportLine[] {
  if (typeof response !== "object" || response === null) return [];
  const r = response as { errorReports?: unknown; typeReports?: unknown };
  const raw: unknown[] = Array.isArray(r.errorReports) ? [...r.errorReports] : [];
  if (Array.isArray(r.typeReports)) {
    for (const tr of r.typeReports as { objectReports?: unknown }[]) {
      for (const or of Array.isArray(tr?.objectReports)
        ? (tr.objectReports as { errorReports?: unknown }[])
        : []) {
        if (Array.isArray(or?.errorReports)) raw.push(...or.errorReports);
      }
    }
  }
  return raw.flatMap((e) => {
    const x = e as { message?: unknown; errorCode?: unknown };
    return typeof x?.message === "string"
      ? [{ message: x.message, errorCode: String(x.errorCode ?? "") }]
      : [];
  });
}

/**
 * What to do about a report, where DHIS2's words do not say it. E4030 "... associated with another
 * object: DataValue" also counts soft-deleted values (dhis2-core `DataValueDeletionHandler`
 * queries `datavalue` without a `deleted` filter), which only maintenance removes.
 */
function hintFor(r: ReportLine): string {
  if (r.errorCode === "E4030" && /DataValue\s*$/.test(r.message)) {
    return " (deleted data values count until POST /api/maintenance/softDeletedDataValueRemoval removes them)";
  }
  return "";
}
