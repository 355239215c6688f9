/**
 * The interactive OAuth2 login (`d2w profile login <name>`): authorization code with PKCE and a
 * loopback receiver, then `openClient` with the stored token (refreshed automatically).
 * Against a real DHIS2 (DHIS2_URL, DHIS2_OAUTH_CLIENT_ID, DHIS2_OAUTH_CLIENT_SECRET,
 * DHIS2_OAUTH_REDIRECT_URI) it opens your browser; against the embedded emulator the script plays
 * the browser itself.
 *
 *   npx tsx --conditions=source examples/oauth2-pkce-login.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Profile } from "@dhis2w/client";
import { loginProfile, type OpenBrowser, openClient, openSystemBrowser } from "@dhis2w/core";
import { startEmulator } from "@dhis2w/emulator";
import { runIfMain } from "./_support.js";

/** Stands in for the user's browser: follows the server's redirects, then calls the loopback receiver. */
const scriptedBrowser: OpenBrowser = async (authorizationUrl) => {
  let url = new URL(authorizationUrl);
  const server = url.origin;
  while (url.origin === server) {
    const res = await fetch(url, { redirect: "manual" });
    url = new URL(res.headers.get("location")!, url);
  }
  await fetch(url); // the loopback receiver answers "Logged in"
};

export async function main(): Promise<void> {
  const env = process.env;
  const real = env.DHIS2_URL && env.DHIS2_OAUTH_CLIENT_ID && env.DHIS2_OAUTH_CLIENT_SECRET;
  const version = (env.DHIS2_EMULATOR_VERSION ?? "v42") as "v41" | "v42" | "v43";
  const emu = real ? undefined : await startEmulator({ version, port: 0, seed: "empty" });
  const project = mkdtempSync(path.join(tmpdir(), "d2w-example-"));
  try {
    const profile: Profile = {
      baseUrl: real ? env.DHIS2_URL! : emu!.url,
      auth: "oauth2",
      clientId: real ? env.DHIS2_OAUTH_CLIENT_ID! : "dhis2w-demo",
      clientSecret: real ? env.DHIS2_OAUTH_CLIENT_SECRET! : "dhis2w-demo-secret",
      scope: "ALL",
      // Port 0 takes any free port; the emulator, like RFC 8252, accepts any loopback port.
      redirectUri: real
        ? (env.DHIS2_OAUTH_REDIRECT_URI ?? "http://localhost:8765")
        : "http://127.0.0.1:0/callback",
    };
    const login = await loginProfile("my-oidc", {
      profile,
      scope: "project",
      start: project,
      openBrowser: real ? openSystemBrowser : scriptedBrowser,
    });
    console.log(`logged in (${login.grant}); refresh token: ${login.hasRefreshToken ? "yes" : "no"}`);
    await using client = await openClient(profile, {
      profileName: "my-oidc",
      scope: "project",
      start: project,
    });
    const me = await client.system.me();
    console.log(`DHIS2 ${client.rawVersion}: hello ${me.username}`);
  } finally {
    rmSync(project, { recursive: true, force: true });
    await emu?.close();
  }
}

runIfMain(import.meta.url, main);
