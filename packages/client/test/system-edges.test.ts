/**
 * `/api/system/info` after an analytics table run, and `/api/me?fields=`, through the client
 * against the emulator (`emu.fetch`), on every version (dhis2-core `SystemInfo`,
 * `DefaultSystemService`, `MeController#getCurrentUser`).
 */
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { createEmulator, type Emulator, type EmulatorOptions, fixedClock } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function setup(opts: EmulatorOptions) {
  const emu = await createEmulator({ seed: "demo", ...opts });
  running.push(emu);
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
    sleep: async () => {},
    systemCacheTtlMs: null,
  });
  return { emu, client };
}

const START = Date.parse("2025-06-01T08:00:00Z");

describe.each(["v41", "v42", "v43"] as const)("/api/system/info on %s", (version) => {
  it("reports the last analytics table run: its start, the time since, and its runtime", async () => {
    let now = START;
    const { emu, client } = await setup({ version, clock: { now: () => now } });
    emu.app.extensions.tasks!.pacing = { stepsPerPoll: 1, stepMs: null };
    const kickoff = await client.maintenance.refreshAnalytics();
    const ref = kickoff.taskRef()!;
    now += 3_456; // the run takes 3.456 s
    emu.app.extensions.tasks!.settle();
    now += 2 * 3600_000 + 5 * 60_000 + 3_000; // 2 h 5 m 3 s later
    const info = await client.system.info();
    expect(ref.jobType).toBe("ANALYTICS_TABLE");
    expect(info.lastAnalyticsTableSuccess).toBe("2025-06-01T08:00:00.000");
    expect(info.lastAnalyticsTableRuntime).toBe("00:00:03.456");
    expect(info.intervalSinceLastAnalyticsTableSuccess).toBe("2 h, 5 m, 6 s");
  });

  it("before any run: 2.41 leaves the keys out, 2.42+ send the epoch and an empty runtime", async () => {
    const { client } = await setup({ version, clock: fixedClock(START) });
    const info = await client.system.info();
    if (version === "v41") {
      expect(info).not.toHaveProperty("lastAnalyticsTableSuccess");
      expect(info).not.toHaveProperty("lastAnalyticsTableRuntime");
      expect(info).not.toHaveProperty("intervalSinceLastAnalyticsTableSuccess");
    } else {
      expect(info.lastAnalyticsTableSuccess).toBe("1970-01-01T00:00:00.000");
      expect(info.lastAnalyticsTableRuntime).toBe("");
      expect(info.intervalSinceLastAnalyticsTableSuccess).toBe(`${Math.floor(START / 3600_000)} h`);
    }
    // SystemInfo declares isMetadataSyncEnabled but nothing sets it; metadataSyncEnabled is no key.
    expect(info).not.toHaveProperty("isMetadataSyncEnabled");
    expect(info).not.toHaveProperty("metadataSyncEnabled");
    expect(info.isMetadataVersionEnabled).toBe(false);
    if (version === "v43") {
      expect(info.sessionTimeout).toBe(3600);
      expect(info.capability).toEqual({ analyticsTotalCounts: false });
    } else expect(info).not.toHaveProperty("sessionTimeout");
  });

  it("gives a non-superuser the reduced view (withoutSensitiveInfo)", async () => {
    const { emu } = await setup({ version });
    const user = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "district", password: "district" }),
    });
    const info = await user.system.info();
    expect(info).not.toHaveProperty("javaVersion");
    expect(info.databaseInfo).toEqual({ spatialSupport: true, time: expect.any(String) });
    expect(info.encryption).toBe(false);
  });
});

describe.each(["v41", "v42", "v43"] as const)("/api/me fields on %s", (version) => {
  it("honours fields=id (one key, not the whole user)", async () => {
    const { client } = await setup({ version });
    expect(await client.getRaw("/api/me", { params: { fields: "id" } })).toEqual({ id: "M5zQapPyTZI" });
    const whole = await client.getRaw("/api/me");
    expect(Object.keys(whole).length).toBeGreaterThan(20);
  });

  it("reads through me(): presets, exclusions, renames and sub-fields of org units from the store", async () => {
    const { client } = await setup({ version });
    const me = await client.system.me({
      fields:
        "id,username,organisationUnits[id,name,level],settings[keyUiLocale],!email,name~rename(fullName)",
    });
    expect(Object.keys(me).sort()).toEqual(["fullName", "id", "organisationUnits", "settings", "username"]);
    expect(me.organisationUnits?.[0]).toMatchObject({
      id: expect.any(String),
      name: expect.any(String),
      level: 1,
    });
    expect(me.settings).toEqual({ keyUiLocale: "en" });
    const all = await client.system.me({ fields: "*,!authorities" });
    expect(all).not.toHaveProperty("authorities");
    expect(all.username).toBe("admin");
  });
});
