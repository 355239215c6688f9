/**
 * `/api/schemas`: every schema of the version (not only the resources with an endpoint), from
 * codegen's derived snapshot, and field filtering as dhis2-core's SchemaController does it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { api, startMetadataEmulator, useMetadataEmulator } from "./metadata-helpers.js";

const fixture = useMetadataEmulator("v42", "empty");
const { http } = fixture;

const snapshot = (v: string) =>
  JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve(`@dhis2w/emulator/schemas/${v}.gen.json`), "utf8"),
  ) as { schemas: { klass: string; singular?: string; name: string }[] };

describe("GET /api/schemas", () => {
  it("lists every schema of the version, also those without an endpoint", async () => {
    const r = await http.get("/schemas");
    expect(r.status).toBe(200);
    const klasses = r.json.schemas.map((s: { klass: string }) => s.klass);
    expect(klasses).toEqual(snapshot("v42").schemas.map((s) => s.klass));
    expect(klasses).toHaveLength(119);
    // embedded and helper types have schemas too (they had none when /api/schemas came from the table)
    expect(klasses).toContain("org.hisp.dhis.dataset.DataSetElement");
    expect(klasses).toContain("org.hisp.dhis.common.ObjectStyle");
  });

  it("answers properties as DHIS2 does: false flags and fieldName present, nulls absent", async () => {
    const de = (await http.get("/schemas/dataElement")).json;
    expect(de).toMatchObject({
      name: "dataElement",
      singular: "dataElement",
      plural: "dataElements",
      metadata: true,
    });
    const name = de.properties.find((p: { name: string }) => p.name === "name");
    expect(name).toEqual({
      name: "name",
      fieldName: "name",
      propertyType: "TEXT",
      klass: "java.lang.String",
      collection: false,
      required: true,
      owner: true,
      unique: true,
      writable: true,
      persisted: true,
      min: 1,
      max: 230,
    });
    const groups = de.properties.find((p: { fieldName: string }) => p.fieldName === "groups");
    expect(groups).toMatchObject({
      name: "dataElementGroup",
      collection: true,
      itemPropertyType: "REFERENCE",
    });
    expect(JSON.stringify(de)).not.toContain("null");
  });

  it("honours fields on the list: names, nested property selections, exclusions", async () => {
    const names = (await http.get("/schemas?fields=name,plural")).json.schemas;
    expect(names[0]).toEqual({ name: expect.any(String), plural: expect.any(String) });
    expect(names).toHaveLength(119);

    const nested = (await http.get("/schemas?fields=singular,properties[name,propertyType]")).json.schemas;
    const de = nested.find((s: { singular: string }) => s.singular === "dataElement");
    expect(Object.keys(de).sort()).toEqual(["properties", "singular"]);
    expect(de.properties).toContainEqual({ name: "valueType", propertyType: "CONSTANT" });

    const without = (await http.get("/schemas/dataElement?fields=*,!properties")).json;
    expect(without).toMatchObject({ klass: "org.hisp.dhis.dataelement.DataElement" });
    expect(without.properties).toBeUndefined();

    const one = (await http.get("/schemas/dataElement?fields=klass&fields=nmae")).json;
    expect(one).toEqual({ klass: "org.hisp.dhis.dataelement.DataElement" }); // unknown names are dropped
  });

  it("finds a schema by its singular name only, and one property of it", async () => {
    const plural = await http.get("/schemas/dataElements");
    expect(plural.status).toBe(404);
    expect(plural.json).toMatchObject({ httpStatusCode: 404, message: "Type dataElements does not exist." });
    const prop = await http.get("/schemas/dataElement/valueType");
    expect(prop.status).toBe(200);
    expect(prop.json).toMatchObject({ name: "valueType", propertyType: "CONSTANT" });
    expect(prop.json.constants).toContain("NUMBER");
    const missing = await http.get("/schemas/dataElement/nmae");
    expect(missing.json.message).toBe("Property nmae does not exist on type dataElement.");
  });

  it("serves each version its own schemas", async () => {
    const emu = await startMetadataEmulator("v43", "empty");
    try {
      const r = await api(emu).get("/schemas?fields=klass");
      expect(r.json.schemas).toHaveLength(snapshot("v43").schemas.length);
      const item = (await api(emu).get("/schemas/dashboardItem?fields=properties[name]")).json;
      // 2.43 dropped DashboardItem.user (the reference); the collection `users` remains
      expect(item.properties.filter((p: { name: string }) => p.name === "user")).toHaveLength(1);
    } finally {
      await emu.close();
    }
  });
});
