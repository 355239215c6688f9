import { fixedClock, isValidUid } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

describe("/api/system/info", () => {
  const start = useEmulator();

  it.each([
    ["v41", "2.41.8.1"],
    ["v42", "2.42.4.1"],
    ["v43", "2.43.0"],
  ] as const)("%s reports version %s", async (version, versionString) => {
    const emu = await start({ version, seed: "empty" });
    const info = await (await call(emu, "/api/system/info")).json();
    expect(info.version).toBe(versionString);
    expect(info.contextPath).toBe(emu.url);
    expect(info).toHaveProperty("revision");
    expect(info).toHaveProperty("buildTime");
    expect(info).toHaveProperty("systemId");
    expect(info.calendar).toBe("iso8601");
  });

  it.each(["2.41-SNAPSHOT", "2.44.0", "2.40.3"])("takes the override %s", async (versionString) => {
    const emu = await start({ version: "v41", versionString, seed: "empty" });
    expect((await (await call(emu, "/api/system/info")).json()).version).toBe(versionString);
  });

  it("stamps serverDate from the injected clock", async () => {
    const emu = await start({ seed: "empty", clock: fixedClock(Date.UTC(2025, 0, 31, 12, 0, 0, 250)) });
    expect((await (await call(emu, "/api/system/info")).json()).serverDate).toBe("2025-01-31T12:00:00.250");
  });

  it("quirk: answers a JSON 401 without credentials", async () => {
    const emu = await start({ seed: "empty" });
    const res = await emu.fetch(`${emu.url}/api/system/info`);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ httpStatusCode: 401, status: "ERROR" });
  });

  it("answers ping without auth", async () => {
    const emu = await start({ seed: "empty" });
    const res = await emu.fetch(`${emu.url}/api/system/ping`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("pong");
  });
});

describe("/api/me", () => {
  const start = useEmulator();

  it("quirk: has the 2.41+ shape with programs and dataSets as bare UIDs", async () => {
    const emu = await start();
    const me = await (await call(emu, "/api/me")).json();
    expect(me).toMatchObject({ username: "admin", authorities: expect.arrayContaining(["ALL"]) });
    expect(isValidUid(me.id)).toBe(true);
    expect(me.organisationUnits).toEqual([{ id: emu.demo!.root }]);
    expect(me.dataSets).toEqual([emu.demo!.dataSet]);
    expect(Array.isArray(me.programs)).toBe(true);
    for (const p of me.programs) expect(typeof p).toBe("string");
    expect(me.userRoles[0]).toEqual({ id: expect.any(String) });
    expect(me.settings.keyUiLocale).toBe("en");
  });

  it("shows the non-admin user's own scope", async () => {
    const emu = await start();
    const me = await (await call(emu, "/api/me", { headers: { Authorization: basicDistrict() } })).json();
    expect(me.username).toBe("district");
    expect(me.authorities).not.toContain("ALL");
    expect(me.organisationUnits).toEqual([{ id: emu.demo!.regions[0] }]);
  });

  it("quirk: answers /api/me/authorization/{auth} with a bare boolean", async () => {
    const emu = await start({ seed: "empty" });
    const res = await call(emu, "/api/me/authorization/F_DATAVALUE_ADD", {
      headers: { Authorization: basicDistrict() },
    });
    expect(await res.text()).toBe("true");
    const no = await call(emu, "/api/me/authorization/F_METADATA_IMPORT", {
      headers: { Authorization: basicDistrict() },
    });
    expect(await no.text()).toBe("false");
  });
});

function basicDistrict(): string {
  return "Basic " + Buffer.from("district:district").toString("base64");
}

describe("/api/systemSettings", () => {
  const start = useEmulator();

  it("lists real keys, reads one, sets one through the query and through a JSON map", async () => {
    const emu = await start({ seed: "empty" });
    const all = await (await call(emu, "/api/systemSettings")).json();
    expect(all).toMatchObject({ applicationTitle: "DHIS 2", keyUiLocale: "en" });

    expect(await (await call(emu, "/api/systemSettings/applicationTitle")).json()).toEqual({
      applicationTitle: "DHIS 2",
    });

    const set = await call(emu, "/api/systemSettings/applicationTitle?value=Emuland%20HMIS", {
      method: "POST",
    });
    expect(set.status).toBe(200);
    expect((await set.json()).status).toBe("OK");
    expect(await (await call(emu, "/api/systemSettings/applicationTitle")).json()).toEqual({
      applicationTitle: "Emuland HMIS",
    });

    await call(emu, "/api/systemSettings", {
      method: "POST",
      body: JSON.stringify({ keyUiLocale: "fr", keyAnalyticsMaxLimit: 5000 }),
      headers: { "Content-Type": "application/json" },
    });
    const after = await (
      await call(emu, "/api/systemSettings?key=keyUiLocale&key=keyAnalyticsMaxLimit")
    ).json();
    expect(after).toEqual({ keyUiLocale: "fr", keyAnalyticsMaxLimit: 5000 });
    // /api/me reflects the system default locale.
    expect((await (await call(emu, "/api/me")).json()).settings.keyUiLocale).toBe("fr");
  });

  it("sets a value sent as the text body", async () => {
    const emu = await start({ seed: "empty" });
    await call(emu, "/api/systemSettings/keyEmailPort", {
      method: "POST",
      body: "2525",
      headers: { "Content-Type": "text/plain" },
    });
    expect(await (await call(emu, "/api/systemSettings/keyEmailPort")).json()).toEqual({
      keyEmailPort: 2525,
    });
  });
});

describe("/api/system/id", () => {
  const start = useEmulator();

  it("returns the requested number of valid, unique UIDs", async () => {
    const emu = await start({ seed: "empty" });
    const { codes } = await (await call(emu, "/api/system/id?limit=500")).json();
    expect(codes).toHaveLength(500);
    expect(new Set(codes).size).toBe(500);
    for (const c of codes) expect(isValidUid(c)).toBe(true);
    expect((await (await call(emu, "/api/system/id")).json()).codes).toHaveLength(1);
  });

  it("rejects a bad limit with a 400 WebMessage", async () => {
    const emu = await start({ seed: "empty" });
    const res = await call(emu, "/api/system/id?limit=abc");
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain("limit");
  });
});

describe("not found and redirects", () => {
  const start = useEmulator();

  it("answers a JSON WebMessage 404 for unknown API paths", async () => {
    const emu = await start({ seed: "empty" });
    const res = await call(emu, "/api/noSuchThing/abc");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ httpStatus: "Not Found", httpStatusCode: 404, status: "ERROR" });
  });

  it("quirk: answers Tomcat HTML 404 for unknown non-API paths and for rawData without .json", async () => {
    const emu = await start({ seed: "empty" });
    for (const path of ["/dhis-web-nothing/index.html", "/api/analytics/rawData"]) {
      const res = await call(emu, path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await res.text()).toContain("HTTP Status 404");
    }
  });

  // Redirects are wire facts: the runtime's own fetch reads them off a socket here.
  it("redirects / to the login app", async () => {
    const emu = await start({ seed: "empty", wire: true });
    const res = await fetch(`${emu.url}/`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${emu.url}/dhis-web-login/`);
    const followed = await fetch(`${emu.url}/`);
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(`${emu.url}/dhis-web-login/`);
  });

  it("quirk: redirects / to another origin when told to", async () => {
    const emu = await start({
      seed: "empty",
      redirectRootTo: "https://play.example.invalid/dhis/",
      wire: true,
    });
    const res = await fetch(`${emu.url}/`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://play.example.invalid/dhis/");
  });
});
