/**
 * Reading a `profiles.toml`: TOML syntax (smol-toml), the file's structure (`default = "name"`,
 * `[profiles.NAME]` tables), and each profile against the client's `Profile` schema. Every error
 * names the file, the line/column where known, the profile and the field, never a value.
 */
import { existsSync, readFileSync } from "node:fs";
import { Profile } from "@dhis2w/client";
import { parse, TomlError, type TomlTable } from "smol-toml";
import { ProfileFileError } from "./errors.js";
import { PROFILE_NAME_RE } from "./paths.js";
import { locateProfileTable, scanLines, type TomlLine } from "./toml-lines.js";

/** snake_case TOML key -> camelCase `Profile` field, in the order new tables are written. */
export const TOML_TO_PROFILE_KEY = {
  base_url: "baseUrl",
  auth: "auth",
  token: "token",
  username: "username",
  password: "password",
  client_id: "clientId",
  client_secret: "clientSecret",
  scope: "scope",
  redirect_uri: "redirectUri",
  version: "version",
} as const satisfies Record<string, keyof Profile>;
type TomlProfileKey = keyof typeof TOML_TO_PROFILE_KEY;

/** One `[profiles.NAME]` entry: the profile when it is valid, else what is wrong with it. */
export interface ProfileEntry {
  name: string;
  /** The table as written (snake_case keys). */
  raw: TomlTable;
  profile?: Profile;
  problem?: ProfileFileError;
}

/** A parsed profiles file. A missing file reads as an empty document with `exists: false`. */
export interface ProfilesDocument {
  path: string;
  exists: boolean;
  text: string;
  /** The whole parsed TOML, unrelated tables included. */
  data: TomlTable;
  defaultName: string | undefined;
  entries: Map<string, ProfileEntry>;
}

/**
 * Reads and validates one profiles file. Throws {@link ProfileFileError} on a syntax error or a
 * malformed structure; an individual invalid profile is reported on its entry instead, so that
 * one broken profile does not hide the others.
 */
export function readProfilesFile(path: string): ProfilesDocument {
  if (!existsSync(path)) return parseProfilesText("", path, false);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read error";
    throw new ProfileFileError({ path }, `cannot read the profiles file (${code})`);
  }
  return parseProfilesText(text, path, true);
}

/** Parses a profiles text (see {@link readProfilesFile}). */
export function parseProfilesText(text: string, path: string, exists = true): ProfilesDocument {
  const data = parseToml(text, path);
  const lines = scanLines(text).lines;
  const def = data.default;
  if (def !== undefined && typeof def !== "string") {
    throw new ProfileFileError(
      { path, line: topLevelKeyLine(lines, "default"), field: "default" },
      "`default` must be a string naming a profile",
    );
  }
  const profiles = data.profiles ?? {};
  if (!isTable(profiles)) {
    throw new ProfileFileError(
      { path, field: "profiles" },
      "`profiles` must be a table of [profiles.NAME] tables",
    );
  }
  const entries = new Map<string, ProfileEntry>();
  for (const [name, raw] of Object.entries(profiles)) {
    const line = lineOfTable(lines, name);
    if (!isTable(raw)) {
      throw new ProfileFileError(
        { path, line, profile: name },
        "a profile must be a table ([profiles.NAME])",
      );
    }
    const entry: ProfileEntry = { name, raw };
    try {
      entry.profile = tomlToProfile(raw, { path, name, lines });
    } catch (error) {
      if (!(error instanceof ProfileFileError)) throw error;
      entry.problem = error;
    }
    entries.set(name, entry);
  }
  return { path, exists, text, data, defaultName: def, entries };
}

/** Parses TOML, turning smol-toml's error into one with path, line and column but no code excerpt. */
export function parseToml(text: string, path: string): TomlTable {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      // smol-toml's message embeds the offending lines, which can hold a token or password: keep
      // only its first sentence, and do not chain the original error as `cause`.
      const reason =
        error.message.split("\n")[0]?.replace(/^Invalid TOML document:\s*/, "") ?? "syntax error";
      throw new ProfileFileError({ path, line: error.line, column: error.column }, `invalid TOML: ${reason}`);
    }
    throw error;
  }
}

/** Validates a `[profiles.NAME]` table and maps it to a camelCase {@link Profile}. */
export function tomlToProfile(
  raw: TomlTable,
  where: { path: string; name: string; lines?: readonly TomlLine[] },
): Profile {
  const { path, name } = where;
  const lines = where.lines ?? [];
  if (!PROFILE_NAME_RE.test(name)) {
    throw new ProfileFileError(
      { path, line: lineOfTable(lines, name), profile: name },
      "invalid profile name: a name starts with a letter and holds only letters, digits, _ and -",
    );
  }
  const camel: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const mapped = TOML_TO_PROFILE_KEY[key as TomlProfileKey];
    if (mapped === undefined) {
      throw new ProfileFileError(
        { path, line: lineOfKey(lines, name, key), profile: name, field: key },
        `unknown key; expected one of ${Object.keys(TOML_TO_PROFILE_KEY).join(", ")}`,
      );
    }
    camel[mapped] = value;
  }
  const parsed = Profile.safeParse(camel);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const camelField = typeof issue?.path[0] === "string" ? issue.path[0] : undefined;
  const field = camelField ? (profileKeyToToml(camelField) ?? camelField) : undefined;
  // zod's messages name types and allowed options, never the rejected value.
  const message = (issue?.message ?? "invalid profile").replace(camelField ?? "\u0000", field ?? "");
  throw new ProfileFileError(
    {
      path,
      line: field ? (lineOfKey(lines, name, field) ?? lineOfTable(lines, name)) : lineOfTable(lines, name),
      profile: name,
      field,
    },
    message,
  );
}

/** A `Profile` as a snake_case TOML table, keys in canonical order, unset fields left out. */
export function profileToToml(profile: Profile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [tomlKey, camelKey] of Object.entries(TOML_TO_PROFILE_KEY)) {
    const value = profile[camelKey];
    if (value !== undefined) out[tomlKey] = value;
  }
  return out;
}

/** camelCase `Profile` field -> snake_case TOML key. */
export function profileKeyToToml(camel: string): string | undefined {
  for (const [tomlKey, camelKey] of Object.entries(TOML_TO_PROFILE_KEY))
    if (camelKey === camel) return tomlKey;
  return undefined;
}

/** True for a plain TOML table (not an array, not a date). */
export function isTable(v: unknown): v is TomlTable {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function lineOfTable(lines: readonly TomlLine[], name: string): number | undefined {
  const loc = locateProfileTable(lines, name);
  return loc ? loc.header + 1 : undefined;
}

function lineOfKey(lines: readonly TomlLine[], name: string, key: string): number | undefined {
  const loc = locateProfileTable(lines, name);
  if (!loc) return undefined;
  for (let i = loc.header + 1; i < loc.end; i++)
    if (lines[i]?.kind === "key" && lines[i]?.key === key) return i + 1;
  return undefined;
}

function topLevelKeyLine(lines: readonly TomlLine[], key: string): number | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line?.kind === "header") return undefined;
    if (line?.kind === "key" && line.key === key) return i + 1;
  }
  return undefined;
}
