import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ensureProjectGitignore } from "../profiles/gitignore.js";

// The few better-sqlite3 (v12) calls we use, typed here so that no @types package is needed.
export interface Statement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
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
type DatabaseCtor = new (file: string, options?: { timeout?: number }) => Database;

const require = createRequire(import.meta.url);

/**
 * Opens (creating when needed) a SQLite file that holds secrets: the folder is created 0700 and the
 * file 0600 before SQLite touches it (SQLite gives its -wal/-shm files the database file's mode).
 * WAL lets readers go on while a writer commits; busy_timeout makes short write transactions of
 * other processes wait instead of failing with SQLITE_BUSY.
 */
export function openSecretDatabase(file: string, busyTimeoutMs: number): Database {
  const dir = path.dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    ensureProjectGitignore(dir);
    closeSync(openSync(file, "a", 0o600));
  }
  chmodSync(file, 0o600); // in case a umask or an older version left it wider
  const Ctor = require("better-sqlite3") as DatabaseCtor;
  const db = new Ctor(file, { timeout: busyTimeoutMs });
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma("journal_mode = WAL");
  // FULL: a committed token survives a power cut, not just a crash of the process.
  db.pragma("synchronous = FULL");
  return db;
}
