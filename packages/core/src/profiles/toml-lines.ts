/**
 * A line-level view of a TOML text: enough to find `[profiles.NAME]` tables, the keys in them and
 * the top-level `default =` line, so that edits can leave every other line (comments included)
 * byte for byte. It is a heuristic, not a parser: every edit built on it is checked by re-parsing
 * the result with smol-toml (see `store.ts`), and a full rewrite takes over when the check fails.
 */

/** One line of the text, classified. */
export interface TomlLine {
  text: string;
  /** `header` for `[a.b]` / `[[a.b]]`, `key` for `key = ...`, `other` for comments, blanks and continuations. */
  kind: "header" | "key" | "other";
  /** Dotted key parts of a header (`["profiles", "dev"]`), `undefined` when they could not be read. */
  headerPath?: string[];
  /** True for `[[array.of.tables]]`. */
  arrayHeader?: boolean;
  /** First key segment of a `key = value` line. */
  key?: string;
}

const HEADER_RE = /^\s*(\[\[?)\s*(.*?)\s*(\]\]?)\s*(?:#.*)?$/;
const KEY_RE = /^\s*([A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')\s*(?:\.|=)/;
const SEGMENT_RE = /\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(\.|$)/y;

/** Splits a text into lines (remembering the line ending) and classifies them. */
export function scanLines(text: string): { lines: TomlLine[]; eol: string } {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const raw = text.split(/\r?\n/);
  // A trailing newline yields one empty last element; keep it out so joins stay stable.
  if (raw.length > 0 && raw[raw.length - 1] === "") raw.pop();
  const lines: TomlLine[] = [];
  let openDelimiter: '"""' | "'''" | undefined;
  for (const textLine of raw) {
    if (openDelimiter) {
      if (count(textLine, openDelimiter) % 2 === 1) openDelimiter = undefined;
      lines.push({ text: textLine, kind: "other" });
      continue;
    }
    const header = HEADER_RE.exec(textLine);
    if (header && (header[1] === "[[") === (header[3] === "]]")) {
      const headerPath = splitDottedKey(header[2] ?? "");
      const line: TomlLine = { text: textLine, kind: "header", arrayHeader: header[1] === "[[" };
      if (headerPath) line.headerPath = headerPath;
      lines.push(line);
      continue;
    }
    const key = KEY_RE.exec(textLine);
    if (key?.[1]) {
      lines.push({ text: textLine, kind: "key", key: unquoteKey(key[1]) });
      for (const delim of ['"""', "'''"] as const) {
        if (count(textLine, delim) % 2 === 1) openDelimiter = delim;
      }
      continue;
    }
    lines.push({ text: textLine, kind: "other" });
  }
  return { lines, eol };
}

/** Joins lines back into a text that ends with one line ending. */
export function joinLines(lines: readonly TomlLine[], eol: string): string {
  return lines.length === 0 ? "" : lines.map((l) => l.text).join(eol) + eol;
}

/** Index range `[header, end)` of the `[profiles.NAME]` table, or `undefined`. */
export function locateProfileTable(
  lines: readonly TomlLine[],
  name: string,
): { header: number; end: number } | undefined {
  const header = lines.findIndex(
    (l) =>
      l.kind === "header" &&
      !l.arrayHeader &&
      l.headerPath?.length === 2 &&
      l.headerPath[0] === "profiles" &&
      l.headerPath[1] === name,
  );
  if (header < 0) return undefined;
  let end = header + 1;
  while (end < lines.length && lines[end]?.kind !== "header") end++;
  return { header, end };
}

/** Index of the first header line, or `lines.length` when the text has only top-level keys. */
export function firstHeaderIndex(lines: readonly TomlLine[]): number {
  const i = lines.findIndex((l) => l.kind === "header");
  return i < 0 ? lines.length : i;
}

/** A fresh key line for `key = "value"`, escaped the way TOML wants. */
export function keyLine(key: string, value: string): TomlLine {
  // JSON string escapes (\" \\ \n \uXXXX ...) are all valid TOML basic-string escapes.
  // DEL is the one control character JSON leaves raw and TOML forbids.
  const quoted = JSON.stringify(value).replaceAll("\x7f", "\\u007f");
  return { text: `${key} = ${quoted}`, kind: "key", key };
}

/** A fresh `[profiles.NAME]` header line (names are restricted to bare-key characters). */
export function profileHeaderLine(name: string): TomlLine {
  return { text: `[profiles.${name}]`, kind: "header", headerPath: ["profiles", name] };
}

function splitDottedKey(s: string): string[] | undefined {
  const parts: string[] = [];
  SEGMENT_RE.lastIndex = 0;
  while (SEGMENT_RE.lastIndex < s.length) {
    const m = SEGMENT_RE.exec(s);
    if (!m) return undefined;
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push(unescapeBasic(m[2]));
    else parts.push(m[3] ?? "");
    if (m[4] === "") break;
  }
  return parts.length > 0 ? parts : undefined;
}

function unquoteKey(k: string): string {
  if (k.startsWith('"')) return unescapeBasic(k.slice(1, -1));
  if (k.startsWith("'")) return k.slice(1, -1);
  return k;
}

function unescapeBasic(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}
