import { describe, expect, it } from "vitest";
import {
  createResourceAccessor,
  createResources,
  QueryValidationError,
  type ResourceTable,
} from "../src/resources/index.js";
import { type Call, stub } from "./support/raw-surface.js";

/** Serves `total` org units in pages, as DHIS2 does. */
function pagedOrgUnits(total: number, withPager = true) {
  return (call: Call) => {
    const page = Number(call.params?.page ?? 1);
    const pageSize = Number(call.params?.pageSize ?? 50);
    const all = Array.from({ length: total }, (_, i) => ({ id: `OU${String(i).padStart(9, "0")}` }));
    const items = all.slice((page - 1) * pageSize, page * pageSize);
    const pageCount = Math.max(1, Math.ceil(total / pageSize));
    return withPager
      ? { pager: { page, pageSize, total, pageCount }, organisationUnits: items }
      : { organisationUnits: items };
  };
}

const table: ResourceTable = {
  dataSets: {
    singular: "dataSet",
    plural: "dataSets",
    klass: "org.hisp.dhis.dataset.DataSet",
    endpoint: "/api/dataSets",
    metadata: true,
    identifiable: true,
    properties: {
      id: { name: "id", propertyType: "IDENTIFIER" },
      name: { name: "name", propertyType: "TEXT" },
      organisationUnits: {
        name: "organisationUnits",
        propertyType: "COLLECTION",
        itemPropertyType: "REFERENCE",
        collection: true,
      },
    },
  },
  organisationUnits: {
    singular: "organisationUnit",
    plural: "organisationUnits",
    klass: "org.hisp.dhis.organisationunit.OrganisationUnit",
    endpoint: "/api/organisationUnits",
    metadata: true,
    identifiable: true,
    properties: {
      id: { name: "id", propertyType: "IDENTIFIER" },
      name: { name: "name", propertyType: "TEXT" },
    },
  },
};

describe("iterate", () => {
  it("walks every page and stops at the last one", async () => {
    const client = stub(pagedOrgUnits(120));
    const ous = createResourceAccessor(client, "organisationUnits");
    const seen: unknown[] = [];
    for await (const ou of ous.iterate({ pageSize: 50, fields: "id" })) seen.push(ou);
    expect(seen).toHaveLength(120);
    expect(client.calls.map((c) => c.params?.page)).toEqual(["1", "2", "3"]);
    expect(client.calls.every((c) => c.params?.fields === "id" && c.params?.pageSize === "50")).toBe(true);
  });

  it("stops on a short page when the server sends no pager", async () => {
    const client = stub(pagedOrgUnits(7, false));
    const seen: unknown[] = [];
    for await (const ou of createResourceAccessor(client, "organisationUnits").iterate({ pageSize: 5 }))
      seen.push(ou);
    expect(seen).toHaveLength(7);
    expect(client.calls).toHaveLength(2);
  });

  it("stops after an exact last page without asking for an empty one", async () => {
    const client = stub(pagedOrgUnits(100));
    let n = 0;
    for await (const _ of createResourceAccessor(client, "organisationUnits").iterate({ pageSize: 50 })) n++;
    expect(n).toBe(100);
    expect(client.calls).toHaveLength(2);
  });

  it("stops requesting pages when the signal aborts", async () => {
    const controller = new AbortController();
    const client = stub(pagedOrgUnits(500));
    const seen: unknown[] = [];
    const run = async () => {
      for await (const ou of createResourceAccessor(client, "organisationUnits").iterate({
        pageSize: 10,
        signal: controller.signal,
      })) {
        seen.push(ou);
        if (seen.length === 15) controller.abort(new Error("enough"));
      }
    };
    await expect(run()).rejects.toThrow("enough");
    expect(client.calls).toHaveLength(2);
    expect(client.calls[0]?.signal).toBe(controller.signal);
  });

  it("makes one request with paging: false", async () => {
    const client = stub(() => ({ organisationUnits: [{ id: "a" }, { id: "b" }] }));
    const seen: unknown[] = [];
    for await (const ou of createResourceAccessor(client, "organisationUnits").iterate({ paging: false }))
      seen.push(ou);
    expect(seen).toHaveLength(2);
    expect(client.calls[0]?.params).toEqual({ paging: "false" });
  });
});

