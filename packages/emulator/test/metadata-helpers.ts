/** Shared setup of the metadata tests: an emulator (the metadata module is in `src/modules.ts`). */
import { type RunningEmulator, startEmulator } from "../src/server.js";
import type { VersionKey } from "../src/versions.js";

/** Starts an emulator of `version` with the demo seed (or an empty one). */
export async function startMetadataEmulator(
  version: VersionKey = "v42",
  seed: "demo" | "empty" = "demo",
): Promise<RunningEmulator> {
  return startEmulator({ version, seed });
}

/** A tiny fetch wrapper with admin Basic auth. */
export function api(emu: RunningEmulator) {
  const auth = `Basic ${Buffer.from("admin:district").toString("base64")}`;
  const call = async (method: string, path: string, body?: unknown, contentType = "application/json") => {
    const res = await fetch(`${emu.url}/api${path}`, {
      method,
      headers: { Authorization: auth, ...(body !== undefined ? { "Content-Type": contentType } : {}) },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests poke into arbitrary JSON answers
    const json: any = text ? JSON.parse(text) : undefined;
    return { status: res.status, json, headers: res.headers };
  };
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body: unknown) => call("POST", path, body),
    put: (path: string, body: unknown) => call("PUT", path, body),
    patch: (path: string, body: unknown, contentType = "application/json-patch+json") =>
      call("PATCH", path, body, contentType),
    delete: (path: string) => call("DELETE", path),
  };
}
