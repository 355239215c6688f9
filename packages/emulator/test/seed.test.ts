import {
  createEmulatorApp,
  DEFAULTS,
  EmulatorState,
  fixedClock,
  isValidUid,
  seedDemo,
} from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";

const freshState = () => new EmulatorState({ version: "v42", clock: fixedClock(0) });

type Ou = { id: string; level: number; path: string; parent?: { id: string }; children: { id: string }[] };

describe("demo seed", () => {
  it("is deterministic: same seed, same UIDs and objects", () => {
    const a = freshState();
    const b = freshState();
    const idsA = seedDemo(a);
    const idsB = seedDemo(b);
    expect(idsA).toEqual(idsB);
    expect(a.metadata.list("organisationUnits")).toEqual(b.metadata.list("organisationUnits"));
    expect(a.metadata.list("dataSets")).toEqual(b.metadata.list("dataSets"));
    // Another seed name gives other UIDs.
    expect(seedDemo(freshState(), { seed: "other" }).root).not.toBe(idsA.root);
  });

  it("builds a consistent 4-level org unit hierarchy", () => {
    const state = freshState();
    const ids = seedDemo(state);
    const ous = state.metadata.list("organisationUnits") as unknown as Ou[];
    expect(ous).toHaveLength(1 + ids.regions.length + ids.districts.length + ids.facilities.length);
    expect(new Set(ous.map((o) => o.level))).toEqual(new Set([1, 2, 3, 4]));
    const byId = new Map(ous.map((o) => [o.id, o]));
    for (const ou of ous) {
      expect(isValidUid(ou.id)).toBe(true);
      expect(ou.path.split("/").filter(Boolean)).toHaveLength(ou.level);
      expect(ou.path.endsWith(`/${ou.id}`)).toBe(true);
      if (ou.level === 1) {
        expect(ou.parent).toBeUndefined();
        expect(ou.id).toBe(ids.root);
        continue;
      }
      const parent = byId.get(ou.parent!.id)!;
      expect(parent.level).toBe(ou.level - 1);
      expect(ou.path).toBe(`${parent.path}/${ou.id}`);
      expect(parent.children).toContainEqual({ id: ou.id });
    }
    for (const ou of ous) for (const c of ou.children) expect(byId.get(c.id)?.parent?.id).toBe(ou.id);
  });

  it("has DHIS2's default category model with the well-known UIDs", () => {
    const state = freshState();
    seedDemo(state);
    const combo = state.metadata.get("categoryCombos", "bjDvmb4bfuf")!;
    expect(combo).toMatchObject({ name: "default", categories: [{ id: "GLevLNI9wkl" }] });
    expect(combo.categoryOptionCombos).toEqual([{ id: "HllvX50cXC0" }]);
    expect(state.metadata.get("categories", DEFAULTS.category)?.categoryOptions).toEqual([
      { id: "xYerKDKCefk" },
    ]);
    expect(state.metadata.get("categoryOptionCombos", DEFAULTS.categoryOptionCombo)?.categoryCombo).toEqual({
      id: DEFAULTS.categoryCombo,
    });
  });

  it("puts aggregate NUMBER/SUM data elements into a data set assigned to facilities", () => {
    const state = freshState();
    const ids = seedDemo(state);
    const des = state.metadata.list("dataElements");
    expect(des.length).toBeGreaterThanOrEqual(4);
    for (const de of des) {
      expect(de).toMatchObject({ valueType: "NUMBER", aggregationType: "SUM", domainType: "AGGREGATE" });
      expect(de.categoryCombo).toEqual({ id: DEFAULTS.categoryCombo });
      expect(typeof de.created).toBe("string");
    }
    const ds = state.metadata.get("dataSets", ids.dataSet)!;
    expect((ds.dataSetElements as { dataElement: { id: string } }[]).map((x) => x.dataElement.id)).toEqual(
      ids.dataElements,
    );
    expect(ds.organisationUnits).toEqual(ids.facilities.map((id) => ({ id })));
  });

  it("assigns admin to the root and mirrors users into the metadata store without secrets", async () => {
    const app = await createEmulatorApp({ version: "v42", seed: "demo" });
    const admin = app.state.users.byUsername("admin")!;
    expect(admin.organisationUnits).toEqual([app.demo!.root]);
    const stored = app.state.metadata.get("users", admin.id)!;
    expect(stored.organisationUnits).toEqual([{ id: app.demo!.root }]);
    for (const u of app.state.metadata.list("users")) {
      expect(Object.keys(u).filter((k) => /password/i.test(k))).toEqual([]);
    }
  });

  it("leaves only users and the default category model with seed empty", async () => {
    const app = await createEmulatorApp({ version: "v42", seed: "empty" });
    expect(app.state.metadata.count("organisationUnits")).toBe(0);
    expect(app.state.metadata.has("categoryCombos", DEFAULTS.categoryCombo)).toBe(true);
    expect(app.demo).toBeUndefined();
  });
});