describe("CRUD over the raw surface", () => {
  const uid = "fbfJHSPpUQD";

  it("list returns the plural's items; listRaw keeps the pager", async () => {
    const client = stub(pagedOrgUnits(3));
    const ous = createResourceAccessor(client, "organisationUnits");
    expect(await ous.list()).toHaveLength(3);
    const raw = await ous.listRaw({ pageSize: 2 });
    expect(raw.pager).toMatchObject({ page: 1, pageSize: 2, total: 3, pageCount: 2 });
    expect(raw.organisationUnits).toHaveLength(2);
  });

  it("quirk: create returns the UID from the WebMessage envelope (response.uid)", async () => {
    const client = stub(() => ({ httpStatusCode: 201, status: "OK", response: { uid: "NEWuid00001" } }));
    const des = createResourceAccessor(client, "dataElements");
    expect(await des.create({ name: "x" })).toBe("NEWuid00001");
    expect(client.calls[0]).toMatchObject({ method: "POST", path: "/api/dataElements", body: { name: "x" } });
  });

  it("quirk: get, update (mergeMode), patch (json-patch content type) and delete hit the item path", async () => {
    const client = stub();
    const des = createResourceAccessor(client, "dataElements");
    await des.get(uid, { fields: "id,name" });
    await des.update({ id: uid, name: "n" }, { mergeMode: "REPLACE" });
    await des.patch(uid, [{ op: "replace", path: "/name", value: "p" }]);
    await des.delete(uid);
    expect(client.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET /api/dataElements/${uid}`,
      `PUT /api/dataElements/${uid}`,
      `PATCH /api/dataElements/${uid}`,
      `DELETE /api/dataElements/${uid}`,
    ]);
    expect(client.calls[0]?.params).toEqual({ fields: "id,name" });
    expect(client.calls[1]?.params).toEqual({ mergeMode: "REPLACE" });
    expect(client.calls[2]?.headers).toEqual({ "Content-Type": "application/json-patch+json" });
  });

  it("rejects a malformed UID and a malformed fields string before any request", async () => {
    const client = stub();
    const des = createResourceAccessor(client, "dataElements");
    await expect(des.get("nope")).rejects.toBeInstanceOf(QueryValidationError);
    await expect(des.get(uid, { fields: "id,children[id" })).rejects.toThrow(/unclosed bracket/);
    await expect(des.list({ filters: ["name:eq"] })).rejects.toThrow(/needs a value/);
    expect(client.calls).toHaveLength(0);
  });

  it("adds and removes collection items, validating the collection against the table", async () => {
    const client = stub();
    const resources = createResources(client, table);
    const ds = resources.dataSets;
    if (!ds) throw new Error("dataSets accessor missing");
    await ds.addCollectionItem(uid, "organisationUnits", "ImspTQPwCqd");
    await ds.removeCollectionItem(uid, "organisationUnits", "ImspTQPwCqd");
    expect(client.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /api/dataSets/${uid}/organisationUnits/ImspTQPwCqd`,
      `DELETE /api/dataSets/${uid}/organisationUnits/ImspTQPwCqd`,
    ]);
    await expect(ds.addCollectionItem(uid, "organisationUnit", "ImspTQPwCqd")).rejects.toThrow(
      /dataSets has no collection "organisationUnit"; did you mean "organisationUnits"/,
    );
    await expect(ds.addCollectionItem(uid, "name", "ImspTQPwCqd")).rejects.toThrow(/no collection "name"/);
    expect(client.calls).toHaveLength(2);
  });
});

describe("createResources", () => {
  it("exposes one accessor per table entry, created once, and nothing else", () => {
    const resources = createResources(stub(), table);
    expect(Object.keys(resources).sort()).toEqual(["dataSets", "organisationUnits"]);
    expect(resources.dataSets).toBe(resources.dataSets);
    expect(resources.dataSets?.def?.klass).toBe("org.hisp.dhis.dataset.DataSet");
    expect(resources.indicators).toBeUndefined();
  });

  it("checks filter properties against the table", async () => {
    const client = stub();
    const ous = createResources(client, table).organisationUnits;
    await expect(ous?.list({ filters: ["nme:eq:x"] })).rejects.toThrow(
      /organisationUnits has no property "nme"; did you mean "name"/,
    );
    expect(client.calls).toHaveLength(0);
  });
});
