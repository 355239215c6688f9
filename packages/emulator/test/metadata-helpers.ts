/** Shared setup of the metadata tests: an emulator (the metadata module is in `src/modules.ts`). */

import type { VersionKey } from "@dhis2w/client";
import { afterAll, beforeAll } from "vitest";
import { createEmulator, type Emulator } from "../src/create.js";
import { ADMIN } from "./emulator-helpers.js";

/** An in-process emulator of `version` with the demo seed (or an empty one), reached through `emu.fetch`. */
export async function startMetadataEmulator(
  version: VersionKey = "v42",
  seed: "demo" | "empty" = "demo",
): Promise<Emulator> {
  return createEmulator({ version, seed });
}

/** What {@link api} returns: one method per HTTP verb, paths relative to `/api`. */
export type MetadataApi = ReturnType<typeof api>;

/** A tiny wrapper of `emu.fetch` with admin Basic auth. */
export function api(emu: Emulator) {
  const call = async (method: string, path: string, body?: unknown, contentType = "application/json") => {
    const res = await emu.fetch(`${emu.url}/api${path}`, {
      method,
      headers: { Authorization: ADMIN, ...(body !== undefined ? { "Content-Type": contentType } : {}) },
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

/**
 * One emulator for the whole test file: started before the first test, closed after the last.
 * `http` can be taken at once (it reaches the emulator when called); read `emu` inside tests.
 */
export function useMetadataEmulator(
  version: VersionKey = "v42",
  seed: "demo" | "empty" = "demo",
): { readonly emu: Emulator; readonly http: MetadataApi } {
  let emu: Emulator | undefined;
  let client: MetadataApi | undefined;
  beforeAll(async () => {
    emu = await startMetadataEmulator(version, seed);
    client = api(emu);
  });
  afterAll(async () => {
    await emu?.close();
  });
  const started = (): MetadataApi => {
    if (!client)
      throw new Error("useMetadataEmulator: the emulator is not started yet (use it inside a test)");
    return client;
  };
  const http: MetadataApi = {
    get: (path) => started().get(path),
    post: (path, body) => started().post(path, body),
    put: (path, body) => started().put(path, body),
    patch: (path, body, contentType) => started().patch(path, body, contentType),
    delete: (path) => started().delete(path),
  };
  return {
    get emu() {
      if (!emu)
        throw new Error("useMetadataEmulator: the emulator is not started yet (use it inside a test)");
      return emu;
    },
    http,
  };
}
