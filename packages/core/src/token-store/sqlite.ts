import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ensureProjectGitignore } from "../profiles/gitignore.js";

// The few better-sqlite3 (v12) calls we use, typed here so that no @types package is needed.
export interface Statement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
export interface Transaction<A extends unknown[], R> {
  (...args: A): R;
  immediate(...args: A): R;
}
export interface Database {
  pragma(source: string): unknown;
  exec(source: string): void;
  prepare(source: string): Statement;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): Transaction<A, R>;
  close(): void;
}
type DatabaseCtor = new (
  file: string | Buffer,
  options?: { timeout?: number; readonly?: boolean; fileMustExist?: boolean },
) => Database;

const require = createRequire(import.meta.url);
const sqlite = (): DatabaseCtor => require("better-sqlite3") as DatabaseCtor;

/**
 * Opens (creating when needed) a SQLite file that holds secrets: the folder is created 0700 and the
 * file 0600 before SQLite touches it (SQLite gives its -wal/-shm files the database file's mode).
 * WAL lets readers go on while a writer commits; busy_timeout makes short write transactions of
 * other processes wait instead of failing with SQLITE_BUSY.
 */
export function openSecretDatabase(
  file: string,
  busyTimeoutMs: number,
  /** Runs before anything is changed in the file (to refuse someone else's database untouched). */
  check?: (db: Database) => void,
): Database {
  const dir = path.dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    ensureProjectGitignore(dir);
    closeSync(openSync(file, "a", 0o600));
  }
  tightenMode(file);
  const db = new (sqlite())(file, { timeout: busyTimeoutMs });
  try {
    check?.(db);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma("journal_mode = WAL");
    // FULL: a committed token survives a power cut, not just a crash of the process.
    db.pragma("synchronous = FULL");
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Opens an existing store for reading only, for when {@link openSecretDatabase} cannot (a
 * read-only file system or folder). SQLite needs to create the `-shm` file of a WAL database even
 * to read it; when the folder forbids that, the file is read into memory instead (its header's
 * WAL flag cleared so SQLite accepts it), unless a `-wal` file holds commits the copy would miss.
 */
export function openReadOnlyDatabase(file: string, busyTimeoutMs: number): Database {
  const Ctor = sqlite();
  let direct: Database | undefined;
  try {
    direct = new Ctor(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    direct.prepare("SELECT count(*) FROM sqlite_master").get();
    return direct;
  } catch (error) {
    direct?.close();
    const code = (error as { code?: unknown }).code;
    if (code !== "SQLITE_READONLY_DIRECTORY" && code !== "SQLITE_CANTOPEN") throw error;
    const wal = `${file}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0) throw error;
  }
  const bytes = readFileSync(file);
  // Bytes 18-19 of the header: file format write/read version, 2 = WAL, 1 = rollback journal.
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return new Ctor(bytes, { readonly: true });
}

/** Takes away group/other bits a umask or an older version left; never adds any (a 0400 file stays read-only). */
function tightenMode(file: string): void {
  try {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) chmodSync(file, mode & 0o700);
  } catch {
    /* not ours, or a read-only file system: SQLite reports what matters */
  }
}
