/**
 * `client.system.settings()` and `.setSetting(key, value)` against the emulator on each version,
 * with the per-key cache of `setting(key)` dropped by a write.
 */
import { BasicAuth, Dhis2ApiError, Dhis2Client, Dhis2ClientError } from "@dhis2w/client";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(["v41", "v42", "v43"] as const)("system settings on %s", (version) => {
  let emu: Emulator;
  let client: Dhis2Client;

  beforeAll(async () => {
    emu = await createEmulator({ version, seed: "empty" });
    client = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
  });
  afterAll(async () => {
    await client?.close();
    await emu?.close();
  });

  it("settings() answers every key the server lists, typed, without confidential ones", async () => {
    const all = await client.system.settings();
    expect(Object.keys(all).length).toBe({ v41: 108, v42: 148, v43: 145 }[version]);
    expect(all.applicationTitle).toBe("DHIS 2");
    expect(all.keyEmailPort).toBe(587);
    expect(all.keyEmailTls).toBe(true);
    expect(all).not.toHaveProperty("keyEmailPassword");
  });

  it("setSetting writes strings, numbers and booleans and drops the cached setting(key)", async () => {
    expect(await client.system.setting("applicationTitle")).toBe("DHIS 2");
    await client.system.setSetting("applicationTitle", "Sierra Leone HMIS");
    expect(await client.system.setting("applicationTitle")).toBe("Sierra Leone HMIS");
    expect(emu.stats.count("/api/systemSettings/applicationTitle", "GET")).toBe(2);

    await client.system.setSetting("keyEmailPort", 2525);
    await client.system.setSetting("keyEmailTls", false);
    const all = await client.system.settings();
    expect(all).toMatchObject({
      applicationTitle: "Sierra Leone HMIS",
      keyEmailPort: 2525,
      keyEmailTls: false,
    });
  });

  it("a string that looks like JSON is stored as that text on every version", async () => {
    await client.system.setSetting("keyApplicationIntro", '"quoted" and {braces}');
    expect(await client.system.setting("keyApplicationIntro")).toBe('"quoted" and {braces}');
  });

  it("null resets a setting to its default", async () => {
    await client.system.setSetting("keyFlag", "sierra_leone");
    expect(await client.system.setting("keyFlag")).toBe("sierra_leone");
    await client.system.setSetting("keyFlag", null);
    expect(await client.system.setting("keyFlag")).toBe("dhis2");
  });

  it("an unknown key or a value of the wrong type is DHIS2's error, thrown as Dhis2ApiError", async () => {
    const unknown = await client.system.setSetting("keyNoSuchThing", "x").catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Dhis2ApiError);
    expect((unknown as Dhis2ApiError).statusCode).toBe(version === "v41" ? 409 : 404);
    const wrong = await client.system.setSetting("keyEmailPort", "many").catch((e: unknown) => e);
    expect((wrong as Dhis2ApiError).statusCode).toBe(400);
  });

  it("refuses an object value or a malformed key before any request", async () => {
    const before = emu.stats.total;
    await expect(client.system.setSetting("applicationTitle", { a: 1 } as never)).rejects.toThrow(
      /a setting is a string, number or boolean \(null resets it\), got object/,
    );
    await expect(client.system.setSetting("a/b", "x")).rejects.toBeInstanceOf(Dhis2ClientError);
    await expect(client.system.setSetting("keyEmailPort", Number.NaN)).rejects.toThrow(/got NaN/);
    expect(emu.stats.total).toBe(before);
  });
});
