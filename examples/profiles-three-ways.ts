/**
 * Tutorial section "Profiles — three ways to build one":
 *   A. a named profile from a profiles.toml file (here a project file in a throwaway folder,
 *      written with `addProfile(..., { scope: "project", start })`, read with `resolveProfile`);
 *   B. raw environment variables (`DHIS2_URL` + `DHIS2_PAT`) through `profileFromEnv`;
 *   C. in memory with `Profile.parse`: PAT, Basic and OAuth2 client credentials.
 * Every path ends in the same `openClient(profile)` and the same `client.system.me()`.
 *
 * Against the embedded emulator it mints a PAT with `createPat` first and uses the emulator's demo
 * OAuth2 client (`dhis2w-demo`). Against a real server (DHIS2_URL set) it uses DHIS2_PAT when set
 * and DHIS2_OAUTH_CLIENT_ID/DHIS2_OAUTH_CLIENT_SECRET when set, and skips what is missing (it
 * never mints tokens on your server).
 *
 *   npx tsx --conditions=source examples/profiles-three-ways.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Profile } from "@dhis2w/client";
import { addProfile, createPat, openClient, profileFromEnv, resolveProfile } from "@dhis2w/core";
import { localTarget } from "./_emulator.js";
import { runIfMain } from "./_support.js";

async function whoAmI(label: string, profile: Profile, tmp: string, profileName?: string): Promise<void> {
  // profileName + a project scope in the temp folder: where an OAuth2 token is stored (ignored for PAT/Basic).
  await using client = await openClient(profile, {
    profileName: profileName ?? "example",
    scope: "project",
    start: tmp,
  });
  const me = await client.system.me();
  console.log(`  ${label.padEnd(28)} -> ${me.username} on DHIS2 ${client.rawVersion}`);
}

export async function main(): Promise<void> {
  const target = await localTarget();
  const tmp = mkdtempSync(path.join(tmpdir(), "d2w-profiles-"));
  const { env } = process;
  try {
    const baseUrl = target.profile.baseUrl;
    let pat: string | undefined;
    if (target.emu) {
      // DHIS2 shows a PAT's key once, in the answer to POST /api/apiToken.
      pat = (
        await createPat({
          url: baseUrl,
          adminUser: "admin",
          adminPassword: "district",
          description: "example",
        })
      ).key;
      console.log("minted a PAT on the emulator (its key is not printed)");
    } else {
      pat = target.profile.auth === "pat" ? target.profile.token : env.DHIS2_PAT;
    }

    // A. A named profile in a TOML file; project scope in a temp folder, never your ~/.config/dhis2.
    console.log("A. named profile from profiles.toml");
    await addProfile("staging", target.profile, { scope: "project", start: tmp, globalDir: tmp });
    const resolved = resolveProfile("staging", { start: tmp, globalDir: tmp, env: {} });
    console.log(
      `  resolved "${resolved.name}" (${resolved.source}) from ${path.relative(tmp, resolved.path!)}`,
    );
    await whoAmI(`staging (${resolved.profile.auth})`, resolved.profile, tmp, "staging");

    // B. Raw environment variables: no file needed (CI, containers).
    console.log("B. from environment variables");
    if (pat) {
      const fromEnv = profileFromEnv({
        env: { DHIS2_URL: baseUrl, DHIS2_PAT: pat },
        start: tmp,
        globalDir: tmp,
      });
      await whoAmI("DHIS2_URL + DHIS2_PAT", fromEnv, tmp);
    } else {
      console.log("  skipped: set DHIS2_PAT to run it against your server");
    }

    // C. In memory: a validated Profile, nothing persisted.
    console.log("C. in memory");
    if (pat) {
      await whoAmI("PAT", Profile.parse({ baseUrl, auth: "pat", token: pat }), tmp);
    } else {
      console.log("  PAT: skipped (set DHIS2_PAT)");
    }
    if (target.profile.auth === "basic") {
      const { username, password } = target.profile;
      await whoAmI("Basic (dev only)", Profile.parse({ baseUrl, auth: "basic", username, password }), tmp);
    } else {
      console.log("  Basic: skipped (set DHIS2_USERNAME + DHIS2_PASSWORD)");
    }
    const clientId = target.emu ? "dhis2w-demo" : env.DHIS2_OAUTH_CLIENT_ID;
    const clientSecret = target.emu ? "dhis2w-demo-secret" : env.DHIS2_OAUTH_CLIENT_SECRET;
    if (clientId && clientSecret) {
      const oauth2 = Profile.parse({ baseUrl, auth: "oauth2", clientId, clientSecret, scope: "ALL" });
      await whoAmI("OAuth2 client credentials", oauth2, tmp, "service");
    } else {
      console.log("  OAuth2: skipped (set DHIS2_OAUTH_CLIENT_ID + DHIS2_OAUTH_CLIENT_SECRET)");
    }

    // A profile that is missing its credential fails validation, naming the field (never a value).
    const bad = Profile.safeParse({ baseUrl, auth: "pat" });
    console.log(
      `invalid profile: ${bad.success ? "accepted?!" : bad.error.issues.map((i) => i.message).join("; ")}`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await target.close();
  }
}

runIfMain(import.meta.url, main);
