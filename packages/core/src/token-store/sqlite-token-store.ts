import { existsSync, statSync } from "node:fs";
import type { OAuth2Token, TokenStore } from "@dhis2w/client";
import { abortableSleep, raceAbort } from "./abort.js";
import { foreignStoreError, isReadOnlyError, TokenStoreError, toTokenStoreError } from "./errors.js";
import { newLockOwner, ownerIsDead, ownerPid } from "./lock-owner.js";
import { type Database, openReadOnlyDatabase, openSecretDatabase } from "./sqlite.js";

/** Which profile file a token belongs to. */
export type TokenScope = "global" | "project";

/** Options of {@link SqliteTokenStore}. */
export interface SqliteTokenStoreOptions {
  /** The SQLite file (`<dir>/tokens.sqlite`). */
  path: string;
  scope: TokenScope;
  /**
   * How long a refresh lock lasts without its holder extending it; a lock past it is taken over.
   * Default 10 000 (see {@link DEFAULT_LOCK_TTL_MS}).
   */
  lockTtlMs?: number;
  /** How long to wait for another process's refresh before giving up. Default 60 000. */
  lockWaitMs?: number;
  /** Pause between lock attempts. Default 25. */
  pollIntervalMs?: number;
  /** SQLite busy timeout for the short write transactions. Default 5 000. */
  busyTimeoutMs?: number;
  now?: () => number;
  /** Waits between lock attempts; should reject when `signal` aborts (it is raced with it anyway). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Options of one store call: `signal` stops a wait for another process's refresh lock (the
 * client passes the signal of the request, whose `timeoutMs` and abort then hold while waiting).
 */
export interface TokenStoreCallOptions {
  signal?: AbortSignal | undefined;
}

/**
 * The default refresh-lock TTL. It does not have to cover a refresh: the holder extends its lock
 * every TTL/5 while it lives, so a slow token endpoint (bounded by the request's `timeoutMs`, 60 s
 * by default) keeps the lock. The TTL bounds what is left: how long a holder's event loop may
 * stall before others take over (8 s here), and how long a holder that died blocks the others
 * when it cannot be seen dead (another container; on the same host a dead PID is seen at once,
 * see `lock-owner.ts`). A DHIS2 token request is one POST, answered in well under a second.
 */
export const DEFAULT_LOCK_TTL_MS = 10_000;

interface TokenRow {
  access_token: string;
  refresh_token: string | null;
  expires_at: number;
  token_type: string | null;
  token_scope: string | null;
}
interface LockRow {
  owner: string;
  expires_at: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS oauth2_tokens (
  scope TEXT NOT NULL, profile TEXT NOT NULL,
  access_token TEXT NOT NULL, refresh_token TEXT, expires_at INTEGER NOT NULL,
  token_type TEXT, token_scope TEXT, updated_at INTEGER NOT NULL,
  PRIMARY KEY (scope, profile)
);
CREATE TABLE IF NOT EXISTS oauth2_refresh_locks (
  scope TEXT NOT NULL, profile TEXT NOT NULL, owner TEXT NOT NULL, expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, profile)
);`;

const TOKEN_COLUMNS = [
  "scope",
  "profile",
  "access_token",
  "refresh_token",
  "expires_at",
  "token_type",
  "token_scope",
];

/** Refuses a file whose `oauth2_tokens` is someone else's, before SCHEMA adds anything to it. */
function checkLayout(db: Database, path: string, key: string): void {
  const columns = new Set(
    (db.prepare("SELECT name FROM pragma_table_info('oauth2_tokens')").all() as { name: string }[]).map(
      (c) => c.name,
    ),
  );
  if (columns.size === 0) return; // a new store
  const missing = TOKEN_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0)
    throw foreignStoreError(path, key, `its oauth2_tokens table has no ${missing.join(", ")}`);
}

/**
 * OAuth2 tokens in a SQLite file, keyed by (scope, profile name). Refresh is single-flight inside
 * a process (calls for one key queue up) and across processes: a lock row, taken in a
 * `BEGIN IMMEDIATE` transaction, names its owner and expiry; the other processes poll until the
 * winner commits, then re-read the token it stored. The new token pair is written and the lock
 * released in one transaction, and a failed refresh leaves the stored pair untouched, so a
 * refresh token is never lost. A holder that died is taken over at once when it can be seen dead
 * (same host), else after the TTL; every method takes a trailing `{ signal }` that ends a wait
 * for the lock. Failures are {@link TokenStoreError}s naming the file and the fix; a read-only
 * file or folder still serves reads. Tokens are never logged.
 *
 * @example
 * ```ts
 * const store = new SqliteTokenStore({ path: "/home/me/.config/dhis2/tokens.sqlite", scope: "global" });
 * const token = await store.get("my-oauth-profile");
 * ```
 */
export class SqliteTokenStore implements TokenStore {
  readonly path: string;
  readonly scope: TokenScope;
  #db: Database | undefined;
  /** Why the store is open read-only (the error of the read-write open), when it is. */
  #readOnly: unknown;
  readonly #opts: Required<Omit<SqliteTokenStoreOptions, "path" | "scope">>;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: SqliteTokenStoreOptions) {
    this.path = options.path;
    this.scope = options.scope;
    this.#opts = {
      lockTtlMs: options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS,
      lockWaitMs: options.lockWaitMs ?? 60_000,
      pollIntervalMs: options.pollIntervalMs ?? 25,
      busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
      now: options.now ?? Date.now,
      sleep: options.sleep ?? abortableSleep,
    };
  }

  /**
   * The database for reading; `undefined` when there is no file yet (nothing is stored, and a read
   * creates nothing). A store that cannot be opened for writing (read-only file system or folder)
   * is opened read-only: it serves reads, and writes fail with a {@link TokenStoreError}.
   */
  #reader(key: string): Database | undefined {
    if (this.#db) return this.#db;
    if (!existsSync(this.path) || statSync(this.path).size === 0) return undefined;
    return this.#connect(key);
  }

  /** The database for writing, created on first use. */
  #writer(key: string): Database {
    if (this.#readOnly) throw toTokenStoreError(this.#readOnly, this.path, key);
    return this.#db ?? this.#connect(key);
  }

  #connect(key: string): Database {
    let db: Database | undefined;
    try {
      db = openSecretDatabase(this.path, this.#opts.busyTimeoutMs, (d) => checkLayout(d, this.path, key));
      db.exec(SCHEMA);
    } catch (error) {
      db?.close();
      if (error instanceof TokenStoreError) throw error;
      if (!isReadOnlyError(error) || !existsSync(this.path)) throw toTokenStoreError(error, this.path, key);
      try {
        db = openReadOnlyDatabase(this.path, this.#opts.busyTimeoutMs);
      } catch (readError) {
        throw toTokenStoreError(isReadOnlyError(readError) ? error : readError, this.path, key);
      }
      this.#readOnly = error;
    }
    this.#db = db;
    return db;
  }

  /** Runs a SQLite operation, turning its failure into a {@link TokenStoreError} that names the file and the fix. */
  #guard<T>(key: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw toTokenStoreError(error, this.path, key);
    }
  }

  async get(key: string, options: TokenStoreCallOptions = {}): Promise<OAuth2Token | undefined> {
    options.signal?.throwIfAborted();
    return this.#read(key);
  }

  async set(key: string, token: OAuth2Token, options: TokenStoreCallOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const db = this.#writer(key);
    this.#guard(key, () => this.#write(db, key, token));
  }

  /** Forgets the token of `key` (logout). */
  async delete(key: string, options: TokenStoreCallOptions = {}): Promise<boolean> {
    options.signal?.throwIfAborted();
    if (!this.#reader(key)) return false;
    const db = this.#writer(key);
    return this.#guard(
      key,
      () =>
        db.prepare("DELETE FROM oauth2_tokens WHERE scope = ? AND profile = ?").run(this.scope, key).changes >
        0,
    );
  }

  /**
   * Runs `fn` holding the refresh lock of `key` (see the class). While waiting for the lock, held
   * by another call of this process or by another process, an abort of `signal` ends the wait at
   * once with `signal.reason`; `fn` is then never called.
   */
  async refreshLocked(
    key: string,
    fn: (stored: OAuth2Token | undefined) => Promise<OAuth2Token>,
    options: TokenStoreCallOptions = {},
  ): Promise<OAuth2Token> {
    const { signal } = options;
    signal?.throwIfAborted();
    // In-process: one refresh per key at a time; the next caller then sees the stored result. A
    // caller that gives up leaves the queue; the lock row still keeps the others one at a time.
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = raceAbort(
      previous.catch(() => undefined),
      signal,
    ).then(() => this.#refreshAcrossProcesses(key, fn, signal));
    this.#queues.set(key, run);
    try {
      return await run;
    } finally {
      if (this.#queues.get(key) === run) this.#queues.delete(key);
    }
  }

  /** Closes the database file. */
  close(): void {
    this.#db?.close();
    this.#db = undefined;
  }

  #read(key: string): OAuth2Token | undefined {
    const db = this.#reader(key);
    if (!db) return undefined;
    const row = this.#guard(key, () => {
      // A read-only store may predate the schema (an empty database): that stores nothing.
      if (this.#readOnly && !db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'oauth2_tokens'").get())
        return undefined;
      return db
        .prepare(
          "SELECT access_token, refresh_token, expires_at, token_type, token_scope FROM oauth2_tokens WHERE scope = ? AND profile = ?",
        )
        .get(this.scope, key) as TokenRow | undefined;
    });
    if (!row) return undefined;
    return {
      accessToken: row.access_token,
      refreshToken: row.refresh_token ?? undefined,
      expiresAt: row.expires_at,
      tokenType: row.token_type ?? undefined,
      scope: row.token_scope ?? undefined,
    };
  }

  #write(db: Database, key: string, t: OAuth2Token): void {
    // One UPSERT: the new pair replaces the old one atomically, never a delete-then-insert.
    db.prepare(
      `INSERT INTO oauth2_tokens (scope, profile, access_token, refresh_token, expires_at, token_type, token_scope, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (scope, profile) DO UPDATE SET access_token = excluded.access_token,
         refresh_token = excluded.refresh_token, expires_at = excluded.expires_at,
         token_type = excluded.token_type, token_scope = excluded.token_scope, updated_at = excluded.updated_at`,
    ).run(
      this.scope,
      key,
      t.accessToken,
      t.refreshToken ?? null,
      Math.floor(t.expiresAt),
      t.tokenType ?? null,
      t.scope ?? null,
      this.#opts.now(),
    );
  }

  #tryLock(db: Database, key: string, owner: string): LockRow | undefined {
    const now = this.#opts.now();
    return db
      .transaction((): LockRow | undefined => {
        const held = db
          .prepare("SELECT owner, expires_at FROM oauth2_refresh_locks WHERE scope = ? AND profile = ?")
          .get(this.scope, key) as LockRow | undefined;
        // A live lock of someone else: wait. Expired, or its holder is seen dead: take it over.
        if (held && held.expires_at > now && held.owner !== owner && !ownerIsDead(held.owner)) return held;
        db.prepare(
          `INSERT INTO oauth2_refresh_locks (scope, profile, owner, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (scope, profile) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at`,
        ).run(this.scope, key, owner, now + this.#opts.lockTtlMs);
        return undefined;
      })
      .immediate();
  }

  #unlock(db: Database, key: string, owner: string): void {
    db.prepare("DELETE FROM oauth2_refresh_locks WHERE scope = ? AND profile = ? AND owner = ?").run(
      this.scope,
      key,
      owner,
    );
  }

  async #refreshAcrossProcesses(
    key: string,
    fn: (stored: OAuth2Token | undefined) => Promise<OAuth2Token>,
    signal: AbortSignal | undefined,
  ): Promise<OAuth2Token> {
    // Refreshing writes (the lock row, then the new pair): a read-only store fails here, clearly.
    const db = this.#writer(key);
    const owner = newLockOwner();
    const deadline = this.#opts.now() + this.#opts.lockWaitMs;
    for (;;) {
      signal?.throwIfAborted();
      const held = this.#guard(key, () => this.#tryLock(db, key, owner));
      if (!held) break;
      if (this.#opts.now() >= deadline) {
        throw new TokenStoreError(
          this.path,
          "busy",
          `timed out after ${this.#opts.lockWaitMs} ms waiting for another process (${ownerPid(held.owner)}) to finish refreshing the OAuth2 token of profile "${key}" in ${this.path}`,
        );
      }
      await raceAbort(this.#opts.sleep(this.#opts.pollIntervalMs, signal), signal);
    }
    // Keep the lock alive while a slow token endpoint answers, so nobody takes it over.
    const heartbeat = setInterval(
      () => {
        try {
          db.prepare(
            "UPDATE oauth2_refresh_locks SET expires_at = ? WHERE scope = ? AND profile = ? AND owner = ?",
          ).run(this.#opts.now() + this.#opts.lockTtlMs, this.scope, key, owner);
        } catch {
          // A busy database only delays the extension; the lock TTL covers the gap.
        }
      },
      Math.max(10, Math.floor(this.#opts.lockTtlMs / 5)),
    );
    heartbeat.unref?.();
    try {
      // Read after taking the lock: a winner that finished meanwhile has committed its token.
      const stored = this.#read(key);
      const next = await fn(stored);
      this.#guard(key, () =>
        db
          .transaction(() => {
            if (next !== stored) this.#write(db, key, next);
            this.#unlock(db, key, owner);
          })
          .immediate(),
      );
      return next;
    } catch (error) {
      try {
        this.#unlock(db, key, owner);
      } catch {
        // The lock expires on its own; the original error matters more.
      }
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }
}
