import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { OAuth2Token } from "@dhis2w/client";
import { SqliteTokenStore, tokenStoreForScope, tokenStorePath } from "@dhis2w/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "d2w-ts-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tok = (n: number): OAuth2Token => ({
  accessToken: `at-${n}`,
  refreshToken: `rt-${n}`,
  expiresAt: 1_000 + n,
  tokenType: "Bearer",
});

describe("SQLite token store", () => {
  it("lives next to the profile file of its scope, created 0600 in a 0700 folder", async () => {
    const project = path.join(dir, "repo");
    mkdirSync(path.join(project, ".dhis2"), { recursive: true });
    writeFileSync(path.join(project, ".dhis2", "profiles.toml"), "");
    mkdirSync(path.join(project, "sub", "deeper"), { recursive: true });
    expect(tokenStorePath("project", { start: path.join(project, "sub", "deeper") })).toBe(
      path.join(project, ".dhis2", "tokens.sqlite"),
    );
    expect(tokenStorePath("global", { globalDir: path.join(dir, "cfg") })).toBe(
      path.join(dir, "cfg", "tokens.sqlite"),
    );

    const store = tokenStoreForScope("global", { globalDir: path.join(dir, "cfg") });
    await store.set("p", tok(1));
    store.close();
    expect(statSync(path.join(dir, "cfg")).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, "cfg", "tokens.sqlite")).mode & 0o777).toBe(0o600);
  });

  it("keys tokens by (scope, profile name)", async () => {
    const file = path.join(dir, "tokens.sqlite");
    const global = new SqliteTokenStore({ path: file, scope: "global" });
    const project = new SqliteTokenStore({ path: file, scope: "project" });
    await global.set("p", tok(1));
    await project.set("p", tok(2));
    await global.set("q", tok(3));
    expect(await global.get("p")).toEqual(tok(1));
    expect(await project.get("p")).toEqual(tok(2));
    expect(await project.get("q")).toBeUndefined();
    await global.set("p", tok(4)); // replaces in place
    expect(await global.get("p")).toEqual(tok(4));
    expect(await global.delete("p")).toBe(true);
    expect(await global.get("p")).toBeUndefined();
    global.close();
    project.close();
  });

  it("serialises refreshes of one key in a process: later callers see the first one's token", async () => {
    const store = new SqliteTokenStore({ path: path.join(dir, "t.sqlite"), scope: "project" });
    await store.set("p", tok(1));
    let refreshes = 0;
    const refresh = async (stored: OAuth2Token | undefined) => {
      if (stored?.accessToken !== "at-1") return stored!; // already refreshed by someone else
      refreshes++;
      await new Promise((r) => setTimeout(r, 20));
      return tok(2);
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => store.refreshLocked("p", refresh)));
    expect(refreshes).toBe(1);
    expect(results.map((t) => t.accessToken)).toEqual(Array(5).fill("at-2"));
    expect(await store.get("p")).toEqual(tok(2));
    store.close();
  });

  it("keeps the stored pair when a refresh fails", async () => {
    const store = new SqliteTokenStore({ path: path.join(dir, "t.sqlite"), scope: "project" });
    await store.set("p", tok(1));
    await expect(
      store.refreshLocked("p", async () => Promise.reject(new Error("token endpoint down"))),
    ).rejects.toThrow("down");
    expect(await store.get("p")).toEqual(tok(1));
    // and the lock was released: the next refresh goes through
    expect((await store.refreshLocked("p", async () => tok(2))).accessToken).toBe("at-2");
    store.close();
  });

  it("a process killed while holding the refresh lock blocks nobody for longer than the lock TTL, and the old pair is still there", async () => {
    const db = path.join(dir, "t.sqlite");
    const store = new SqliteTokenStore({ path: db, scope: "project", lockTtlMs: 1_500, pollIntervalMs: 20 });
    await store.set("p", tok(1));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=source", path.join(here, "token-store-lock-holder.ts")],
      {
        env: { ...process.env, DB: db, PROFILE: "p", TTL: "1500" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        if (d.toString().includes("locked")) resolve();
      });
      child.on("exit", () => reject(new Error("lock holder exited early")));
    });
    child.removeAllListeners("exit");
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;

    let seen: OAuth2Token | undefined;
    const next = await store.refreshLocked("p", async (stored) => {
      seen = stored;
      return tok(2);
    });
    expect(seen).toEqual(tok(1)); // the refresh token survived the crash
    expect(next).toEqual(tok(2));
    expect(await store.get("p")).toEqual(tok(2));
    store.close();
  }, 60_000);

  it("gives up waiting for a live lock holder after lockWaitMs with a clear error", async () => {
    const db = path.join(dir, "t.sqlite");
    const a = new SqliteTokenStore({ path: db, scope: "project", lockTtlMs: 60_000 });
    const b = new SqliteTokenStore({ path: db, scope: "project", lockWaitMs: 200, pollIntervalMs: 20 });
    await a.set("p", tok(1));
    let release: () => void = () => undefined;
    const holding = a.refreshLocked(
      "p",
      () =>
        new Promise<OAuth2Token>((r) => {
          release = () => r(tok(2));
        }),
    );
    await new Promise((r) => setTimeout(r, 50));
    await expect(b.refreshLocked("p", async () => tok(3))).rejects.toThrow(
      /timed out .* waiting for another process .*"p"/,
    );
    release();
    await holding;
    expect(await b.get("p")).toEqual(tok(2));
    a.close();
    b.close();
  });
});
