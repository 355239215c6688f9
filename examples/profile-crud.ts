/**
 * Profiles, both ways: an in-memory `Profile` (nothing touches disk), then the on-disk service
 * (add / list / show / rename / set-default / remove) in an isolated temp folder, so it is safe to
 * re-run and never touches ~/.config/dhis2. With DHIS2_URL + DHIS2_PAT (or DHIS2_USERNAME +
 * DHIS2_PASSWORD) set, it also verifies a profile against that server.
 *
 *   npx tsx --conditions=source examples/profile-crud.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Profile, profileFromEnvRaw } from "@dhis2w/client";
import {
  addProfile,
  explainProfile,
  listProfiles,
  removeProfile,
  renameProfile,
  setDefaultProfile,
  showProfile,
  verifyProfile,
} from "@dhis2w/core";

/** What {@link main} reads and where it prints; injectable so a test can run it in-process. */
export interface ProfileCrudOptions {
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
}

export async function main({ env = process.env, log = console.log }: ProfileCrudOptions = {}): Promise<void> {
  // A. In memory: a validated Profile, never persisted.
  const inMemory = Profile.parse({
    baseUrl: "http://localhost:8080",
    auth: "basic",
    username: "admin",
    password: "district",
  });
  log(`in-memory profile: ${inMemory.auth} -> ${inMemory.baseUrl}`);

  // B. On disk, isolated: a temp "home" for the global file and a temp project for .dhis2/.
  const root = mkdtempSync(path.join(os.tmpdir(), "dhis2w-profile-crud-"));
  const opts = { globalDir: path.join(root, "config", "dhis2"), start: path.join(root, "project"), env: {} };
  try {
    await addProfile("local", inMemory, opts);
    await addProfile(
      "staging",
      { baseUrl: "https://staging.example.org", auth: "pat", token: "d2p_example" },
      opts,
    );
    await addProfile(
      "local",
      { ...inMemory, baseUrl: "http://127.0.0.1:8080" },
      { ...opts, scope: "project" },
    );
    log("added: local (global), staging (global), local (project, shadows the global one)");

    for (const p of await listProfiles({ ...opts, includeShadowed: true })) {
      const flags = [p.isDefault ? "default" : "", p.shadowed ? "shadowed" : ""].filter(Boolean).join(", ");
      log(`  ${p.scope.padEnd(7)} ${p.name.padEnd(8)} ${p.auth} ${p.baseUrl}${flags ? ` (${flags})` : ""}`);
    }

    const shown = await showProfile("staging", opts);
    log(`show staging: token=${shown.profile.token} (redacted unless includeSecrets)`);

    await renameProfile("staging", "stage", opts);
    await setDefaultProfile("stage", { ...opts, scope: "global" });
    const picked = explainProfile(undefined, { ...opts, start: root });
    log(
      `renamed staging -> stage and made it the global default; resolved: ${picked.name} (${picked.source})`,
    );

    const removed = await removeProfile("stage", opts);
    log(
      `removed ${removed.name} from ${path.relative(root, removed.path)} (default cleared: ${removed.clearedDefault})`,
    );
    log(
      `global file now:\n${indent(readFileSync(removed.path, "utf8").replace(/password = .*/g, 'password = "***"'))}`,
    );

    // C. Optional: verify a profile from the environment against a real server.
    const fromEnv = profileFromEnvRaw(env);
    if (!fromEnv) {
      log("verify: skipped (set DHIS2_URL + DHIS2_PAT, or DHIS2_USERNAME + DHIS2_PASSWORD, to run it)");
      return;
    }
    await addProfile("from-env", fromEnv, opts);
    const result = await verifyProfile("from-env", opts);
    if (!result.ok) throw new Error(`verify failed: ${result.error}`);
    log(`verify: ${result.user} on DHIS2 ${result.version} in ${result.latencyMs} ms`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
