/**
 * Shared plumbing for the runnable examples: each example runs against a real server when
 * `DHIS2_URL` (+ `DHIS2_PAT` or `DHIS2_USERNAME`/`DHIS2_PASSWORD`) is set, and otherwise against
 * an embedded `@dhis2w/emulator` seeded with demo data, so `npx tsx --conditions=source
 * examples/<name>.ts` always works. CI runs every example (see `examples/examples.test.ts`).
 */
import { pathToFileURL } from "node:url";
import { type Profile, profileFromEnvRaw } from "@dhis2w/client";
import { startEmulator } from "@dhis2w/emulator";
import { emulatorVersion } from "./_emulator.js";

/** A profile to run against, and a function to release what was started for it. */
export interface ExampleTarget {
  profile: Profile;
  /** True when the example talks to the embedded emulator. */
  embedded: boolean;
  close(): Promise<void>;
}

/** `DHIS2_URL`-based profile when set; else an embedded emulator (version from `DHIS2_EMULATOR_VERSION`). */
export async function exampleTarget(): Promise<ExampleTarget> {
  const fromEnv = profileFromEnvRaw();
  if (fromEnv) return { profile: fromEnv, embedded: false, close: async () => {} };
  const emu = await startEmulator({ version: emulatorVersion(), port: 0, seed: "demo" });
  return {
    profile: { baseUrl: emu.url, auth: "basic", username: "admin", password: "district" },
    embedded: true,
    close: () => emu.close(),
  };
}

/** Runs `main` when the module is the entry point (`tsx examples/x.ts`), exiting non-zero on failure. */
export function runIfMain(metaUrl: string, main: () => Promise<void>): void {
  const entry = process.argv[1];
  if (!entry || pathToFileURL(entry).href !== metaUrl) return;
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
