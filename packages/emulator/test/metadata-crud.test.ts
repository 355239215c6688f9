import { describe, expect, it } from "vitest";
import { useMetadataEmulator } from "./metadata-helpers.js";

const fixture = useMetadataEmulator("v42");
const { http } = fixture;

const newDe = (extra: Record<string, unknown> = {}) => ({
  name: "Emu test element",
  shortName: "Emu test",
  valueType: "INTEGER",
  aggregationType: "SUM",
  domainType: "AGGREGATE",
  ...extra,
});

describe("create / read / update / patch / delete", () => {
  it("runs the full life cycle with DHIS2's WebMessages", async () => {
    const created = await http.post("/dataElements", newDe({ code: "EMU_TEST" }));
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      httpStatus: "Created",
      httpStatusCode: 201,
      status: "OK",
      response: {
        responseType: "ObjectReport",
        klass: "org.hisp.dhis.dataelement.DataElement",
        errorReports: [],
      },
    });
    const uid: string = created.json.response.uid;
    expect(uid).toMatch(/^[a-zA-Z][a-zA-Z0-9]{10}$/);
    expect(created.headers.get("location")).toBe(`/dataElements/${uid}`);

    const got = await http.get(`/dataElements/${uid}`);
    expect(got.json).toMatchObject({
      id: uid,
      name: "Emu test element",
      displayName: "Emu test element",
      code: "EMU_TEST",
    });
    // A missing category combo gets DHIS2's default.
    expect(got.json.categoryCombo).toEqual({ id: "bjDvmb4bfuf" });
    expect(typeof got.json.created).toBe("string");
    expect(typeof got.json.lastUpdated).toBe("string");

    const put = await http.put(`/dataElements/${uid}`, newDe({ name: "Renamed element", code: "EMU_TEST" }));
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({
      httpStatusCode: 200,
      status: "OK",
      response: { responseType: "ObjectReport", uid },
    });
    expect((await http.get(`/dataElements/${uid}?fields=name`)).json).toEqual({ name: "Renamed element" });

    const patched = await http.patch(`/dataElements/${uid}`, [
      { op: "replace", path: "/shortName", value: "Patched" },
    ]);
    expect(patched.status).toBe(200);
    expect((await http.get(`/dataElements/${uid}?fields=shortName,name`)).json).toEqual({
      shortName: "Patched",
      name: "Renamed element",
    });

    const deleted = await http.delete(`/dataElements/${uid}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ status: "OK", response: { responseType: "ObjectReport", uid } });
    const gone = await http.get(`/dataElements/${uid}`);
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({
      httpStatusCode: 404,
      status: "ERROR",
      errorCode: "E1005",
      message: `DataElement with id ${uid} could not be found.`,
    });
  });

  it("serves one property and absolute hrefs", async () => {
    const root = fixture.emu.demo!.root;
    const ds = fixture.emu.demo!.dataSet;
    const units = await http.get(`/dataSets/${ds}/organisationUnits?fields=name`);
    expect(units.status).toBe(200);
    expect(units.json.organisationUnits).toHaveLength(fixture.emu.demo!.facilities.length);
    expect(Object.keys(units.json.organisationUnits[0])).toEqual(["name"]);
    // `/organisationUnits/{uid}/children` is no property read: OrganisationUnitController maps it
    // to the list of the unit and its children (org-units/index.ts).
    const kids = await http.get(`/organisationUnits/${root}/children?fields=name`);
    expect(kids.json.organisationUnits).toHaveLength(5);
    const href = await http.get(`/organisationUnits/${root}?fields=href`);
    expect(href.json.href).toBe(`${fixture.emu.url}/api/organisationUnits/${root}`);
  });

  it("keeps a client-supplied id", async () => {
    const r = await http.post(
      "/dataElements",
      newDe({ id: "EmuDeId0001", name: "With id", shortName: "With id" }),
    );
    expect(r.status).toBe(201);
    expect(r.json.response.uid).toBe("EmuDeId0001");
  });

  it("quirk: PATCH needs application/json-patch+json", async () => {
    const de = fixture.emu.demo!.dataElements[0]!;
    const r = await http.patch(
      `/dataElements/${de}`,
      [{ op: "replace", path: "/name", value: "x" }],
      "application/json",
    );
    expect(r.status).toBe(415);
    expect(r.json).toMatchObject({ httpStatusCode: 415, status: "ERROR" });
  });

  it("quirk: PUT merges nested collections unless mergeMode=REPLACE", async () => {
    const ds = fixture.emu.demo!.dataSet;
    const before = (await http.get(`/dataSets/${ds}?fields=organisationUnits`)).json.organisationUnits;
    expect(before).toHaveLength(48);
    const body = { name: "RCH renamed", shortName: "RCH monthly", periodType: "Monthly", code: "DS_RCH" };
    expect((await http.put(`/dataSets/${ds}`, body)).status).toBe(200);
    const kept = (await http.get(`/dataSets/${ds}?fields=name,organisationUnits`)).json;
    expect(kept.name).toBe("RCH renamed");
    expect(kept.organisationUnits).toHaveLength(48);
    const replaced = await http.put(`/dataSets/${ds}?mergeMode=REPLACE`, { ...body, organisationUnits: [] });
    expect(replaced.status).toBe(200);
    expect((await http.get(`/dataSets/${ds}?fields=organisationUnits`)).json.organisationUnits).toHaveLength(
      0,
    );
    // Put them back for the other tests.
    await http.put(`/dataSets/${ds}`, { ...body, organisationUnits: before });
  });
});

describe("409 validation errors", () => {
  it("E4000: a missing required property", async () => {
    const r = await http.post("/dataElements", {
      shortName: "No name",
      valueType: "NUMBER",
      aggregationType: "SUM",
      domainType: "AGGREGATE",
    });
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({
      httpStatusCode: 409,
      status: "ERROR",
      response: { responseType: "ObjectReport" },
    });
    const codes = r.json.response.errorReports.map((e: { errorCode: string }) => e.errorCode);
    expect(codes).toContain("E4000");
    const report = r.json.response.errorReports.find(
      (e: { errorProperty: string }) => e.errorProperty === "name",
    );
    expect(report.message).toBe("Missing required property `name`");
  });

  it("E5003: a duplicate unique property", async () => {
    const r = await http.post("/dataElements", newDe({ name: "Dup", shortName: "Dup", code: "DE_ANC1" }));
    expect(r.status).toBe(409);
    const e = r.json.response.errorReports[0];
    expect(e.errorCode).toBe("E5003");
    expect(e.message).toMatch(
      /^Property `code` with value `DE_ANC1` on object Dup \[\w{11}\] \(DataElement\) already exists on object \w{11}$/,
    );
  });

  it("E5002: a reference to a missing object", async () => {
    const r = await http.post(
      "/dataElements",
      newDe({ name: "Bad ref", shortName: "Bad ref", categoryCombo: { id: "NoSuchCombo" } }),
    );
    expect(r.status).toBe(409);
    const e = r.json.response.errorReports[0];
    expect(e.errorCode).toBe("E5002");
    expect(e.message).toMatch(
      /^Invalid reference \[NoSuchCombo\] \(CategoryCombo\) on object Bad ref \[\w{11}\] \(DataElement\) for association `categoryCombo`$/,
    );
  });

  it("E4001: a value too long", async () => {
    const r = await http.post("/dataElements", newDe({ name: "Long", shortName: "x".repeat(51) }));
    expect(r.status).toBe(409);
    const e = r.json.response.errorReports[0];
    expect(e.errorCode).toBe("E4001");
    expect(e.message).toBe("Maximum length of property `shortName`is 50, but given length was 51");
  });

  it("E4014: an invalid UID", async () => {
    const r = await http.post(
      "/dataElements",
      newDe({ id: "bad-uid", name: "Bad uid", shortName: "Bad uid" }),
    );
    expect(r.status).toBe(409);
    expect(r.json.response.errorReports[0]).toMatchObject({
      errorCode: "E4014",
      message: "Invalid UID `bad-uid` for property `id`",
    });
  });

  it("quirk: 404 on PUT, PATCH and DELETE of a missing object (E1005)", async () => {
    for (const r of [
      await http.put("/dataElements/NoSuchObj01", newDe()),
      await http.patch("/dataElements/NoSuchObj01", []),
      await http.delete("/dataElements/NoSuchObj01"),
    ]) {
      expect(r.status).toBe(404);
      expect(r.json.message).toBe("DataElement with id NoSuchObj01 could not be found.");
    }
  });
});

describe("collection items", () => {
  it("adds and removes from the owner side and shows on the inverse side", async () => {
    const ds = fixture.emu.demo!.dataSet;
    const region = fixture.emu.demo!.regions[0]!;
    const add = await http.post(`/dataSets/${ds}/organisationUnits/${region}`, undefined);
    expect(add.status).toBe(200);
    expect(add.json).toMatchObject({ status: "OK", response: { responseType: "TypeReport" } });
    const ou = await http.get(`/organisationUnits/${region}?fields=dataSets`);
    expect(ou.json.dataSets).toEqual([{ id: ds }]);
    const del = await http.delete(`/dataSets/${ds}/organisationUnits/${region}`);
    expect(del.status).toBe(200);
    expect((await http.get(`/organisationUnits/${region}?fields=dataSets`)).json.dataSets).toEqual([]);
  });

  it("writes the owner when called from the inverse side", async () => {
    const ds = fixture.emu.demo!.dataSet;
    const district = fixture.emu.demo!.districts[0]!;
    expect((await http.post(`/organisationUnits/${district}/dataSets/${ds}`, undefined)).status).toBe(200);
    const owner = await http.get(`/dataSets/${ds}?fields=organisationUnits&filter=id:eq:${ds}`);
    expect(owner.json.organisationUnits.map((o: { id: string }) => o.id)).toContain(district);
    await http.delete(`/organisationUnits/${district}/dataSets/${ds}`);
    const after = await http.get(`/dataSets/${ds}?fields=organisationUnits`);
    expect(after.json.organisationUnits.map((o: { id: string }) => o.id)).not.toContain(district);
  });

  it("deleting an object drops it from the owners that listed it", async () => {
    const ds = fixture.emu.demo!.dataSet;
    const ou = await http.post("/organisationUnits", {
      name: "Short-lived clinic",
      shortName: "Short-lived",
      openingDate: "2020-01-01",
      parent: { id: fixture.emu.demo!.districts[1] },
    });
    expect(ou.status).toBe(201);
    const id: string = ou.json.response.uid;
    const created = await http.get(`/organisationUnits/${id}?fields=level,path`);
    expect(created.json.level).toBe(4);
    expect(created.json.path).toMatch(new RegExp(`/${fixture.emu.demo!.districts[1]}/${id}$`));
    await http.post(`/dataSets/${ds}/organisationUnits/${id}`, undefined);
    expect((await http.delete(`/organisationUnits/${id}`)).status).toBe(200);
    const after = await http.get(`/dataSets/${ds}?fields=organisationUnits`);
    expect(after.json.organisationUnits.map((o: { id: string }) => o.id)).not.toContain(id);
    // ...so the owner still validates on its next update.
    const put = await http.put(`/dataSets/${ds}`, {
      name: "RCH again",
      shortName: "RCH monthly",
      periodType: "Monthly",
    });
    expect(put.status).toBe(200);
  });

  it("quirk: a missing item is ignored with a 200 and nothing counted; a repeat is ignored", async () => {
    // dhis2-core DefaultCollectionService.updateCollectionItems only visits the items it finds.
    const ds = fixture.emu.demo!.dataSet;
    const r = await http.post(`/dataSets/${ds}/organisationUnits/NoSuchOrgU1`, undefined);
    expect(r.status).toBe(200);
    expect(r.json.response).toMatchObject({
      responseType: "TypeReport",
      stats: { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 },
    });
    const region = fixture.emu.demo!.regions[2]!;
    const first = await http.post(`/dataSets/${ds}/organisationUnits/${region}`, undefined);
    expect(first.json.response.stats).toMatchObject({ updated: 1, ignored: 0 });
    const again = await http.post(`/dataSets/${ds}/organisationUnits/${region}`, undefined);
    expect(again.json.response.stats).toMatchObject({ updated: 0, ignored: 1 });
    const removed = await http.delete(`/dataSets/${ds}/organisationUnits/${region}`);
    expect(removed.json.response.stats).toMatchObject({ deleted: 1, ignored: 0 });
    const missingOwner = await http.post("/dataSets/NoSuchDSet1/organisationUnits/" + region, undefined);
    expect(missingOwner.status).toBe(404);
  });
});
