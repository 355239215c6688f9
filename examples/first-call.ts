/**
 * Tutorial section "Your first call": the two ways to a connected client.
 *
 * 1. `@dhis2w/core`'s `openClient(profileFromEnv())`: the full precedence chain (explicit name,
 *    DHIS2_PROFILE, raw DHIS2_URL + credentials, project then global profiles.toml default).
 * 2. The library-only path: `profileFromEnvRaw()` + `@dhis2w/client`'s `openClient` (PAT and
 *    Basic, no TOML files), throwing `NoProfileError` when the environment has nothing.
 *
 * Runs against DHIS2_URL (+ DHIS2_PAT or DHIS2_USERNAME/DHIS2_PASSWORD) when set; otherwise it
 * starts an embedded emulator and hands its address to both paths through a copied environment
 * (process.env is never modified):
 *
 *   npx tsx --conditions=source examples/first-call.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NoProfileError, openClient as openClientDirect, profileFromEnvRaw } from "@dhis2w/client";
import { explainProfile, openClient, profileFromEnv } from "@dhis2w/core";
import { startLocalEmulator } from "./_emulator.js";
import { runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const real = profileFromEnvRaw() !== undefined;
  const emu = real ? undefined : await startLocalEmulator();
  // An empty folder as "home" and project, so the embedded run never reads your profiles.toml.
  const isolated = mkdtempSync(path.join(tmpdir(), "d2w-first-call-"));
  try {
    const env: Record<string, string | undefined> = real
      ? { ...process.env }
      : {
          ...process.env,
          DHIS2_PROFILE: undefined,
          DHIS2_PAT: undefined,
          DHIS2_URL: emu!.url,
          DHIS2_USERNAME: "admin",
          DHIS2_PASSWORD: "district",
        };
    const where = real ? {} : { start: isolated, globalDir: isolated };

    // 1. The profile-based path (@dhis2w/core).
    const { source } = explainProfile(undefined, { env, ...where });
    {
      await using client = await openClient(profileFromEnv({ env, ...where }));
      console.log(
        `[core] profile from ${source}; connected to DHIS2 ${client.rawVersion} (${client.versionKey})`,
      );
      const me = await client.system.me();
      console.log(`[core]   logged in as: ${me.username} (${me.displayName})`);
    }

    // 2. The library-only path (@dhis2w/client): raw env only, no TOML files.
    const profile = profileFromEnvRaw(env);
    if (profile === undefined) {
      throw new NoProfileError("set DHIS2_URL + DHIS2_PAT (or DHIS2_USERNAME + DHIS2_PASSWORD)");
    }
    {
      await using client = await openClientDirect(profile);
      console.log(`[client] ${profile.auth} profile; connected to DHIS2 ${client.rawVersion}`);
      const me = await client.system.me();
      console.log(`[client]   logged in as: ${me.username} (${me.displayName})`);
    }

    // What a script sees when nothing is configured: undefined from the raw reader, and a
    // NoProfileError from the full chain that lists every place it looked.
    const empty = { HOME: isolated };
    console.log(`profileFromEnvRaw({}) -> ${String(profileFromEnvRaw({}))}`);
    try {
      profileFromEnv({ env: empty, start: isolated, globalDir: isolated });
    } catch (error) {
      if (!(error instanceof NoProfileError)) throw error;
      console.log(`profileFromEnv() with nothing configured -> ${error.name}:`);
      for (const line of error.message.split("\n")) console.log(`    ${line}`);
    }
  } finally {
    rmSync(isolated, { recursive: true, force: true });
    await emu?.close();
  }
}

runIfMain(import.meta.url, main);
