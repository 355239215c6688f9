/**
 * OAuth2 for a service account: the client-credentials grant. `openClient` from @dhis2w/core
 * fetches a token for a profile without `redirectUri`, stores it under (scope, profile name) and
 * renews it when it expires. Runs against DHIS2_URL with DHIS2_OAUTH_CLIENT_ID and
 * DHIS2_OAUTH_CLIENT_SECRET when set, else against an embedded emulator and its demo client.
 *
 *   npx tsx --conditions=source examples/oauth2-client-credentials.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Profile } from "@dhis2w/client";
import { openClient, tokenStoreForScope } from "@dhis2w/core";
import { startEmulator } from "@dhis2w/emulator";
import { runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const { DHIS2_URL, DHIS2_OAUTH_CLIENT_ID, DHIS2_OAUTH_CLIENT_SECRET } = process.env;
  const real = DHIS2_URL && DHIS2_OAUTH_CLIENT_ID && DHIS2_OAUTH_CLIENT_SECRET;
  const version = (process.env.DHIS2_EMULATOR_VERSION ?? "v42") as "v41" | "v42" | "v43";
  const emu = real ? undefined : await startEmulator({ version, port: 0, seed: "empty" });
  // A throwaway project folder, so the example never touches your real token store.
  const project = mkdtempSync(path.join(tmpdir(), "d2w-example-"));
  try {
    const profile: Profile = {
      baseUrl: real ? DHIS2_URL : emu!.url,
      auth: "oauth2",
      clientId: real ? DHIS2_OAUTH_CLIENT_ID : "dhis2w-demo",
      clientSecret: real ? DHIS2_OAUTH_CLIENT_SECRET : "dhis2w-demo-secret",
      scope: "ALL",
    };
    await using client = await openClient(profile, {
      profileName: "service",
      scope: "project",
      start: project,
    });
    const me = await client.system.me();
    console.log(`DHIS2 ${client.rawVersion}: logged in as ${me.username} with a client-credentials token`);
    const stored = await tokenStoreForScope("project", { start: project }).get("service");
    console.log(
      `token stored for profile "service", valid until ${new Date(stored!.expiresAt).toISOString()}`,
    );
  } finally {
    rmSync(project, { recursive: true, force: true });
    await emu?.close();
  }
}

runIfMain(import.meta.url, main);
