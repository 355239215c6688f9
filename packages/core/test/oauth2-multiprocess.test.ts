import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { authorizeUrl, createPkcePair, requestToken, tokenUrlFor } from "@dhis2w/client";
import { SqliteTokenStore } from "@dhis2w/core";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const clientId = "dhis2w-demo"; // the emulator's pre-registered demo client
const clientSecret = "dhis2w-demo-secret";
const redirectUri = "http://127.0.0.1:8765/callback";

let emu: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ seed: "empty", port: 0 });
  dir = mkdtempSync(path.join(tmpdir(), "d2w-mp-"));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Worker {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", path.join(here, "oauth2-refresh-worker.ts")],
    {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  let stdout = "";
  let stderr = "";
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.startsWith("ready\n")) markReady();
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      markReady(); // a worker that died before "ready" must not hang the barrier
      resolve({ code, stdout: stdout.replace(/^ready\n/, ""), stderr });
    });
  });
  return { ready, done, go: () => child.stdin.end("go\n") };
}

describe("token store across processes", () => {
  it("ten processes with one expired token: the token endpoint sees exactly one refresh and all ten succeed", async () => {
    const pkce = await createPkcePair();
    const url = authorizeUrl({
      baseUrl: emu.url,
      clientId,
      redirectUri,
      state: "s",
      codeChallenge: pkce.challenge,
    });
    const first = await fetch(url, { redirect: "manual" });
    const second = await fetch(new URL(first.headers.get("location")!, url), { redirect: "manual" });
    const code = new URL(second.headers.get("location")!).searchParams.get("code")!;
    const token = await requestToken(
      { tokenUrl: tokenUrlFor(emu.url), clientId, clientSecret },
      "authorization_code",
      {
        code,
        redirect_uri: redirectUri,
        code_verifier: pkce.verifier,
      },
    );
    const db = path.join(dir, ".dhis2", "tokens.sqlite");
    const store = new SqliteTokenStore({ path: db, scope: "project" });
    await store.set("shared", { ...token, expiresAt: Date.now() - 60_000 });
    store.close();
    emu.app.extensions.oauth2!.resetStats();

    // A barrier: every worker starts up (slowly), says "ready", and they all go at once.
    const env = { DB: db, EMU_URL: emu.url, PROFILE: "shared" };
    const workers = Array.from({ length: 10 }, () => startWorker(env));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const results = await Promise.all(workers.map((w) => w.done));

    for (const r of results) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout.trim())).toEqual({ status: 200, username: "admin" });
    }
    expect(emu.app.extensions.oauth2!.stats.refreshTokenGrants).toBe(1);
    expect(emu.app.extensions.oauth2!.stats.failedTokenRequests).toBe(0);
    const after = new SqliteTokenStore({ path: db, scope: "project" });
    const stored = (await after.get("shared"))!;
    after.close();
    expect(stored.refreshToken).not.toBe(token.refreshToken);
    expect(stored.expiresAt).toBeGreaterThan(Date.now());
  }, 120_000);
});
