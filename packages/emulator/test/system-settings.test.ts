/**
 * `/api/systemSettings` per version: 2.41's `SystemSettingController` over the `SettingKey` enum,
 * 2.42/2.43's `SystemSettingsController` over `SystemSettings` (keys, defaults, errors).
 */
import { describe, expect, it } from "vitest";
import { basic, call, useEmulator } from "./emulator-helpers.js";

const DISTRICT = basic("district", "district");
const text = (body: string) => ({ method: "POST", body, headers: { "Content-Type": "text/plain" } });

describe("GET /api/systemSettings: the whole key set with DHIS2's defaults", () => {
  const start = useEmulator();

  it.each([
    ["v41", 108],
    ["v42", 148],
    ["v43", 145],
  ] as const)("%s answers %i keys on a fresh server, no confidential one", async (version, count) => {
    const emu = await start({ version, seed: "empty" });
    const all = (await (await call(emu, "/api/systemSettings")).json()) as Record<string, unknown>;
    expect(Object.keys(all)).toHaveLength(count);
    expect(all).not.toHaveProperty("keyEmailPassword");
    expect(all).toMatchObject({
      applicationTitle: "DHIS 2",
      keyUiLocale: "en",
      keyEmailPort: 587,
      keyEmailTls: true,
      factorDeviation: 2,
      keyCacheStrategy: "CACHE_1_MINUTE",
      keyAnalysisRelativePeriod: "LAST_12_MONTHS",
      keyLastSuccessfulDataSynch: "1970-01-01T00:00:00.000",
    });
  });

  it("renders enums by name on 2.41 and by toString on 2.42+; 2.41 leaves keys without default out", async () => {
    const v41 = await start({ version: "v41", seed: "empty" });
    const a = (await (await call(v41, "/api/systemSettings")).json()) as Record<string, unknown>;
    expect(a.keyAnalysisDisplayProperty).toBe("NAME");
    expect(a).not.toHaveProperty("keyApplicationIntro");
    expect(a.keySmsSetting).toEqual({ gateways: [] });
    const v43 = await start({ version: "v43", seed: "empty" });
    const c = (await (await call(v43, "/api/systemSettings")).json()) as Record<string, unknown>;
    expect(c.keyAnalysisDisplayProperty).toBe("name");
    expect(c.keyApplicationIntro).toBe("");
    expect(c.analyticsWeeklyStart).toBe("WEEKLY");
    expect(c).not.toHaveProperty("keyStyle"); // gone in 2.43
  });
});

describe.each(["v41", "v42", "v43"] as const)("system settings writes on %s", (version) => {
  const start = useEmulator();

  it("POST /{key} with a text body, ?value= or JSON; GET /{key} answers { key: value } typed", async () => {
    const emu = await start({ version, seed: "empty" });
    const set = await call(emu, "/api/systemSettings/applicationTitle", text("Sierra Leone HMIS"));
    expect(set.status).toBe(200);
    expect((await set.json()).message).toBe(
      "System setting 'applicationTitle' set to value 'Sierra Leone HMIS'.",
    );
    expect(await (await call(emu, "/api/systemSettings/applicationTitle")).json()).toEqual({
      applicationTitle: "Sierra Leone HMIS",
    });
    await call(emu, "/api/systemSettings/keyEmailPort?value=2525", { method: "POST" });
    await call(emu, "/api/systemSettings/keyEmailTls", text("false"));
    const typed = await (await call(emu, "/api/systemSettings?key=keyEmailPort&key=keyEmailTls")).json();
    expect(typed).toEqual({ keyEmailPort: 2525, keyEmailTls: false });
  });

  it("refuses an unknown key with the version's answer", async () => {
    const emu = await start({ version, seed: "empty" });
    const res = await call(emu, "/api/systemSettings/keyNoSuchThing", text("1"));
    const body = await res.json();
    if (version === "v41") {
      expect(res.status).toBe(409);
      expect(body.message).toBe("Key is not supported: keyNoSuchThing");
    } else {
      expect(res.status).toBe(404);
      expect(body).toMatchObject({ errorCode: "E1005", message: "Setting does not exist: keyNoSuchThing" });
    }
    const read = await call(emu, "/api/systemSettings/keyNoSuchThing");
    expect(read.status).toBe(404);
  });

  it("refuses a value the key's type cannot take (400) and a write without F_SYSTEM_SETTING (403)", async () => {
    const emu = await start({ version, seed: "empty" });
    const bad = await call(emu, "/api/systemSettings/keyEmailPort", text("many"));
    expect(bad.status).toBe(400);
    if (version !== "v41") {
      expect(await bad.json()).toMatchObject({
        errorCode: "E1003",
        message: "Not a valid value for setting keyEmailPort: many",
      });
    }
    const denied = await call(emu, "/api/systemSettings/applicationTitle", {
      ...text("Mine"),
      headers: { "Content-Type": "text/plain", Authorization: DISTRICT },
    });
    expect(denied.status).toBe(403);
  });

  it("DELETE /{key} goes back to the default", async () => {
    const emu = await start({ version, seed: "empty" });
    await call(emu, "/api/systemSettings/applicationTitle", text("Temporary"));
    expect((await call(emu, "/api/systemSettings/applicationTitle", { method: "DELETE" })).status).toBe(204);
    expect(await (await call(emu, "/api/systemSettings/applicationTitle")).json()).toEqual({
      applicationTitle: "DHIS 2",
    });
  });

  it("keeps a confidential setting from users who are not superusers", async () => {
    const emu = await start({ version, seed: "empty" });
    await call(emu, "/api/systemSettings/keyEmailPassword", text("s3cret"));
    const res = await call(emu, "/api/systemSettings/keyEmailPassword", {
      headers: { Authorization: DISTRICT },
    });
    expect(res.status).toBe(version === "v41" ? 404 : 403);
    expect(await (await call(emu, "/api/systemSettings/keyEmailPassword")).json()).toEqual({
      keyEmailPassword: "s3cret",
    });
  });
});

describe("2.41 takes a JSON body verbatim, 2.42+ parse it", () => {
  const start = useEmulator();
  it.each(["v41", "v42"] as const)("%s", async (version) => {
    const emu = await start({ version, seed: "empty" });
    await call(emu, "/api/systemSettings/applicationTitle", {
      method: "POST",
      body: '"Quoted"',
      headers: { "Content-Type": "application/json" },
    });
    const { applicationTitle } = await (await call(emu, "/api/systemSettings/applicationTitle")).json();
    expect(applicationTitle).toBe(version === "v41" ? '"Quoted"' : "Quoted");
  });
});
