/**
 * The two profile files seen together (project shadows global), and the one write path every
 * service function goes through: text edit -> re-parse -> compare with the expected document ->
 * atomic write. When the in-place edit does not re-parse to exactly the expected document (an
 * unusual hand-written layout, inline tables, ...), the whole file is rewritten from the parsed
 * data instead, losing comments but never a profile; when even that does not check out, nothing
 * is written.
 */
import path from "node:path";
import { stringify, type TomlTable } from "smol-toml";
import { type AtomicWriteHooks, writeFileAtomic } from "./atomic-write.js";
import { ProfileFileError } from "./errors.js";
import { ensureProjectGitignore } from "./gitignore.js";
import {
  findProjectProfilesPath,
  globalProfilesPath,
  type ProfileLocationOptions,
  type ProfileScope,
  profilesPathForScope,
  startDir,
} from "./paths.js";
import { editProfilesText, type ProfileEdit } from "./toml-edit.js";
import {
  isTable,
  type ProfileEntry,
  type ProfilesDocument,
  parseToml,
  readProfilesFile,
} from "./toml-file.js";

/** Options of every function that writes a profile file. */
export interface ProfileWriteOptions extends ProfileLocationOptions {
  /** Write seams (tests simulate crashes with them). */
  io?: AtomicWriteHooks;
}

/** Both files as seen from `start`. */
export interface ProfileCatalog {
  global: ProfilesDocument;
  /** `undefined` when no `.dhis2/profiles.toml` was found walking up from `searchedFrom`. */
  project: ProfilesDocument | undefined;
  searchedFrom: string;
}

/** A profile entry with the scope and file it came from. */
export interface LocatedEntry {
  entry: ProfileEntry;
  scope: ProfileScope;
  doc: ProfilesDocument;
}

/** Reads both files (missing ones read as empty). */
export function loadCatalog(opts?: ProfileLocationOptions): ProfileCatalog {
  const projectPath = findProjectProfilesPath(opts);
  return {
    global: readProfilesFile(globalProfilesPath(opts)),
    project: projectPath ? readProfilesFile(projectPath) : undefined,
    searchedFrom: startDir(opts),
  };
}

/** Finds `name`, the project file first (it shadows the global one). */
export function lookupProfile(
  catalog: ProfileCatalog,
  name: string,
  scope?: ProfileScope,
): LocatedEntry | undefined {
  if (scope !== "global" && catalog.project) {
    const entry = catalog.project.entries.get(name);
    if (entry) return { entry, scope: "project", doc: catalog.project };
  }
  if (scope !== "project") {
    const entry = catalog.global.entries.get(name);
    if (entry) return { entry, scope: "global", doc: catalog.global };
  }
  return undefined;
}

/** The file of a scope, for reading before a write (the project one may not exist yet). */
export function readScopeFile(scope: ProfileScope, opts?: ProfileLocationOptions): ProfilesDocument {
  return readProfilesFile(profilesPathForScope(scope, opts));
}

/** What a write did: where, and whether comments/layout could be kept. */
export interface ProfileWriteResult {
  path: string;
  /** False when the file had to be rewritten from its data (comments and layout lost). */
  preservedLayout: boolean;
}

const NEW_FILE_BANNER = "# dhis2w profiles: edit by hand or with `d2w profile` (comments are kept).\n\n";

/**
 * Applies `edits` to the file of one document and writes it atomically, after checking that the
 * result parses to exactly the expected data (so no other profile or table can be lost).
 */
export async function writeProfileEdits(
  doc: ProfilesDocument,
  edits: readonly ProfileEdit[],
  opts?: ProfileWriteOptions,
): Promise<ProfileWriteResult> {
  return withFileLock(doc.path, async () => {
    // Re-read under the lock: another write in this process may have landed since `doc` was read.
    const current = readProfilesFile(doc.path);
    const expected = normalize(applyToData(current.data, edits));
    const base = current.exists ? current.text : NEW_FILE_BANNER;
    const edited = editProfilesText(base, edits);
    let text = edited;
    let preservedLayout = true;
    if (!parsesTo(edited, current.path, expected)) {
      text = stringify(expected);
      preservedLayout = false;
      if (!parsesTo(text, current.path, expected)) {
        throw new ProfileFileError(
          { path: current.path },
          "refusing to write: the updated file would not read back as expected (nothing was changed)",
        );
      }
    }
    // First write of a project file: keep its secrets out of git (before the file exists, so a
    // crash in between cannot leave the secrets unprotected).
    if (!current.exists) ensureProjectGitignore(path.dirname(current.path));
    await writeFileAtomic(current.path, text, opts?.io);
    return { path: current.path, preservedLayout };
  });
}

function parsesTo(text: string, path: string, expected: TomlTable): boolean {
  try {
    return sameToml(normalize(parseToml(text, path)), expected);
  } catch {
    return false;
  }
}

/** Deep equality of TOML values; smol-toml's tables have a null prototype, so node's strict compare will not do. */
function sameToml(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return (
      a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString() && String(a) === String(b)
    );
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameToml(v, b[i]))
    );
  }
  if (isTable(a) && isTable(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameToml(a[k], b[k]))
    );
  }
  return Object.is(a, b);
}

/** The same edits, on the parsed data: what the file must read back as. */
function applyToData(data: TomlTable, edits: readonly ProfileEdit[]): TomlTable {
  const out: TomlTable = { ...data };
  const profiles: TomlTable = isTable(data.profiles) ? { ...data.profiles } : {};
  for (const edit of edits) {
    if (edit.kind === "set") profiles[edit.name] = { ...edit.values };
    else if (edit.kind === "remove") delete profiles[edit.name];
    else if (edit.kind === "rename") {
      const moved = profiles[edit.from];
      delete profiles[edit.from];
      if (moved !== undefined) profiles[edit.to] = moved;
    } else if (edit.name === undefined) delete out.default;
    else out.default = edit.name;
  }
  out.profiles = profiles;
  return out;
}

/** An empty `profiles` table and an absent one read the same. */
function normalize(data: TomlTable): TomlTable {
  const out: TomlTable = { ...data };
  if (isTable(out.profiles) && Object.keys(out.profiles).length === 0) delete out.profiles;
  return out;
}

const locks = new Map<string, Promise<unknown>>();

/** Serialises read-modify-write cycles on one file within this process. */
async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(file) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(file, tail);
  try {
    return await run;
  } finally {
    if (locks.get(file) === tail) locks.delete(file);
  }
}
