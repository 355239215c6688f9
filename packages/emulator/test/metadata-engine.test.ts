import type { ResourceTable } from "@dhis2w/client";
import { afterAll, describe, expect, it } from "vitest";
import type { Emulator } from "../src/create.js";
import { parseFields, renderObject } from "../src/metadata/fields.js";
import { compileFilter, QueryError } from "../src/metadata/filter.js";
import { applyJsonPatch, JsonPatchError } from "../src/metadata/json-patch.js";
import { buildPager, runList } from "../src/metadata/query.js";
import { ReadContext } from "../src/metadata/resolve.js";
import { SchemaIndex } from "../src/metadata/schema-index.js";
import { MetadataStore } from "../src/metadata-store.js";
import { api, startMetadataEmulator } from "./metadata-helpers.js";

// A handmade two-type table: enough to exercise the engine without the generated one.
const TABLE: ResourceTable = {
  things: {
    singular: "thing",
    plural: "things",
    klass: "org.example.Thing",
    endpoint: "/api/things",
    metadata: true,
    identifiable: true,
    properties: {
      id: { name: "id", propertyType: "IDENTIFIER", owner: true, persisted: true, unique: true },
      name: { name: "name", propertyType: "TEXT", owner: true, persisted: true, required: true, max: 20 },
      code: { name: "code", propertyType: "IDENTIFIER", owner: true, persisted: true, unique: true },
      displayName: { name: "displayName", propertyType: "TEXT" },
      size: { name: "size", propertyType: "INTEGER", owner: true, persisted: true },
      box: { name: "box", propertyType: "REFERENCE", target: "box", owner: true, persisted: true },
    },
  },
  boxes: {
    singular: "box",
    plural: "boxes",
    klass: "org.example.Box",
    endpoint: "/api/boxes",
    metadata: true,
    identifiable: true,
    properties: {
      id: { name: "id", propertyType: "IDENTIFIER", owner: true, persisted: true },
      name: { name: "name", propertyType: "TEXT", owner: true, persisted: true },
      things: {
        name: "things",
        propertyType: "COLLECTION",
        itemPropertyType: "REFERENCE",
        target: "thing",
        collection: true,
        persisted: true,
      },
    },
  },
};

function setup() {
  const idx = new SchemaIndex(TABLE);
  const store = new MetadataStore();
  store.put("boxes", { id: "box00000001", name: "Red box" });
  store.put("things", { id: "thing000001", name: "alpha", code: "A", size: 3, box: { id: "box00000001" } });
  store.put("things", { id: "thing000002", name: "Beta", size: 10, box: { id: "box00000001" } });
  store.put("things", { id: "thing000003", name: "gamma", code: "G", size: 7 });
  return { idx, store, ctx: new ReadContext(idx, store, "http://x/api") };
}

describe("parseFields", () => {
  it("parses nesting, exclusions, presets and transformers", () => {
    expect(parseFields("id,name,children[id,parent[id]],!href,:owner,name~rename(n)")).toEqual([
      { name: "id" },
      { name: "name" },
      { name: "children", children: [{ name: "id" }, { name: "parent", children: [{ name: "id" }] }] },
      { name: "href", exclude: true },
      { name: ":owner" },
      { name: "name", transformers: [{ name: "rename", arg: "n" }] },
    ]);
  });
});

