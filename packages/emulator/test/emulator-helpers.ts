import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "@dhis2w/emulator";
import { afterEach } from "vitest";

/** `Authorization` header value for Basic auth. */
export const basic = (user: string, password: string) =>
  "Basic " + Buffer.from(`${user}:${password}`).toString("base64");

export const ADMIN = basic("admin", "district");

/** Starts an emulator that is closed after the current test. */
export function useEmulator(): (opts?: StartEmulatorOptions) => Promise<RunningEmulator> {
  const started: RunningEmulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((e) => e.close()));
  });
  return async (opts) => {
    const emu = await startEmulator({ version: "v42", ...opts });
    started.push(emu);
    return emu;
  };
}

/** GET (or another method) with admin Basic auth unless headers say otherwise. */
export function call(
  emu: RunningEmulator,
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(emu.url + path, { ...init, headers: { Authorization: ADMIN, ...init.headers } });
}
