/**
 * The org unit hierarchy routes of `OrganisationUnitController` (children, level, descendants,
 * ancestors, parents, their `include*=true` forms) and `/api/filledOrganisationUnitLevels`, on
 * each version, through `emu.fetch`.
 */
import type { Emulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

type Unit = { id: string; name?: string; level?: number };
type List = { pager?: { total: number; pageSize: number }; organisationUnits: Unit[] };

const start = useEmulator();
const get = async <T = List>(emu: Emulator, path: string) => {
  const res = await call(emu, `/api${path}`);
  return { status: res.status, body: (await res.json()) as T };
};

describe.each(["v41", "v42", "v43"] as const)("org unit tree on %s", (version) => {
  it("children: the unit and its children, as a paged list (includeChildren=true or /children)", async () => {
    const emu = await start({ version, seed: "demo" });
    const { root, regions } = emu.demo!;
    for (const path of [
      `/organisationUnits/${root}?includeChildren=true`,
      `/organisationUnits/${root}/children`,
    ]) {
      const { status, body } = await get(emu, `${path}${path.includes("?") ? "&" : "?"}fields=id,level`);
      expect(status).toBe(200);
      expect(body.pager).toMatchObject({ total: 5, pageSize: 50 });
      expect(body.organisationUnits.map((o) => o.id).sort()).toEqual([root, ...regions].sort());
    }
    // Without the parameters, /{uid} is the object itself.
    const one = await get<Unit>(emu, `/organisationUnits/${root}?fields=id,level`);
    expect(one.body).toEqual({ id: root, level: 1 });
  });

  it("level=N: the units N levels below (relative), 0 the unit itself", async () => {
    const emu = await start({ version, seed: "demo" });
    const { root, districts, facilities } = emu.demo!;
    const two = await get(emu, `/organisationUnits/${root}?level=2&paging=false&fields=id`);
    expect(two.body.organisationUnits.map((o) => o.id).sort()).toEqual([...districts].sort());
    const three = await get(emu, `/organisationUnits/${root}/children?level=3&paging=false&fields=id`);
    expect(three.body.organisationUnits).toHaveLength(facilities.length);
    const zero = await get(emu, `/organisationUnits/${root}?level=0&fields=id`);
    expect(zero.body.organisationUnits).toEqual([{ id: root }]);
    expect((await call(emu, `/api/organisationUnits/${root}?level=x`)).status).toBe(400);
  });

  it("descendants: the unit and everything below, with filters and paging", async () => {
    const emu = await start({ version, seed: "demo" });
    const { regions, districts } = emu.demo!;
    const region = regions[0]!;
    const all = await get(
      emu,
      `/organisationUnits/${region}?includeDescendants=true&paging=false&fields=id,level`,
    );
    // One region: itself, 3 districts, 12 facilities.
    expect(all.body.organisationUnits).toHaveLength(16);
    const lists = await get(
      emu,
      `/organisationUnits/${region}/descendants?filter=level:eq:3&pageSize=2&fields=id`,
    );
    expect(lists.body.pager).toMatchObject({ total: 3, pageSize: 2 });
    expect(lists.body.organisationUnits).toHaveLength(2);
    expect(districts).toEqual(expect.arrayContaining(lists.body.organisationUnits.map((o) => o.id)));
  });

  it("ancestors include the unit; parents do not; 2.42+ order them by level", async () => {
    const emu = await start({ version, seed: "demo" });
    const { root, regions, districts, facilities } = emu.demo!;
    const facility = facilities[0]!;
    const anc = await get(emu, `/organisationUnits/${facility}?includeAncestors=true&fields=id,level,name`);
    expect(anc.body.organisationUnits.map((o) => o.id).sort()).toEqual(
      [root, regions[0]!, districts[0]!, facility].sort(),
    );
    const levels = anc.body.organisationUnits.map((o) => o.level);
    if (version === "v41") {
      // 2.41 orders the in-memory list by name, like any list without an order.
      const names = anc.body.organisationUnits.map((o) => String(o.name).toLowerCase());
      expect(names).toEqual([...names].sort());
    } else {
      expect(levels).toEqual([1, 2, 3, 4]);
    }
    const parents = await get(emu, `/organisationUnits/${facility}/parents?fields=id`);
    expect(parents.body.organisationUnits.map((o) => o.id)).not.toContain(facility);
    expect(parents.body.organisationUnits).toHaveLength(3);
  });

  it("a missing unit is a 404 on every form", async () => {
    const emu = await start({ version, seed: "demo" });
    for (const path of ["?includeChildren=true", "/children", "/descendants", "/ancestors", "?level=1"]) {
      const res = await call(emu, `/api/organisationUnits/NoSuchUnit1${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { message: string }).message).toBe(
        "OrganisationUnit with id NoSuchUnit1 could not be found.",
      );
    }
  });

  it("filledOrganisationUnitLevels: every level in use, named by its object or 'Level N'", async () => {
    // The empty seed and a 4-level chain imported here: no level object names any level yet.
    const emu = await start({ version, seed: "empty" });
    const units = ["LevelOne001", "LevelTwo001", "LevelThree1", "LevelFour01"].map((id, i, all) => ({
      id,
      name: id,
      shortName: id,
      openingDate: "2000-01-01",
      ...(i > 0 ? { parent: { id: all[i - 1] } } : {}),
    }));
    const imported = await call(emu, "/api/metadata", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ organisationUnits: units }),
    });
    expect(imported.status).toBe(200);
    const before = await get<{ level: number; name: string; id?: string }[]>(
      emu,
      "/filledOrganisationUnitLevels",
    );
    expect(before.status).toBe(200);
    expect(before.body.map((l) => [l.level, l.name])).toEqual([
      [1, "Level 1"],
      [2, "Level 2"],
      [3, "Level 3"],
      [4, "Level 4"],
    ]);
    expect(before.body[0]?.id).toBeUndefined();
    const created = await call(emu, "/api/organisationUnitLevels", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "District", level: 3 }),
    });
    expect(created.status).toBe(201);
    const after = await get<{ level: number; name: string; id?: string }[]>(
      emu,
      "/filledOrganisationUnitLevels?fields=id,name,level",
    );
    expect(after.body[2]).toMatchObject({ level: 3, name: "District", id: expect.any(String) });
    expect(after.body[3]).toEqual({ level: 4, name: "Level 4" });
  });
});