describe("engine over plain objects", () => {
  it("renders fields with derived and inverse values", () => {
    const { idx, store, ctx } = setup();
    const box = store.get("boxes", "box00000001")!;
    const out = renderObject(
      ctx,
      TABLE.boxes!,
      box,
      parseFields("displayName,name~rename(label),things[name],things~size"),
    );
    expect(out).toEqual({ label: "Red box", things: 2 });
    const both = renderObject(ctx, TABLE.boxes!, box, parseFields("things[name]"));
    expect(both).toEqual({ things: [{ name: "alpha" }, { name: "Beta" }] });
    expect(idx.inverseOf(TABLE.boxes!, TABLE.boxes!.properties.things!)).toEqual({
      kind: "ref",
      sourcePlural: "things",
      sourceProp: "box",
    });
  });

  it("filters, orders and pages", () => {
    const { store, ctx } = setup();
    const opts = { notEmptyOperator: true };
    const r = runList(
      ctx,
      TABLE.things!,
      store.list("things"),
      { filters: ["size:gt:5"], order: ["size:desc"], fields: "name" },
      opts,
      {
        base: "http://x/api/things",
        extraParams: "",
      },
    );
    expect(r.items).toEqual([{ name: "Beta" }, { name: "gamma" }]);
    expect(r.pager).toEqual({ page: 1, total: 2, pageSize: 50, pageCount: 1 });
    const byBox = runList(
      ctx,
      TABLE.things!,
      store.list("things"),
      { filters: ["box.name:eq:Red box"], fields: "name" },
      opts,
      {
        base: "",
        extraParams: "",
      },
    );
    // default order: name, case-insensitive
    expect(byBox.items).toEqual([{ name: "alpha" }, { name: "Beta" }]);
    const pred = compileFilter(ctx.idx, TABLE.things!, "code:!eq:A", opts);
    expect(
      store
        .list("things")
        .filter((o) => pred(ctx, o))
        .map((o) => o.code),
    ).toEqual(["G"]);
  });

  it("rejects unknown paths and operators, and !empty when the version has none", () => {
    const { idx } = setup();
    const def = TABLE.things!;
    expect(() => compileFilter(idx, def, "nope:eq:1", { notEmptyOperator: true })).toThrow(
      "Unknown path property: nope",
    );
    expect(() => compileFilter(idx, def, "name:wat:1", { notEmptyOperator: true })).toThrow(
      "`wat` is not a valid operator.",
    );
    expect(() => compileFilter(idx, def, "name:!empty", { notEmptyOperator: false })).toThrow(QueryError);
    expect(() => compileFilter(idx, def, "name", { notEmptyOperator: true })).toThrow(
      "Invalid filter => name",
    );
  });

  it("builds DHIS2's pager links", () => {
    expect(buildPager(2, 10, 35, "http://h/api/x", "fields=id")).toEqual({
      page: 2,
      total: 35,
      pageSize: 10,
      pageCount: 4,
      nextPage: "http://h/api/x?page=3&pageSize=10&fields=id",
      prevPage: "http://h/api/x?pageSize=10&fields=id",
    });
    expect(buildPager(9, 50, 10, "http://h/api/x", "").page).toBe(1);
  });
});

describe("applyJsonPatch", () => {
  it("applies RFC 6902 operations to a copy", () => {
    const doc = { name: "a", list: [1, 2], nested: { x: 1 } };
    const out = applyJsonPatch(doc, [
      { op: "replace", path: "/name", value: "b" },
      { op: "add", path: "/list/-", value: 3 },
      { op: "remove", path: "/list/0" },
      { op: "copy", from: "/nested/x", path: "/y" },
      { op: "move", from: "/y", path: "/z" },
      { op: "test", path: "/z", value: 1 },
    ]);
    expect(out).toEqual({ name: "b", list: [2, 3], nested: { x: 1 }, z: 1 });
    expect(doc.name).toBe("a");
    expect(() => applyJsonPatch(doc, [{ op: "remove", path: "/missing/deep" }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(doc, [{ op: "test", path: "/name", value: "zzz" }])).toThrow("Test failed");
  });
});

describe("per-version query behaviour", () => {
  const started: Emulator[] = [];
  afterAll(async () => {
    for (const e of started) await e.close();
  });

  it("quirk: v41 rejects !empty; v42 accepts it", async () => {
    const v41 = await startMetadataEmulator("v41");
    started.push(v41);
    const r = await api(v41).get("/organisationUnits?filter=children:!empty");
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ status: "ERROR", message: "`!empty` is not a valid operator." });
    const v42 = await startMetadataEmulator("v42");
    started.push(v42);
    expect((await api(v42).get("/organisationUnits?filter=children:!empty")).status).toBe(200);
  });

  it("v43 answers parser errors with 400", async () => {
    const v43 = await startMetadataEmulator("v43");
    started.push(v43);
    const r = await api(v43).get("/dataElements?filter=nope:eq:1");
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      httpStatusCode: 400,
      status: "ERROR",
      message: "Unknown path property: nope",
    });
  });
});
