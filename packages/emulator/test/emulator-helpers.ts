import { createEmulator, type Emulator, type StartEmulatorOptions, startEmulator } from "@dhis2w/emulator";
import { afterEach } from "vitest";

/** `Authorization` header value for Basic auth. */
export const basic = (user: string, password: string) =>
  "Basic " + Buffer.from(`${user}:${password}`).toString("base64");

export const ADMIN = basic("admin", "district");

/** Emulators started with `wire: true`: {@link call} reaches them with the runtime's `fetch`. */
const WIRED = new WeakSet<Emulator>();

/** Options of a test emulator: `wire: true` serves it over `node:http` instead of in process. */
export interface TestEmulatorOptions extends StartEmulatorOptions {
  /** Needs a real socket (redirect/keep-alive/reset/414/413 on the wire, chunked encoding). */
  wire?: boolean;
}

/**
 * Starts an emulator that is closed after the current test. By default it has no server and is
 * reached through `emu.fetch` (no port, no socket); `{ wire: true }` listens on loopback.
 */
export function useEmulator(): (opts?: TestEmulatorOptions) => Promise<Emulator> {
  const started: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((e) => e.close()));
  });
  return async (opts = {}) => {
    const { wire, ...rest } = opts;
    const emu = wire
      ? await startEmulator({ version: "v42", ...rest })
      : await createEmulator({ version: "v42", ...rest });
    started.push(emu);
    if (wire) WIRED.add(emu);
    return emu;
  };
}

/**
 * GET (or another method) with admin Basic auth unless headers say otherwise: through
 * `emu.fetch`, or over a socket with the runtime's `fetch` for a `wire: true` emulator.
 */
export function call(
  emu: Emulator,
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<Response> {
  const send = WIRED.has(emu) ? fetch : emu.fetch;
  return send(emu.url + path, { ...init, headers: { Authorization: ADMIN, ...init.headers } });
}
