/**
 * Trust, "Token store errors": a corrupted or foreign `tokens.sqlite` is a TokenStoreError (a
 * Dhis2ClientError) that names the file and the fix, and a read-only store (file or folder not
 * writable) still serves reads and fails clearly only when it must write. The read-only cases run
 * in a child process as an unprivileged user when the tests run as root (root ignores modes).
 */
import { execFile } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Dhis2ClientError, type OAuth2Token } from "@dhis2w/client";
import { addProfile, openClient, resolveProfile, SqliteTokenStore, TokenStoreError } from "@dhis2w/core";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
/** Who the read-only worker runs as: `nobody` when we are root, else ourselves. */
const AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

let emu: RunningEmulator;
let root: string;
let dir: string;
let db: string;
const tok: OAuth2Token = {
  accessToken: "at-stored",
  refreshToken: "rt-stored",
  expiresAt: Date.now() + 3_600_000,
};

beforeAll(async () => {
  emu = await startEmulator({ seed: "empty", port: 0 });
});
afterAll(() => emu.close());
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "d2w-tserr-"));
  chmodSync(root, 0o755); // the unprivileged worker must reach the store inside
  dir = path.join(root, "repo", ".dhis2");
  db = path.join(dir, "tokens.sqlite");
});
afterEach(() => {
  chmodSync(root, 0o755);
  if (existsSync(dir)) chmodSync(dir, 0o755);
  rmSync(root, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<TokenStoreError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenStoreError);
  expect(error).toBeInstanceOf(Dhis2ClientError);
  return error as TokenStoreError;
}

describe("Trust: token store errors (corrupted or foreign file)", () => {
  it("a corrupted tokens.sqlite is a TokenStoreError naming the file and the fix, also through openClient(resolveProfile(...))", async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(db, "this is not a database, just text that happens to sit here\n".repeat(50));
    const store = new SqliteTokenStore({ path: db, scope: "project" });
    const error = await rejection(store.get("sso"));
    expect(error).toMatchObject({ path: db, problem: "not_a_database" });
    expect(error.message).toContain(db);
    expect(error.message).toContain(`delete ${db} and log in again (\`d2w profile login sso\`)`);
    store.close();

    const where = { start: path.dirname(dir), globalDir: path.join(root, "cfg"), env: {} };
    await addProfile(
      "sso",
      { baseUrl: emu.url, auth: "oauth2", clientId: "dhis2w-demo", clientSecret: "dhis2w-demo-secret" },
      { ...where, scope: "project" },
    );
    const viaClient = await rejection(openClient(resolveProfile("sso", where)));
    expect(viaClient).toMatchObject({ path: db, problem: "not_a_database" });
  });

  it("a foreign SQLite file (another program's tables) is a TokenStoreError too, and is left as it was", async () => {
    mkdirSync(dir, { recursive: true });
    // Someone else's layout under our table name.
    const Db = createRequire(import.meta.url)("better-sqlite3") as new (
      f: string,
    ) => { exec(s: string): void; prepare(s: string): { all(): unknown[] }; close(): void };
    const other = new Db(db);
    other.exec(
      "CREATE TABLE oauth2_tokens (name TEXT, value TEXT); INSERT INTO oauth2_tokens VALUES ('a', 'b');",
    );
    other.close();
    const store = new SqliteTokenStore({ path: db, scope: "project" });
    const error = await rejection(store.get("sso"));
    expect(error).toMatchObject({ problem: "foreign" });
    expect(error.message).toContain(
      `${db} is not a dhis2w OAuth2 token store (its oauth2_tokens table has no`,
    );
    expect(error.message).toContain(`delete ${db} and log in again`);
    await rejection(store.set("sso", tok));
    store.close();
    const after = new Db(db);
    expect(after.prepare("SELECT * FROM oauth2_tokens").all()).toEqual([{ name: "a", value: "b" }]);
    expect(after.prepare("SELECT name FROM sqlite_master").all()).toEqual([{ name: "oauth2_tokens" }]);
    expect(after.prepare("PRAGMA journal_mode").all()).toEqual([{ journal_mode: "delete" }]);
    after.close();
  });
});

/** Runs the access worker on `db`, as `nobody` when we are root. */
function runWorker(): Promise<{
  get: { ok?: string | null; error?: { problem: string; message: string; isTokenStoreError: boolean } };
  set: { ok?: unknown; error?: { problem: string; message: string; isTokenStoreError: boolean } };
}> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", TSX, "--conditions=source", path.join(here, "token-store-access-worker.ts")],
      {
        env: { PATH: process.env.PATH ?? "", DB: db, PROFILE: "sso" },
        encoding: "utf8",
        ...(AS_ROOT ? { uid: NOBODY, gid: NOBODY } : {}),
      },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`worker failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout));
      },
    );
  });
}

/** Hands the folder (and its files) to the worker's user, so that only the modes decide. */
function giveAway(): void {
  if (!AS_ROOT) return;
  for (const p of [path.dirname(dir), dir, ...readdirSync(dir).map((f) => path.join(dir, f))])
    chownSync(p, NOBODY, NOBODY);
}

async function storedToken(): Promise<void> {
  const store = new SqliteTokenStore({ path: db, scope: "project" });
  await store.set("sso", tok);
  store.close();
}

describe("Trust: token store errors (read-only store)", () => {
  it("a read-only tokens.sqlite serves reads and fails clearly only when it must write", async () => {
    await storedToken();
    giveAway();
    chmodSync(db, 0o400);
    const r = await runWorker();
    expect(r.get).toEqual({ ok: "at-stored" });
    expect(r.set.error).toMatchObject({ isTokenStoreError: true, problem: "read_only" });
    expect(r.set.error?.message).toContain(`cannot write the OAuth2 token store ${db}`);
    expect(r.set.error?.message).toContain("Make both writable, or delete");
    chmodSync(db, 0o600);
    expect((await new SqliteTokenStore({ path: db, scope: "project" }).get("sso"))?.accessToken).toBe(
      "at-stored",
    );
  });

  it("a store in a read-only folder serves reads (no -shm can be created) and fails clearly only when it must write", async () => {
    await storedToken();
    giveAway();
    chmodSync(dir, 0o500);
    const r = await runWorker();
    expect(r.get).toEqual({ ok: "at-stored" });
    expect(r.set.error).toMatchObject({ isTokenStoreError: true, problem: "read_only" });
    expect(r.set.error?.message).toContain(db);
  });

  it("no store yet in a read-only folder: a read finds nothing and creates nothing; a write says why it cannot", async () => {
    mkdirSync(dir, { recursive: true });
    giveAway();
    chmodSync(dir, 0o500);
    const r = await runWorker();
    expect(r.get).toEqual({ ok: null });
    expect(r.set.error).toMatchObject({ isTokenStoreError: true, problem: "read_only" });
    expect(readdirSync(dir)).toEqual([]);
  });
});
