import { Dhis2ApiError, Dhis2Client, PatAuth } from "@dhis2w/client";
import { describe, expect, it } from "vitest";
import { fakeServer, json, systemInfo } from "./support/fake-server.js";

const auth = new PatAuth({ token: "tok" });

function setup(routes: Parameters<typeof fakeServer>[0], ttl?: number | null) {
  let now = 1_000_000;
  const server = fakeServer({ "GET /api/system/info": () => systemInfo("2.42.4"), ...routes });
  const client = new Dhis2Client({
    baseUrl: "http://dhis2.test",
    auth,
    fetch: server.fetch,
    now: () => now,
    ...(ttl === undefined ? {} : { systemCacheTtlMs: ttl }),
  });
  return {
    server,
    client,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("client.system", () => {
  it("quirk: me() types /api/me, tolerating extra fields and bare-UID programs", async () => {
    const { client } = setup({
      "GET /api/me": () =>
        json({
          id: "xE7jOejl9FI",
          username: "admin",
          displayName: "John Traore",
          organisationUnits: [{ id: "ImspTQPwCqd" }],
          authorities: ["ALL"],
          programs: ["IpHINAT79UW", { id: "eBAyeGv0exc" }],
          somethingNew: 1,
        }),
    });
    const me = await client.system.me();
    expect(me.username).toBe("admin");
    expect(me.organisationUnits?.[0]?.id).toBe("ImspTQPwCqd");
    expect(me.programs).toEqual(["IpHINAT79UW", "eBAyeGv0exc"]);
    expect((me as Record<string, unknown>).somethingNew).toBe(1);
  });

  it("defaultCategoryComboUid() looks it up once and caches it", async () => {
    const { client, server } = setup({
      "GET /api/categoryCombos": (call) =>
        call.url.searchParams.get("filter") === "name:eq:default"
          ? json({ categoryCombos: [{ id: "bjDvmb4bfuf" }] })
          : json({}),
    });
    expect(await client.system.defaultCategoryComboUid()).toBe("bjDvmb4bfuf");
    expect(await client.system.defaultCategoryComboUid()).toBe("bjDvmb4bfuf");
    expect(server.count("/api/categoryCombos")).toBe(1);
    expect(server.calls[0]?.url.searchParams.get("fields")).toBe("id");
  });

  it("defaultCategoryComboUid() throws instead of guessing when there is none", async () => {
    const { client } = setup({ "GET /api/categoryCombos": () => json({ categoryCombos: [] }) });
    await expect(client.system.defaultCategoryComboUid()).rejects.toThrow(
      /no category combo named 'default'/,
    );
  });

  it("setting() handles { key: value }, a bare value, and an unknown key", async () => {
    const { client } = setup({
      "GET /api/systemSettings/applicationTitle": () => json({ applicationTitle: "Sierra Leone HMIS" }),
      "GET /api/systemSettings/keyCacheStrategy": () =>
        new Response("CACHE_6AM_TOMORROW", { headers: { "content-type": "text/plain" } }),
      "GET /api/systemSettings/keyAnalyticsMaxLimit": () => json(50000),
      "GET /api/systemSettings/nope": () => json({ message: "Setting does not exist" }, 404),
      "GET /api/systemSettings/broken": () => json({ message: "boom" }, 500),
    });
    expect(await client.system.setting("applicationTitle")).toBe("Sierra Leone HMIS");
    expect(await client.system.setting("keyCacheStrategy")).toBe("CACHE_6AM_TOMORROW");
    expect(await client.system.setting("keyAnalyticsMaxLimit")).toBe(50000);
    expect(await client.system.setting("nope")).toBeUndefined();
    await expect(client.system.setting("broken")).rejects.toBeInstanceOf(Dhis2ApiError);
  });

  it("expires entries after systemCacheTtlMs and drops them on invalidateCache", async () => {
    let title = "A";
    const { client, server, advance } = setup(
      { "GET /api/systemSettings/applicationTitle": () => json({ applicationTitle: title }) },
      10_000,
    );
    expect(await client.system.setting("applicationTitle")).toBe("A");
    title = "B";
    advance(9_999);
    expect(await client.system.setting("applicationTitle")).toBe("A");
    advance(2);
    expect(await client.system.setting("applicationTitle")).toBe("B");
    title = "C";
    client.system.invalidateCache({ key: "setting:applicationTitle" });
    expect(await client.system.setting("applicationTitle")).toBe("C");
    expect(server.count("/api/systemSettings/applicationTitle")).toBe(3);
  });

  it("shares one request between concurrent callers and forgets failures", async () => {
    let calls = 0;
    const { client } = setup({
      "GET /api/categoryCombos": () =>
        ++calls === 1 ? json({ message: "boom" }, 500) : json({ categoryCombos: [{ id: "bjDvmb4bfuf" }] }),
    });
    await expect(client.system.defaultCategoryComboUid()).rejects.toThrow(/boom/);
    const both = await Promise.all([
      client.system.defaultCategoryComboUid(),
      client.system.defaultCategoryComboUid(),
    ]);
    expect(both).toEqual(["bjDvmb4bfuf", "bjDvmb4bfuf"]);
    expect(calls).toBe(2);
  });

  it("null disables the cache", async () => {
    const { client, server } = setup({}, null);
    await client.connect();
    await client.system.info();
    await client.system.info();
    expect(server.count("/api/system/info")).toBe(3);
  });
});
