/**
 * Text-level edits of a `profiles.toml`: each one touches only the lines of the affected
 * `[profiles.NAME]` table and the top-level `default =` line, so comments, blank lines, key order
 * and unrelated tables of a hand-edited file survive. The caller verifies the result by parsing it.
 */
import {
  firstHeaderIndex,
  joinLines,
  keyLine,
  locateProfileTable,
  profileHeaderLine,
  scanLines,
  type TomlLine,
} from "./toml-lines.js";

/** One change to a profiles file. `values` are snake_case TOML keys to string values. */
export type ProfileEdit =
  | { kind: "set"; name: string; values: Record<string, string> }
  | { kind: "remove"; name: string }
  | { kind: "rename"; from: string; to: string }
  | { kind: "default"; name: string | undefined };

/** Applies edits to a TOML text, keeping every line the edits do not concern. */
export function editProfilesText(text: string, edits: readonly ProfileEdit[]): string {
  const scanned = scanLines(text);
  let lines = scanned.lines;
  for (const edit of edits) {
    if (edit.kind === "set") lines = setTable(lines, edit.name, edit.values);
    else if (edit.kind === "remove") lines = removeTable(lines, edit.name);
    else if (edit.kind === "rename") lines = renameTable(lines, edit.from, edit.to);
    else lines = setDefault(lines, edit.name);
  }
  return joinLines(lines, scanned.eol);
}

function setTable(lines: TomlLine[], name: string, values: Record<string, string>): TomlLine[] {
  const loc = locateProfileTable(lines, name);
  if (!loc) {
    const out = [...lines];
    if (out.length > 0 && out[out.length - 1]?.text.trim() !== "") out.push(blank());
    out.push(profileHeaderLine(name));
    for (const [k, v] of Object.entries(values)) out.push(keyLine(k, v));
    return out;
  }
  const body: TomlLine[] = [];
  const written = new Set<string>();
  let lastKey = -1;
  for (const line of lines.slice(loc.header + 1, loc.end)) {
    if (line.kind === "key" && line.key !== undefined) {
      const value = values[line.key];
      // A key the profile no longer has, or a duplicate, goes; the rest is rewritten in place.
      if (value === undefined || written.has(line.key)) continue;
      body.push(keyLine(line.key, value));
      written.add(line.key);
      lastKey = body.length - 1;
      continue;
    }
    body.push(line);
  }
  const added = Object.entries(values)
    .filter(([k]) => !written.has(k))
    .map(([k, v]) => keyLine(k, v));
  body.splice(lastKey + 1, 0, ...added);
  return [...lines.slice(0, loc.header + 1), ...body, ...lines.slice(loc.end)];
}

function removeTable(lines: TomlLine[], name: string): TomlLine[] {
  const loc = locateProfileTable(lines, name);
  if (!loc) return lines;
  // Comments right above the next header most likely describe that next table: keep them.
  let end = loc.end;
  if (end < lines.length) {
    while (end > loc.header + 1 && isCommentOrBlank(lines[end - 1])) end--;
  }
  const out = [...lines.slice(0, loc.header), ...lines.slice(end)];
  // Do not leave a double blank line (or a blank tail) where the table was.
  const seam = loc.header;
  if (isBlank(out[seam - 1]) && (isBlank(out[seam]) || seam === out.length)) out.splice(seam - 1, 1);
  else if (seam === 0 && isBlank(out[0])) out.splice(0, 1);
  return out;
}

function renameTable(lines: TomlLine[], from: string, to: string): TomlLine[] {
  const loc = locateProfileTable(lines, from);
  if (!loc) return lines;
  const old = lines[loc.header];
  const trailing = old?.text.match(/\]\s*(#.*)$/)?.[1];
  const header = profileHeaderLine(to);
  if (trailing) header.text += ` ${trailing}`;
  const out = [...lines];
  out[loc.header] = header;
  return out;
}

function setDefault(lines: TomlLine[], name: string | undefined): TomlLine[] {
  const top = firstHeaderIndex(lines);
  const out: TomlLine[] = [];
  let done = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as TomlLine;
    if (i < top && line.kind === "key" && line.key === "default") {
      if (name !== undefined && !done) out.push(keyLine("default", name));
      // Removing the line must not leave a double blank (or a leading blank) behind.
      else if (isBlank(lines[i + 1]) && (out.length === 0 || isBlank(out[out.length - 1]))) i++;
      done = true;
      continue;
    }
    out.push(line);
  }
  if (done || name === undefined) return out;
  // After the last top-level key when there is one; else after a leading comment block that a
  // blank line separates from the rest (a file banner); else at the very top.
  let at = -1;
  for (let i = 0; i < top; i++) if (out[i]?.kind === "key") at = i + 1;
  if (at < 0) {
    let i = 0;
    while (i < top && isComment(out[i])) i++;
    at = i > 0 && i < out.length && out[i]?.text.trim() === "" ? i + 1 : 0;
  }
  const insert = [keyLine("default", name)];
  if (out[at] !== undefined && out[at]?.text.trim() !== "" && at === top) insert.push(blank());
  out.splice(at, 0, ...insert);
  return out;
}

function isComment(line: TomlLine | undefined): boolean {
  return line?.kind === "other" && line.text.trim().startsWith("#");
}

function isCommentOrBlank(line: TomlLine | undefined): boolean {
  return line?.kind === "other" && (line.text.trim() === "" || line.text.trim().startsWith("#"));
}

function isBlank(line: TomlLine | undefined): boolean {
  return line?.kind === "other" && line.text.trim() === "";
}

function blank(): TomlLine {
  return { text: "", kind: "other" };
}
