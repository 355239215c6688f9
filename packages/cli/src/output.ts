/** Plain-text tables and values for people; `--json` output goes through `JSON.stringify` instead. */

/**
 * `max` for a last column that must never be cut, such as an import error's message: it is the
 * part that tells the user what to fix, and nothing to its right needs aligning.
 */
export const FULL = Number.POSITIVE_INFINITY;

/** A column of {@link formatTable}: a header and how to read the cell from a row. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  /** Cut longer cells (with an ellipsis); default 60. */
  max?: number;
}

/** Renders a value for a table cell: objects as `{id}` refs or compact JSON. */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(cell).join(",");
  if (typeof value === "object" && typeof (value as { id?: unknown }).id === "string") {
    return (value as { id: string }).id;
  }
  return JSON.stringify(value);
}

/**
 * Left-aligned columns separated by two spaces, a header row and a rule under it.
 *
 * @example
 * ```ts
 * formatTable([{ id: "a", n: 1 }], [{ header: "ID", value: (r) => r.id }, { header: "N", value: (r) => r.n }]);
 * ```
 */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) =>
    columns.map((c) => {
      const text = cell(c.value(row)).replace(/\s+/g, " ");
      const max = c.max ?? 60;
      return text.length > max ? `${text.slice(0, max - 1)}…` : text;
    }),
  );
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (parts: string[]) =>
    parts
      .map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map((r) => line(r)),
  ].join("\n");
}

/** Columns for arbitrary objects: the union of their keys in first-seen order. */
export function columnsOf(rows: readonly Record<string, unknown>[]): Column<Record<string, unknown>>[] {
  const keys: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!keys.includes(k)) keys.push(k);
  return keys.map((k) => ({ header: k, value: (r) => r[k] }));
}

/** `key: value` lines for one object. */
export function formatRecord(record: Record<string, unknown>): string {
  const entries = Object.entries(record).filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${cell(v)}`).join("\n");
}
