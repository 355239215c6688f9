/**
 * Trust, "Lock waits honour abort and timeouts": a call waiting for the OAuth2 refresh lock of
 * another process (or of another call in this process) stops when its signal aborts, and a lock
 * whose holder died is taken over at once rather than after its TTL. Two OS processes: the lock
 * holder is token-store-lock-holder.ts, which takes the lock and hangs inside the refresh.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { OAuth2Token } from "@dhis2w/client";
import { SqliteTokenStore } from "@dhis2w/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
let db: string;
let holder: ChildProcessWithoutNullStreams | undefined;

const tok = (n: number): OAuth2Token => ({
  accessToken: `at-${n}`,
  refreshToken: `rt-${n}`,
  expiresAt: 1_000 + n,
});

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "d2w-lockwait-"));
  db = path.join(dir, "tokens.sqlite");
  const store = new SqliteTokenStore({ path: db, scope: "project" });
  await store.set("p", tok(1));
  store.close();
});
afterEach(() => {
  if (holder && holder.exitCode === null && holder.signalCode === null) holder.kill("SIGKILL");
  holder = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Starts another process that takes the refresh lock of "p" (with this TTL) and never finishes. */
async function holdLockInAnotherProcess(ttlMs: number): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", path.join(here, "token-store-lock-holder.ts")],
    { env: { ...process.env, DB: db, PROFILE: "p", TTL: String(ttlMs) }, stdio: "pipe" },
  );
  holder = child;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes("locked")) resolve();
    });
    child.once("exit", () => reject(new Error("lock holder exited early")));
  });
  child.removeAllListeners("exit");
  return child;
}

/** A store that waits with a sleep which counts its pauses and runs `onPause(n)` in each. */
function waitingStore(onPause: (n: number) => void = () => undefined) {
  const pauses = { count: 0 };
  const store = new SqliteTokenStore({
    path: db,
    scope: "project",
    lockWaitMs: 3_000,
    pollIntervalMs: 20,
    sleep: async (ms) => {
      pauses.count++;
      onPause(pauses.count);
      await new Promise((r) => setTimeout(r, ms));
    },
  });
  return { store, pauses };
}

describe("Trust: lock waits honour abort and timeouts", () => {
  it("a wait for another process's refresh lock ends when the caller's signal aborts; the refresh never runs", async () => {
    await holdLockInAnotherProcess(60_000);
    const controller = new AbortController();
    const reason = new Error("the caller gave up");
    const { store, pauses } = waitingStore((n) => {
      if (n === 3) controller.abort(reason);
    });
    let refreshes = 0;
    const refresh = async () => {
      refreshes++;
      return tok(2);
    };
    await expect(store.refreshLocked("p", refresh, { signal: controller.signal })).rejects.toBe(reason);
    expect(pauses.count).toBe(3); // no attempt after the abort
    expect(refreshes).toBe(0);

    // A request's timeout signal (what the client passes) ends the wait with its TimeoutError.
    await expect(
      store.refreshLocked("p", refresh, { signal: AbortSignal.timeout(100) }),
    ).rejects.toMatchObject({
      name: "TimeoutError",
    });
    // An already aborted signal does not even try.
    const before = pauses.count;
    await expect(store.refreshLocked("p", refresh, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(pauses.count).toBe(before);
    expect(refreshes).toBe(0);
    expect(await store.get("p")).toEqual(tok(1));
    store.close();
  });

  it("a wait behind another refresh of the same key in this process ends on abort too", async () => {
    const store = new SqliteTokenStore({ path: db, scope: "project" });
    let release: () => void = () => undefined;
    const first = store.refreshLocked(
      "p",
      () =>
        new Promise<OAuth2Token>((r) => {
          release = () => r(tok(2));
        }),
    );
    const controller = new AbortController();
    let secondRan = false;
    const second = store.refreshLocked(
      "p",
      async () => {
        secondRan = true;
        return tok(3);
      },
      { signal: controller.signal },
    );
    controller.abort(new Error("stop waiting"));
    await expect(second).rejects.toThrow("stop waiting");
    release();
    expect(await first).toEqual(tok(2));
    expect(secondRan).toBe(false);
    expect(await store.get("p")).toEqual(tok(2));
    store.close();
  });

  it("a lock whose holder died is taken over at once, not after its TTL", async () => {
    const child = await holdLockInAnotherProcess(60_000); // a TTL far beyond the wait below
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;

    const { store, pauses } = waitingStore();
    let seen: OAuth2Token | undefined;
    const next = await store.refreshLocked("p", async (stored) => {
      seen = stored;
      return tok(2);
    });
    expect(pauses.count).toBe(0); // never waited
    expect(seen).toEqual(tok(1)); // the stored pair survived the holder's death
    expect(next).toEqual(tok(2));
    expect(await store.get("p")).toEqual(tok(2));
    store.close();
  });

  it("a live holder keeps its lock past the TTL by extending it (nobody takes it over while it works)", async () => {
    await holdLockInAnotherProcess(1_500); // extended every 300 ms while the holder lives
    const { store, pauses } = waitingStore();
    let refreshes = 0;
    const error = await store
      .refreshLocked("p", async () => {
        refreshes++;
        return tok(2);
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TokenStoreError", problem: "busy" });
    expect(String(error)).toMatch(/timed out after 3000 ms waiting for another process \(\d+\)/);
    expect(pauses.count).toBeGreaterThan(10);
    expect(refreshes).toBe(0);
    store.close();
  }, 20_000);
});
