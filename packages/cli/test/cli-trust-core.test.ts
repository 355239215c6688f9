/**
 * The Trust items that core fixes, seen from `d2w` in-process (`run([...])` with its own streams,
 * environment and working directory in a temp folder): passwords in URLs, the project
 * `.gitignore`, and token store errors.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { run } from "@dhis2w/cli";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

let root: string;
let cwd: string;
let configHome: string;
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: "empty", port: 0 });
});
afterAll(() => emu.close());

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "d2w-trust-core-"));
  cwd = path.join(root, "project");
  configHome = path.join(root, "config");
  mkdirSync(cwd, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A writable that keeps what was written. */
function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, done) {
      w.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  w.text = "";
  return w;
}

/** `d2w ...argv` in-process: exit code and everything printed. */
async function d2w(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await run(argv, {
    stdout,
    stderr,
    cwd,
    env: { HOME: root, XDG_CONFIG_HOME: configHome, PATH: process.env.PATH ?? "", ...env },
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const USER = "cliuser-Hv31";
const PASSWORD = "clipass-Rt58";
const URL_WITH_CREDENTIALS = `http://${USER}:${PASSWORD}@127.0.0.1:9/dhis`;

describe("Trust: passwords in URLs (d2w)", () => {
  it("d2w profile add --url user:password@host is refused, says --username and DHIS2_PASSWORD, stores nothing, echoes nothing", async () => {
    for (const [args, env] of [
      [["profile", "add", "dev", "--url", URL_WITH_CREDENTIALS, "--auth", "pat", "--token", "d2p_x"], {}],
      [
        ["--verbose", "profile", "add", "dev", "--from-env", "--scope", "project"],
        { DHIS2_URL: URL_WITH_CREDENTIALS, DHIS2_PAT: "d2p_x" },
      ],
    ] as const) {
      const r = await d2w([...args], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("--username");
      expect(r.stderr).toContain("DHIS2_PASSWORD");
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(USER);
      }
    }
    expect(existsSync(path.join(configHome, "dhis2", "profiles.toml"))).toBe(false);
    expect(existsSync(path.join(cwd, ".dhis2", "profiles.toml"))).toBe(false);
  });

  it("--verbose with DHIS2_URL holding user:password@ refuses it and never prints the user info", async () => {
    const r = await d2w(["--verbose", "system", "info"], {
      DHIS2_URL: URL_WITH_CREDENTIALS,
      DHIS2_USERNAME: "admin",
      DHIS2_PASSWORD: "district",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("DHIS2_URL must not hold a user name or password");
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(USER);
    }
  });
});

describe("Trust: .gitignore (d2w)", () => {
  it("d2w profile add --scope project in a git checkout leaves .dhis2/profiles.toml ignored, not untracked", async () => {
    const git = (...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" });
    git("init", "-q");
    const r = await d2w([
      "profile",
      "add",
      "dev",
      "--url",
      "http://127.0.0.1:9",
      "--auth",
      "pat",
      "--token",
      "d2p_cliGITIGNORE",
      "--scope",
      "project",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(existsSync(path.join(cwd, ".dhis2", "profiles.toml"))).toBe(true);
    expect(git("status", "--porcelain", "--untracked-files=all")).toBe("");
  });
});

describe("Trust: token store errors (d2w)", () => {
  it("a corrupted tokens.sqlite exits 1 (not 70) with the file and the fix", async () => {
    const add = await d2w(
      [
        "profile",
        "add",
        "svc",
        "--url",
        emu.url,
        "--auth",
        "oauth2",
        "--client-id",
        "dhis2w-demo",
        "--scope",
        "project",
      ],
      { DHIS2_OAUTH_CLIENT_SECRET: "dhis2w-demo-secret" },
    );
    expect(add.code).toBe(0);
    const db = path.join(cwd, ".dhis2", "tokens.sqlite");
    writeFileSync(db, "not a database\n".repeat(100));

    const r = await d2w(["--profile", "svc", "system", "me"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`d2w: the OAuth2 token store ${db} is not a usable SQLite database`);
    expect(r.stderr).toContain(`delete ${db} and log in again (\`d2w profile login svc\`)`);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
