import { describe, expect, it } from "vitest";
import { useMetadataEmulator } from "./metadata-helpers.js";

const fixture = useMetadataEmulator("v42");
const { http } = fixture;

describe("GET /api/{plural}: defaults, paging and pager", () => {
  it("lists id,displayName ordered by name with a pager", async () => {
    const r = await http.get("/organisationUnits");
    expect(r.status).toBe(200);
    expect(r.json.pager).toMatchObject({ page: 1, pageSize: 50, total: 65, pageCount: 2 });
    expect(r.json.pager.nextPage).toBe(`${fixture.emu.url}/api/organisationUnits?page=2`);
    expect(r.json.pager.prevPage).toBeUndefined();
    const first = r.json.organisationUnits[0];
    expect(Object.keys(first).sort()).toEqual(["displayName", "id"]);
    const names: string[] = r.json.organisationUnits.map((o: { displayName: string }) => o.displayName);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it("pages with pageSize and keeps other parameters in the links", async () => {
    const r = await http.get("/organisationUnits?pageSize=10&page=3&fields=id&filter=level:ge:3");
    expect(r.json.pager).toMatchObject({ page: 3, pageSize: 10, total: 60, pageCount: 6 });
    expect(r.json.pager.nextPage).toBe(
      `${fixture.emu.url}/api/organisationUnits?page=4&pageSize=10&fields=id&filter=level:ge:3`,
    );
    expect(r.json.pager.prevPage).toBe(
      `${fixture.emu.url}/api/organisationUnits?page=2&pageSize=10&fields=id&filter=level:ge:3`,
    );
    expect(r.json.organisationUnits).toHaveLength(10);
  });

  it("paging=false answers every object and no pager", async () => {
    const r = await http.get("/organisationUnits?paging=false");
    expect(r.json.pager).toBeUndefined();
    expect(r.json.organisationUnits).toHaveLength(65);
  });

  it("quirk: ignores unknown parameters", async () => {
    const r = await http.get("/dataElements?totallyUnknown=1&fields=id&filter=code:eq:DE_ANC1");
    expect(r.status).toBe(200);
    expect(r.json.dataElements).toEqual([{ id: fixture.emu.demo!.dataElements[0] }]);
  });
});

describe("fields", () => {
  it("expands nested references and renders bare references as { id }", async () => {
    const root = fixture.emu.demo!.root;
    const r = await http.get(
      `/organisationUnits/${root}?fields=id,name,parent,children[id,name,parent[id,name]]`,
    );
    expect(r.status).toBe(200);
    expect(r.json.parent).toBeUndefined();
    expect(r.json.children).toHaveLength(4);
    expect(r.json.children[0].parent).toEqual({ id: root, name: "Emuland" });
    const region = fixture.emu.demo!.regions[0]!;
    const child = await http.get(`/organisationUnits/${region}?fields=parent`);
    expect(child.json).toEqual({ parent: { id: root } });
  });

  it("supports presets and exclusions", async () => {
    const de = fixture.emu.demo!.dataElements[0]!;
    const ident = await http.get(`/dataElements/${de}?fields=:identifiable,!code`);
    const allowed = ["id", "name", "created", "lastUpdated", "lastUpdatedBy"];
    expect(Object.keys(ident.json).every((k) => allowed.includes(k))).toBe(true);
    expect(ident.json.code).toBeUndefined();
    expect(ident.json.id).toBe(de);
    expect(ident.json.name).toBe("ANC 1st visit");
    const all = await http.get(`/dataElements/${de}`);
    expect(all.json).toMatchObject({
      id: de,
      name: "ANC 1st visit",
      displayName: "ANC 1st visit",
      valueType: "NUMBER",
    });
    expect(all.json.categoryCombo).toEqual({ id: "bjDvmb4bfuf" });
    const owner = await http.get(`/dataElements/${de}?fields=:owner`);
    expect(owner.json.displayName).toBeUndefined();
    expect(owner.json.valueType).toBe("NUMBER");
    const nested = await http.get(`/dataElements/${de}?fields=id,categoryCombo[id,categories[id,name]]`);
    expect(nested.json.categoryCombo).toEqual({
      id: "bjDvmb4bfuf",
      categories: [{ id: "GLevLNI9wkl", name: "default" }],
    });
  });

  it("derives the inverse side of associations", async () => {
    const facility = fixture.emu.demo!.facilities[0]!;
    const ds = fixture.emu.demo!.dataSet;
    const r = await http.get(`/organisationUnits/${facility}?fields=dataSets[id,name]`);
    expect(r.json.dataSets).toContainEqual({ id: ds, name: "Reproductive and Child Health" });
    const de = await http.get(`/dataElements/${fixture.emu.demo!.dataElements[0]}?fields=dataSetElements`);
    expect(de.json.dataSetElements[0].dataSet).toEqual({ id: ds });
  });
});

const codes = (r: { json: { dataElements: { code: string }[] } }) =>
  r.json.dataElements.map((d) => d.code).sort();
// Restricted to the core seed's eight aggregate data elements (the metadata seed adds more).
const q = (filter: string) =>
  `/dataElements?fields=code&paging=false&${filter}&filter=id:in:[${fixture.emu.demo!.dataElements.join(",")}]`;

describe("filter operators", () => {
  const cases: [string, string[]][] = [
    ["filter=code:eq:DE_ANC1", ["DE_ANC1"]],
    ["filter=code:ieq:de_anc1", ["DE_ANC1"]],
    ["filter=name:like:ANC", ["DE_ANC1", "DE_ANC2", "DE_ANC4"]],
    ["filter=name:like:anc", []],
    ["filter=name:ilike:anc", ["DE_ANC1", "DE_ANC2", "DE_ANC4"]],
    ["filter=name:$like:Measles", ["DE_MEASLES"]],
    ["filter=name:$ilike:measles", ["DE_MEASLES"]],
    ["filter=name:like$:given", ["DE_BCG", "DE_MEASLES", "DE_PENTA1"]],
    ["filter=name:ilike$:GIVEN", ["DE_BCG", "DE_MEASLES", "DE_PENTA1"]],
    ["filter=code:in:[DE_ANC1,DE_BCG]", ["DE_ANC1", "DE_BCG"]],
    ["filter=name:token:doses giv", ["DE_BCG", "DE_MEASLES", "DE_PENTA1"]],
    ["filter=name:null", []],
    [
      "filter=optionSet:null",
      ["DE_ANC1", "DE_ANC2", "DE_ANC4", "DE_BCG", "DE_DELIV", "DE_MAL_CONF", "DE_MEASLES", "DE_PENTA1"],
    ],
    [
      "filter=name:!null",
      ["DE_ANC1", "DE_ANC2", "DE_ANC4", "DE_BCG", "DE_DELIV", "DE_MAL_CONF", "DE_MEASLES", "DE_PENTA1"],
    ],
    [
      "filter=legendSets:empty",
      ["DE_ANC1", "DE_ANC2", "DE_ANC4", "DE_BCG", "DE_DELIV", "DE_MAL_CONF", "DE_MEASLES", "DE_PENTA1"],
    ],
    ["filter=zeroIsSignificant:eq:false&filter=code:$like:DE_A", ["DE_ANC1", "DE_ANC2", "DE_ANC4"]],
    ["filter=code:eq:DE_ANC1&filter=code:eq:DE_BCG", []],
    ["filter=categoryCombo.id:eq:bjDvmb4bfuf&filter=code:like:MAL", ["DE_MAL_CONF"]],
    ["filter=categoryCombo.name:eq:default&filter=code:like:MAL", ["DE_MAL_CONF"]],
  ];
  it.each(cases)("%s", async (filter, expected) => {
    const r = await http.get(q(filter));
    expect(r.status).toBe(200);
    expect(codes(r)).toEqual(expected);
  });

  it("query= matches id, code or a part of the name", async () => {
    const byName = await http.get("/dataElements?fields=code&paging=false&query=doses giv");
    expect(codes(byName)).toEqual(["DE_BCG", "DE_MEASLES", "DE_PENTA1", "DE_VITA"]);
    const byCode = await http.get("/dataElements?fields=code&paging=false&query=DE_ANC2");
    expect(codes(byCode)).toEqual(["DE_ANC2"]);
  });

  it("quirk: rootJunction=OR joins the filters with OR", async () => {
    const r = await http.get(
      "/dataElements?fields=code&paging=false&filter=code:eq:DE_ANC1&filter=code:eq:DE_BCG&rootJunction=OR",
    );
    expect(codes(r)).toEqual(["DE_ANC1", "DE_BCG"]);
  });

  it("negated operators leave out the matches", async () => {
    const all = codes(await http.get(q("filter=code:!null")));
    const pairs: [string, string[]][] = [
      ["code:!eq:DE_ANC1", ["DE_ANC1"]],
      ["code:ne:DE_ANC1", ["DE_ANC1"]],
      ["name:!like:ANC", ["DE_ANC1", "DE_ANC2", "DE_ANC4"]],
      ["name:!ilike:anc", ["DE_ANC1", "DE_ANC2", "DE_ANC4"]],
      ["name:!$like:ANC", ["DE_ANC1", "DE_ANC2", "DE_ANC4"]],
      ["name:!$ilike:anc", ["DE_ANC1", "DE_ANC2", "DE_ANC4"]],
      ["name:!like$:given", ["DE_BCG", "DE_MEASLES", "DE_PENTA1"]],
      ["name:!ilike$:GIVEN", ["DE_BCG", "DE_MEASLES", "DE_PENTA1"]],
      ["code:!in:[DE_ANC1,DE_BCG]", ["DE_ANC1", "DE_BCG"]],
      ["name:!token:doses", ["DE_BCG", "DE_MEASLES", "DE_PENTA1"]],
    ];
    for (const [f, removed] of pairs) {
      const r = await http.get(q(`filter=${f}`));
      expect(codes(r), f).toEqual(all.filter((c) => !removed.includes(c)));
    }
  });

  it("compares numbers, dates and booleans by type", async () => {
    const lv = await http.get("/organisationUnits?fields=level&paging=false&filter=level:lt:3");
    expect(lv.json.organisationUnits).toHaveLength(5);
    const le = await http.get(
      "/organisationUnits?fields=level&paging=false&filter=level:le:3&filter=level:gt:1",
    );
    expect(le.json.organisationUnits).toHaveLength(16);
    const dates = await http.get(
      "/organisationUnits?fields=id&paging=false&filter=openingDate:gt:1989-12-31",
    );
    expect(dates.json.organisationUnits).toHaveLength(65);
    const none = await http.get("/organisationUnits?fields=id&paging=false&filter=openingDate:gt:1990-01-02");
    expect(none.json.organisationUnits).toHaveLength(0);
  });

  it("walks nested and collection paths (any element matches)", async () => {
    const { root, regions, dataSet } = fixture.emu.demo!;
    const kids = await http.get(`/organisationUnits?fields=id&paging=false&filter=parent.id:eq:${root}`);
    expect(kids.json.organisationUnits.map((o: { id: string }) => o.id).sort()).toEqual([...regions].sort());
    const des = await http.get(
      `/dataElements?fields=id&paging=false&filter=dataSetElements.dataSet.id:eq:${dataSet}`,
    );
    expect(des.json.dataElements).toHaveLength(8);
    const withDs = await http.get(
      `/organisationUnits?fields=id&paging=false&filter=dataSets.id:in:[${dataSet}]`,
    );
    expect(withDs.json.organisationUnits).toHaveLength(48);
    const notEmpty = await http.get("/organisationUnits?fields=id&paging=false&filter=children:!empty");
    expect(notEmpty.json.organisationUnits).toHaveLength(17);
  });

  it("answers 409 with the parser's message for unknown properties and operators", async () => {
    const bad = await http.get("/dataElements?filter=nope:eq:1");
    expect(bad.status).toBe(409);
    expect(bad.json).toMatchObject({
      httpStatusCode: 409,
      status: "ERROR",
      message: "Unknown path property: nope",
    });
    const op = await http.get("/dataElements?filter=name:nope:1");
    expect(op.status).toBe(409);
    expect(op.json.message).toBe("`nope` is not a valid operator.");
  });
});

describe("order", () => {
  it("orders by several properties and directions", async () => {
    const r = await http.get("/organisationUnits?fields=name,level&paging=false&order=level:desc,name:asc");
    const rows: { name: string; level: number }[] = r.json.organisationUnits;
    expect(rows[0]!.level).toBe(4);
    expect(rows.at(-1)!.level).toBe(1);
    const l4 = rows.filter((x) => x.level === 4).map((x) => x.name);
    expect(l4).toEqual([...l4].sort());
    const idesc = await http.get("/dataElements?fields=name&paging=false&order=name:idesc");
    const names: string[] = idesc.json.dataElements.map((d: { name: string }) => d.name);
    expect(names).toEqual([...names].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())));
  });
});
