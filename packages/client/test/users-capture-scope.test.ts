/**
 * The real-user flow of an empty server: admin has no capture org unit, so every data write is
 * refused; after `client.users.assignOrganisationUnits(me, { capture })` the same client's next
 * write lands, on every version, although DHIS2 caches the capture scope (2.41/2.42 single
 * values per user and org unit, 2.42 a token's user details) and the emulator reproduces it.
 */
import { BasicAuth, Dhis2ApiError, Dhis2Client, PatAuth } from "@dhis2w/client";
import { createEmulator, DEMO_USERS, type Emulator } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = "EmptyRoot01";
const CHILD = "EmptyChild1";
const DE = "EmptyDatEl1";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function setup(version: "v41" | "v42" | "v43") {
  const emu = await createEmulator({ version, seed: "empty" });
  running.push(emu);
  const admin = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  const report = await admin.metadata.import({
    organisationUnits: [
      { id: ROOT, name: "Root", shortName: "Root", openingDate: "2000-01-01" },
      { id: CHILD, name: "Child", shortName: "Child", openingDate: "2000-01-01", parent: { id: ROOT } },
    ],
    dataElements: [
      {
        id: DE,
        name: "Cases",
        shortName: "Cases",
        valueType: "NUMBER",
        domainType: "AGGREGATE",
        aggregationType: "SUM",
      },
    ],
  } as never);
  expect(report.status).toBe("OK");
  const created = (await admin.postRaw("/api/apiToken", {
    type: "PERSONAL_ACCESS_TOKEN_V2",
    expire: Date.now() + 3_600_000,
  })) as { response: { key: string } };
  const pat = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new PatAuth({ token: created.response.key }),
  });
  return { emu, admin, pat };
}

const single = (client: Dhis2Client, value: number) =>
  client.dataValues.set({ de: DE, pe: "202401", ou: CHILD, value }).then(
    () => "ok",
    (e: unknown) => (e instanceof Dhis2ApiError ? `HTTP ${e.statusCode}` : String(e)),
  );
const imported = async (client: Dhis2Client, value: string) =>
  (
    await client.dataValues.import([{ dataElement: DE, period: "202402", orgUnit: CHILD, value }])
  ).conflicts.map((c) => c.errorCode);

describe.each(["v41", "v42", "v43"] as const)("a new capture org unit on %s", (version) => {
  it("quirk: takes effect for the same client's next data write at once (the server's cached scope is cleared)", async () => {
    const { admin, pat } = await setup(version);
    expect(await single(admin, 1)).toBe("HTTP 409");
    expect(await imported(pat, "1")).toEqual(["E7617"]);

    const done = await admin.users.assignOrganisationUnits(DEMO_USERS.admin.id, { capture: [ROOT] });
    expect(done).toMatchObject({ capture: [ROOT], changed: ["capture"], cacheCleared: true });

    expect(await single(admin, 2)).toBe("ok");
    expect(await imported(admin, "2")).toEqual([]);
    expect(await imported(pat, "3")).toEqual([]);
    await admin.close();
    await pat.close();
  });

  it("quirk: without the cache clear the server keeps the old scope where DHIS2 caches it", async () => {
    const { admin, pat } = await setup(version);
    expect(await single(admin, 1)).toBe("HTTP 409");
    expect(await imported(pat, "1")).toEqual(["E7617"]);
    const done = await admin.users.assignOrganisationUnits(
      DEMO_USERS.admin.id,
      { capture: [ROOT] },
      { clearCache: false },
    );
    expect(done.cacheCleared).toBe(false);
    // 2.41/2.42 keep the single-value answer an hour; 2.42 keeps the token's user details.
    expect(await single(admin, 2)).toBe(version === "v43" ? "ok" : "HTTP 409");
    expect(await imported(pat, "2")).toEqual(version === "v42" ? ["E7617"] : []);
    // Basic authenticates every request afresh: imports see the new scope on every version.
    expect(await imported(admin, "3")).toEqual([]);
    await admin.close();
    await pat.close();
  });
});
