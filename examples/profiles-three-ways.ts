/**
 * Tutorial section "Profiles — three ways to build one":
 *   A. a named profile from a profiles.toml file (here a project file in a throwaway folder,
 *      written with `addProfile(..., { scope: "project", start })`, read with `resolveProfile`);
 *   B. raw environment variables (`DHIS2_URL` + `DHIS2_PAT`) through `profileFromEnv`;
 *   C. in memory with `Profile.parse`: PAT, Basic and OAuth2 client credentials (its token is
 *      kept in memory: nothing is written to disk).
 * Every path ends in the same `openClient(profile)` and the same `client.system.me()`; a profile
 * from `resolveProfile` knows its file, so an OAuth2 one finds its stored token on its own.
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
import {
  addProfile,
  createPat,
  explainProfile,
  openClient,
  Profile,
  profileFromEnv,
  resolveProfile,
} from "@dhis2w/core";
import { localTarget } from "./_emulator.js";
import { runIfMain } from "./_support.js";

async function whoAmI(label: string, profile: Profile): Promise<void> {
  await using client = await openClient(profile);
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
    const where = { start: tmp, globalDir: tmp, env: {} };
    const explained = explainProfile("staging", where);
    console.log(
      `  resolved "${explained.name}" (${explained.source}) from ${path.relative(tmp, explained.path!)}`,
    );
    await whoAmI(`staging (${explained.profile.auth})`, resolveProfile("staging", where));

    // B. Raw environment variables: no file needed (CI, containers).
    console.log("B. from environment variables");
    if (pat) {
      const fromEnv = profileFromEnv({
        env: { DHIS2_URL: baseUrl, DHIS2_PAT: pat },
        start: tmp,
        globalDir: tmp,
      });
      await whoAmI("DHIS2_URL + DHIS2_PAT", fromEnv);
    } else {
      console.log("  skipped: set DHIS2_PAT to run it against your server");
    }

    // C. In memory: a validated Profile, nothing persisted.
    console.log("C. in memory");
    if (pat) {
      await whoAmI("PAT", Profile.parse({ baseUrl, auth: "pat", token: pat }));
    } else {
      console.log("  PAT: skipped (set DHIS2_PAT)");
    }
    if (target.profile.auth === "basic") {
      const { username, password } = target.profile;
      await whoAmI("Basic (dev only)", Profile.parse({ baseUrl, auth: "basic", username, password }));
    } else {
      console.log("  Basic: skipped (set DHIS2_USERNAME + DHIS2_PASSWORD)");
    }
    const clientId = target.emu ? "dhis2w-demo" : env.DHIS2_OAUTH_CLIENT_ID;
    const clientSecret = target.emu ? "dhis2w-demo-secret" : env.DHIS2_OAUTH_CLIENT_SECRET;
    if (clientId && clientSecret) {
      const oauth2 = Profile.parse({ baseUrl, auth: "oauth2", clientId, clientSecret, scope: "ALL" });
      // No profileName: the token is fetched and renewed in memory, never stored.
      await whoAmI("OAuth2 client credentials", oauth2);
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
