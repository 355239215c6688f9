/**
 * The data store and system settings services over real HTTP against the emulator, on each
 * version: what the CLI and the MCP server call.
 */
import type { Profile } from "@dhis2w/client";
import {
  dataStoreDelete,
  dataStoreGet,
  dataStoreKeys,
  dataStoreNamespaces,
  dataStoreQuery,
  dataStoreSet,
  setSystemSetting,
  systemSetting,
  systemSettings,
} from "@dhis2w/core";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(["v41", "v42", "v43"] as const)("data store services on %s", (version) => {
  let emu: RunningEmulator;
  let profile: Profile;
  beforeAll(async () => {
    emu = await startEmulator({ version, seed: "empty" });
    profile = { baseUrl: emu.url, auth: "basic", username: "admin", password: "district" };
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("set, get (text as sent and value), keys, namespaces, query, delete", async () => {
    expect(await dataStoreSet(profile, "svc", "a", { n: 1, label: "one" })).toEqual({ created: true });
    expect(await dataStoreSet(profile, "svc", "b", { n: 2 })).toEqual({ created: true });
    expect(await dataStoreGet(profile, "svc", "a")).toEqual({
      text: '{"n": 1, "label": "one"}',
      value: { n: 1, label: "one" },
    });
    expect(await dataStoreGet(profile, "svc", "zz")).toBeUndefined();
    expect(await dataStoreKeys(profile, "svc")).toEqual(["a", "b"]);
    expect(await dataStoreNamespaces(profile)).toEqual(["svc"]);
    expect(await dataStoreQuery(profile, "svc", { fields: "n", limit: 1 })).toEqual({
      entries: [{ key: "a", n: 1 }],
      truncated: true,
    });
    expect(await dataStoreDelete(profile, "svc", "a")).toBe(true);
    expect(await dataStoreDelete(profile, "svc", undefined)).toBe(true);
    expect(await dataStoreNamespaces(profile)).toEqual([]);
  });

  it("works on the user data store with { user: true }", async () => {
    await dataStoreSet(profile, "mine", "k", "v", { user: true });
    expect(await dataStoreNamespaces(profile, { user: true })).toEqual(["mine"]);
    expect(await dataStoreKeys(profile, "mine")).toEqual([]);
    expect((await dataStoreGet(profile, "mine", "k", { user: true, username: "admin" }))?.value).toBe("v");
  });

  it("system settings: all, one, set and read back, reset", async () => {
    expect((await systemSettings(profile)).applicationTitle).toBe("DHIS 2");
    expect(await setSystemSetting(profile, "applicationTitle", "Services HMIS")).toBe("Services HMIS");
    expect(await systemSetting(profile, "applicationTitle")).toBe("Services HMIS");
    expect(await setSystemSetting(profile, "applicationTitle", null)).toBe("DHIS 2");
  });
});
