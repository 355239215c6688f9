/**
 * Plumbing for the examples that need the embedded emulator itself (fault injection, request
 * counts, a fake version string), not just a profile: like `exampleTarget()`, but the running
 * emulator is returned too. With `DHIS2_URL` set there is no emulator (`emu` is undefined) and
 * the example skips its emulator-only parts with a printed note.
 */
import { isVersionKey, type Profile, profileFromEnvRaw, VERSION_KEYS, type VersionKey } from "@dhis2w/client";
import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "@dhis2w/emulator";

/** The emulated DHIS2 version the examples use (`DHIS2_EMULATOR_VERSION`, default v42). */
export function emulatorVersion(): VersionKey {
  const v = process.env.DHIS2_EMULATOR_VERSION ?? "v42";
  if (!isVersionKey(v)) {
    throw new Error(
      `DHIS2_EMULATOR_VERSION must be one of ${VERSION_KEYS.join(", ")}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/** A target and, when embedded, the emulator behind it. */
export interface LocalTarget {
  profile: Profile;
  /** The embedded emulator; `undefined` against a real server (`DHIS2_URL`). */
  emu: RunningEmulator | undefined;
  close(): Promise<void>;
}

/** `DHIS2_URL`-based profile when set, else an embedded emulator (admin/district, Basic). */
export async function localTarget(options: Omit<StartEmulatorOptions, "port"> = {}): Promise<LocalTarget> {
  const fromEnv = profileFromEnvRaw();
  if (fromEnv) return { profile: fromEnv, emu: undefined, close: async () => {} };
  const emu = await startEmulator({ version: emulatorVersion(), seed: "demo", ...options, port: 0 });
  return {
    profile: { baseUrl: emu.url, auth: "basic", username: "admin", password: "district" },
    emu,
    close: () => emu.close(),
  };
}

/** Starts an extra emulator (for the parts that only make sense against one). */
export function startLocalEmulator(
  options: Omit<StartEmulatorOptions, "port"> = {},
): Promise<RunningEmulator> {
  return startEmulator({ version: emulatorVersion(), seed: "demo", ...options, port: 0 });
}
