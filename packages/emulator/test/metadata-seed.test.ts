import { describe, expect, it } from "vitest";
import { useMetadataEmulator } from "./metadata-helpers.js";

const fixture = useMetadataEmulator("v42");
const { http } = fixture;

describe("the metadata demo seed", () => {
  it("is coherent: re-importing its own export validates without errors", async () => {
    const exported = await http.get("/metadata");
    expect(exported.status).toBe(200);
    const { system: _system, ...bundle } = exported.json;
    const r = await http.post("/metadata?importMode=VALIDATE&importReportMode=FULL", bundle);
    const errors = r.json.response.typeReports.flatMap(
      (t: { objectReports: { errorReports: unknown[] }[] }) => t.objectReports.flatMap((o) => o.errorReports),
    );
    expect(errors).toEqual([]);
    expect(r.json.response.stats.updated).toBeGreaterThan(100);
  });

  it("has a 2 x 2 category combo with 4 option combos", async () => {
    const ids = fixture.emu.app.extensions.metadataDemo!;
    const cc = await http.get(
      `/categoryCombos/${ids.categoryCombo}?fields=name,categories[categoryOptions~size],categoryOptionCombos`,
    );
    expect(cc.json.name).toBe("Sex and age");
    expect(cc.json.categories).toEqual([{ categoryOptions: 2 }, { categoryOptions: 2 }]);
    expect(cc.json.categoryOptionCombos).toHaveLength(4);
    const des = await http.get(
      `/dataElements?fields=id&paging=false&filter=categoryCombo.id:eq:${ids.categoryCombo}`,
    );
    expect(des.json.dataElements).toHaveLength(3);
  });

  it("has a data set with sections, indicators, option sets, groups and a tracker program", async () => {
    const ids = fixture.emu.app.extensions.metadataDemo!;
    const ds = await http.get(`/dataSets/${ids.dataSet}?fields=sections[name],dataSetElements~size`);
    expect(ds.json).toEqual({ sections: [{ name: "Visits" }, { name: "Nutrition" }], dataSetElements: 3 });
    const ind = await http.get("/indicators?fields=name,indicatorType[name]&paging=false");
    expect(ind.json.indicators).toContainEqual({
      name: "ANC 1-2 dropout rate",
      indicatorType: { name: "Per cent" },
    });
    const os = await http.get(`/optionSets/${ids.optionSets.sex}?fields=options[code]`);
    expect(os.json.options).toEqual([{ code: "MALE" }, { code: "FEMALE" }]);
    const oug = await http.get("/organisationUnitGroups?fields=name,organisationUnits~size&paging=false");
    expect(oug.json.organisationUnitGroups).toHaveLength(4);
    const pr = await http.get(
      `/programs/${ids.program}?fields=programType,trackedEntityType[name],programStages[name,programStageDataElements~size],programTrackedEntityAttributes~size`,
    );
    expect(pr.json).toMatchObject({
      programType: "WITH_REGISTRATION",
      trackedEntityType: { name: "Person" },
      programTrackedEntityAttributes: 3,
    });
    expect(pr.json.programStages).toEqual([
      { name: "Birth", programStageDataElements: 2 },
      { name: "Follow-up", programStageDataElements: 2 },
    ]);
  });
});
