/**
 * The capture scope as DHIS2 caches it (src/data/capture-scope.ts): single data values keep the
 * hierarchy answer per user and org unit for an hour on 2.41/2.42; a personal access token's
 * data value imports keep the org units of its first use on 2.42; `cacheClear` drops both.
 */
import { DEMO_USERS, type Emulator, fixedClock } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { basic, call, useEmulator } from "./emulator-helpers.js";

const start = useEmulator();
const DISTRICT = basic("district", "district");
const HOUR = 3_600_000;

/** A facility of region 1 (district captures in region 0 only). */
function outside(emu: Emulator): string {
  const region = emu.demo!.regions[1]!;
  const unit = emu.state.metadata
    .list("organisationUnits")
    .find((o) => o.level === 4 && String(o.path).includes(region));
  return unit!.id;
}

const single = (emu: Emulator, ou: string, value: string, auth = DISTRICT) =>
  call(emu, `/api/dataValues?de=${emu.demo!.dataElements[0]}&pe=202401&ou=${ou}&value=${value}`, {
    method: "POST",
    headers: { Authorization: auth },
  });

const importOne = async (emu: Emulator, ou: string, value: string, auth: string) => {
  const res = await call(emu, "/api/dataValueSets", {
    method: "POST",
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body: JSON.stringify({
      dataValues: [{ dataElement: emu.demo!.dataElements[0], period: "202402", orgUnit: ou, value }],
    }),
  });
  const body = (await res.json()) as { response: { conflicts: { errorCode: string }[] } };
  return body.response.conflicts.map((c) => c.errorCode);
};

const assign = (emu: Emulator, ou: string, add: boolean) =>
  call(emu, `/api/users/${DEMO_USERS.district.id}/organisationUnits/${ou}`, {
    method: add ? "POST" : "DELETE",
  });

const cacheClear = (emu: Emulator) => call(emu, "/api/maintenance/cacheClear", { method: "POST" });

describe.each(["v41", "v42"] as const)("single data values on %s", (version) => {
  it("quirk: /api/dataValues keeps the hierarchy answer per user and org unit for an hour (E2020); cacheClear drops it", async () => {
    const clock = fixedClock(Date.UTC(2025, 0, 1));
    const emu = await start({ version, seed: "demo", clock });
    const ou = outside(emu);
    const region = emu.demo!.regions[1]!;
    const refused = await single(emu, ou, "1");
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      errorCode: "E2020",
      message: `Organisation unit is not in the hierarchy of the current user: \`${ou}\``,
    });
    expect((await assign(emu, region, true)).status).toBe(200);
    // Still refused: the cached answer outlives the change...
    expect((await single(emu, ou, "2")).status).toBe(409);
    // ...until the caches are cleared.
    expect((await cacheClear(emu)).status).toBe(204);
    expect((await single(emu, ou, "3")).status).toBe(201);
    // Taken away again: the cached yes lets values through for the rest of the hour.
    expect((await assign(emu, region, false)).status).toBe(200);
    expect((await single(emu, ou, "4")).status).toBe(201);
    clock.advance(HOUR);
    expect((await single(emu, ou, "5")).status).toBe(409);
  });
});

describe("single data values on v43", () => {
  it("are checked against the user's org units as they are now (DataEntryService, no cache)", async () => {
    const emu = await start({ version: "v43", seed: "demo" });
    const ou = outside(emu);
    expect((await single(emu, ou, "1")).status).toBe(409);
    await assign(emu, emu.demo!.regions[1]!, true);
    expect((await single(emu, ou, "2")).status).toBe(201);
  });
});

describe.each(["v41", "v42", "v43"] as const)(
  "data value imports with a personal access token on %s",
  (version) => {
    it(
      version === "v42"
        ? "quirk: v42 keeps the token's capture scope of its first use for an hour; Basic sees the change, cacheClear drops it"
        : "see a change of the user's org units at once",
      async () => {
        const clock = fixedClock(Date.UTC(2025, 0, 1));
        const emu = await start({ version, seed: "demo", clock });
        const created = await call(emu, "/api/apiToken", {
          method: "POST",
          headers: { Authorization: DISTRICT, "Content-Type": "application/json" },
          body: JSON.stringify({ type: "PERSONAL_ACCESS_TOKEN_V2", expire: clock.now() + 24 * HOUR }),
        });
        expect(created.status).toBe(201);
        const pat = `ApiToken ${((await created.json()) as { response: { key: string } }).response.key}`;
        const ou = outside(emu);
        expect(await importOne(emu, ou, "1", pat)).toEqual(["E7617"]);
        await assign(emu, emu.demo!.regions[1]!, true);
        expect(await importOne(emu, ou, "2", DISTRICT)).toEqual([]);
        if (version !== "v42") {
          expect(await importOne(emu, ou, "3", pat)).toEqual([]);
          return;
        }
        expect(await importOne(emu, ou, "3", pat)).toEqual(["E7617"]);
        clock.advance(HOUR);
        expect(await importOne(emu, ou, "4", pat)).toEqual([]);
        await assign(emu, emu.demo!.regions[1]!, false);
        expect(await importOne(emu, ou, "5", pat)).toEqual([]);
        await cacheClear(emu);
        expect(await importOne(emu, ou, "6", pat)).toEqual(["E7617"]);
      },
    );
  },
);
