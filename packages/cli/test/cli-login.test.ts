/**
 * `d2w profile login --no-browser` end to end: the child prints DHIS2's authorize URL on stderr,
 * the test plays the browser (the emulator's authorization server consents at once), the child
 * stores the token, and later runs of `d2w` use it. Real process, temporary config and project.
 */
import { statSync } from "node:fs";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliSandbox } from "./support/run-cli.js";

// The emulator's pre-registered demo client; it accepts loopback redirect URIs on any port.
const CLIENT_ID = "dhis2w-demo";
const CLIENT_SECRET = "dhis2w-demo-secret";

let emu: RunningEmulator;
const sandbox = new CliSandbox();

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", seed: "empty" });
});
afterAll(async () => {
  await emu?.close();
  sandbox.dispose();
});

/**
 * Plays the browser: follows the authorization server's redirects while they stay on the
 * emulator, then opens where they lead (d2w's loopback receiver) and returns that page.
 */
async function visit(start: string): Promise<{ status: number; html: string }> {
  const origin = new URL(emu.url).origin;
  let url = new URL(start);
  for (let hop = 0; hop < 5 && url.origin === origin; hop++) {
    const res = await fetch(url, { redirect: "manual" });
    const location = res.headers.get("location");
    if (!location) throw new Error(`no redirect from ${url} (HTTP ${res.status})`);
    url = new URL(location, url);
  }
  const res = await fetch(url);
  return { status: res.status, html: await res.text() };
}

async function addOAuth2Profile(name: string): Promise<void> {
  const add = await sandbox.run(
    [
      "profile",
      "add",
      name,
      "--url",
      emu.url,
      "--auth",
      "oauth2",
      "--client-id",
      CLIENT_ID,
      "--redirect-uri",
      "http://127.0.0.1:0/callback", // port 0: the receiver takes a free one
    ],
    { env: { DHIS2_OAUTH_CLIENT_SECRET: CLIENT_SECRET } },
  );
  expect(add.stderr).toBe("");
  expect(add.code).toBe(0);
}

describe("d2w profile login", () => {
  it("--no-browser prints the URL; visiting it logs in and later runs use the stored token", async () => {
    await addOAuth2Profile("oidc");
    const before = await sandbox.run(["--profile", "oidc", "system", "me"]);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain("d2w profile login oidc");

    emu.app.extensions.oauth2!.resetStats();
    const login = sandbox.start(["profile", "login", "oidc", "--no-browser"]);
    const [, authorize] = await login.waitFor("stderr", /^\s+(http\S+\/oauth2\/authorize\S+)$/m);
    const params = new URL(authorize!).searchParams;
    expect(params.get("client_id")).toBe(CLIENT_ID);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/callback$/);

    const page = await visit(authorize!);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Logged in");

    const done = await login.exited;
    expect(done.stderr).not.toContain("d2w:");
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(
      /^logged in "oidc" \(authorization_code\); token valid until \S+, refreshable$/m,
    );
    expect(emu.app.extensions.oauth2!.stats.authorizationCodeGrants).toBe(1);
    expect(done.stdout + done.stderr).not.toContain(CLIENT_SECRET);

    const tokens = `${sandbox.configHome}/dhis2/tokens.sqlite`;
    expect(statSync(tokens).mode & 0o777).toBe(0o600);

    const me = await sandbox.run(["--profile", "oidc", "--json", "system", "me"]);
    expect(me.stderr).toBe("");
    expect(me.code).toBe(0);
    expect(JSON.parse(me.stdout).username).toBe("admin");
    // The token is in the file: a new process used it, with no second login.
    expect(emu.app.extensions.oauth2!.stats.authorizationCodeGrants).toBe(1);
  });

  it("a denied consent exits 1 with the reason, and stores nothing", async () => {
    await addOAuth2Profile("denied");
    emu.app.extensions.oauth2!.configure({ consent: "deny" });
    try {
      const login = sandbox.start(["profile", "login", "denied", "--no-browser"]);
      const [, authorize] = await login.waitFor("stderr", /^\s+(http\S+\/oauth2\/authorize\S+)$/m);
      const page = await visit(authorize!);
      expect(page.status).toBe(400);
      const done = await login.exited;
      expect(done.code).toBe(1);
      expect(done.stderr).toMatch(/^d2w: .*consent was denied/m);
      expect(done.stdout).toBe("");
    } finally {
      emu.app.extensions.oauth2!.configure({ consent: "auto" });
    }
    const me = await sandbox.run(["--profile", "denied", "system", "me"]);
    expect(me.code).toBe(1);
    expect(me.stderr).toContain("d2w profile login denied");
  });

  it("a profile that is not OAuth2 cannot log in (exit 1, says why)", async () => {
    const added = await sandbox.run(
      ["profile", "add", "basic", "--url", emu.url, "--auth", "basic", "--username", "admin"],
      { env: { DHIS2_PASSWORD: "district" } },
    );
    expect(added.code).toBe(0);
    const r = await sandbox.run(["profile", "login", "basic", "--no-browser"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('d2w: profile "basic" uses auth "basic"; only oauth2 profiles log in');
  });
});
