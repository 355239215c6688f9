/**
 * Trust, "resolveProfile returns a Profile" and "In-memory OAuth2 profiles": core's openClient
 * on what resolveProfile returns (PAT/Basic and OAuth2 from a file, the token store next to that
 * file), and on an OAuth2 client-credentials profile built in memory (token in memory, nothing on
 * disk; with `profileName`, the store). Real files in temp folders, the emulator for HTTP, and a
 * child process whose HOME / XDG_CONFIG_HOME / cwd are a temp folder for the "nothing on disk" check.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Profile as ClientProfile } from "@dhis2w/client";
import {
  addProfile,
  explainProfile,
  loginProfile,
  openClient,
  Profile,
  profileFromEnv,
  resolveProfile,
  SqliteTokenStore,
} from "@dhis2w/core";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { visitAuthorizeUrl } from "./support/oauth2-browser.js";

const here = path.dirname(fileURLToPath(import.meta.url));
// By file URL: the worker's cwd is a temp folder, where a bare "tsx" would not resolve.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const clientId = "dhis2w-demo"; // the emulator's pre-registered demo client
const clientSecret = "dhis2w-demo-secret";

let emu: RunningEmulator;
let root: string;
let where: { globalDir: string; start: string; env: Record<string, string> };
const projectDir = () => path.join(where.start, ".dhis2");

beforeAll(async () => {
  emu = await startEmulator({ seed: "demo", port: 0 });
});
afterAll(() => emu.close());
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "d2w-ctx-"));
  where = { globalDir: path.join(root, "cfg", "dhis2"), start: path.join(root, "repo"), env: {} };
  mkdirSync(where.start, { recursive: true });
  emu.app.extensions.oauth2!.configure({ consent: "auto" });
  emu.app.extensions.oauth2!.resetStats();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe("Trust: resolveProfile returns a Profile", () => {
  it("openClient(resolveProfile(name)) connects as in the seed; explainProfile tells where it came from; Profile is exported by core", async () => {
    const basic = Profile.parse({ baseUrl: emu.url, auth: "basic", username: "admin", password: "district" });
    await addProfile("staging", basic, where);

    const profile = resolveProfile("staging", where);
    expect(profile).toEqual(basic);
    expect(Profile.safeParse(profile).success).toBe(true);
    {
      await using client = await openClient(resolveProfile("staging", where));
      expect((await client.system.me()).username).toBe("admin");
    }
    {
      await using client = await openClient(profileFromEnv(where));
      expect((await client.system.me()).username).toBe("admin");
    }
    expect(explainProfile("staging", where)).toEqual({
      profile: basic,
      name: "staging",
      source: "explicit",
      scope: "global",
      path: path.join(where.globalDir, "profiles.toml"),
    });
    expect(explainProfile(undefined, where)).toMatchObject({ name: "staging", source: "global-default" });
    expect(explainProfile(undefined, { ...where, env: { DHIS2_URL: emu.url, DHIS2_PAT: "d2p_x" } })).toEqual({
      profile: { baseUrl: emu.url, auth: "pat", token: "d2p_x" },
      source: "env:raw",
    });
  });

  it("openClient(resolveProfile(oauth2 name)) uses the token d2w profile login stored next to the profile's file", async () => {
    const oauth: ClientProfile = {
      baseUrl: emu.url,
      auth: "oauth2",
      clientId,
      clientSecret,
      redirectUri: "http://127.0.0.1:0/callback",
    };
    await addProfile("my-oauth", oauth, { ...where, scope: "project" });
    await loginProfile("my-oauth", {
      profile: resolveProfile("my-oauth", where),
      openBrowser: async (url) => void (await visitAuthorizeUrl(url, emu.url)),
    });
    const oauth2 = emu.app.extensions.oauth2!;
    expect(oauth2.stats.authorizationCodeGrants).toBe(1);
    expect(existsSync(path.join(projectDir(), "tokens.sqlite"))).toBe(true);

    oauth2.resetStats();
    {
      await using client = await openClient(resolveProfile("my-oauth", where));
      expect((await client.system.me()).username).toBe("admin");
    }
    expect(oauth2.stats.tokenRequests).toBe(0); // the stored token, not a new login
    expect(existsSync(path.join(where.globalDir, "tokens.sqlite"))).toBe(false);
  });

  it("a client-credentials profile from a file keeps its token in that file's store", async () => {
    const svc: ClientProfile = { baseUrl: emu.url, auth: "oauth2", clientId, clientSecret };
    await addProfile("svc", svc, { ...where, scope: "project" });
    const oauth2 = emu.app.extensions.oauth2!;
    for (let i = 0; i < 2; i++) {
      await using client = await openClient(resolveProfile("svc", where));
      expect((await client.system.me()).username).toBe("admin");
    }
    expect(oauth2.stats.clientCredentialsGrants).toBe(1); // the second open used the stored token
    const store = new SqliteTokenStore({ path: path.join(projectDir(), "tokens.sqlite"), scope: "project" });
    expect(await store.get("svc")).toMatchObject({ tokenType: expect.any(String) });
    store.close();
    expect(existsSync(path.join(where.globalDir, "tokens.sqlite"))).toBe(false);
  });
});

/** Runs the worker with its HOME, XDG_CONFIG_HOME and cwd in `home`. */
function runWorker(
  home: string,
  mode: "memory" | "named",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cwd = path.join(home, "work");
  mkdirSync(cwd, { recursive: true });
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", TSX, "--conditions=source", path.join(here, "in-memory-oauth2-worker.ts")],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: home,
          XDG_CONFIG_HOME: path.join(home, "config"),
          EMU_URL: emu.url,
          MODE: mode,
        },
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

describe("Trust: in-memory OAuth2 profiles", () => {
  it("an OAuth2 client-credentials Profile without profileName keeps its token in memory and writes nothing to disk", async () => {
    const home = path.join(root, "home");
    const oauth2 = emu.app.extensions.oauth2!;
    // Every request sees an expiring token: the renewals happen in memory too.
    oauth2.configure({ accessTokenTtlMs: 1_000 });
    try {
      const r = await runWorker(home, "memory");
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ usernames: ["admin", "admin", "admin"] });
      expect(oauth2.stats.clientCredentialsGrants).toBeGreaterThan(1);
      expect(filesUnder(home)).toEqual([]);
    } finally {
      oauth2.configure({ accessTokenTtlMs: 300_000 });
    }
  }, 60_000);

  it("with { profileName } the token goes to the store under the user's config folder", async () => {
    const home = path.join(root, "home");
    const r = await runWorker(home, "named");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ usernames: ["admin", "admin", "admin"] });
    expect(filesUnder(home)).toContain(path.join("config", "dhis2", "tokens.sqlite"));
    const store = new SqliteTokenStore({
      path: path.join(home, "config", "dhis2", "tokens.sqlite"),
      scope: "global",
    });
    expect(await store.get("svc")).toBeDefined();
    store.close();
  }, 60_000);

  it("an in-memory OAuth2 profile with a redirectUri and no profileName says how to get its token", async () => {
    const p = Profile.parse({
      baseUrl: emu.url,
      auth: "oauth2",
      clientId,
      clientSecret,
      redirectUri: "http://127.0.0.1:0/callback",
    });
    await expect(openClient(p)).rejects.toThrow(
      /d2w profile login NAME.*resolveProfile\(NAME\).*profileName/,
    );
  });
});
