import { readFile } from "node:fs/promises";
import {
  diffDocuments,
  diffSchemas,
  formatSchemaDiff,
  parseSchemaDocument,
  SNAPSHOT_DIR,
  snapshotFiles,
} from "@dhis2w/codegen";
import { describe, expect, it } from "vitest";
import { miniSchemas, prop, schema } from "./fixtures.js";

const doc = (rawVersion: string, schemas = miniSchemas()) =>
  parseSchemaDocument({ raw_version: rawVersion, schemas }, `test ${rawVersion}`);

describe("diffDocuments", () => {
  it("reports types and properties added, removed and changed (type, collection, required, values)", () => {
    const before = miniSchemas();
    const after = miniSchemas()
      .filter((s) => !s.klass.endsWith(".UserRole"))
      .map((s) => {
        if (!s.klass.endsWith(".DataElement")) return s;
        const properties = s.properties
          .filter((p) => p.name !== "dimension")
          .map((p) => {
            if (p.name === "valueType") return { ...p, constants: ["NUMBER", "LONG_TEXT"] };
            if (p.name === "name") return { ...p, required: false, propertyType: "LONG_TEXT" };
            return p;
          });
        return { ...s, properties: [...properties, prop({ name: "fieldMask" })] };
      });
    after.push(schema({ klass: "org.hisp.dhis.route.Route", name: "route", apiEndpoint: "/api/routes" }));
    const d = diffDocuments(doc("2.42.0", before), doc("2.43.0", after));
    expect(d.from).toEqual({ versionKey: "v42", rawVersion: "2.42.0" });
    expect(d.added).toEqual([
      { klass: "org.hisp.dhis.route.Route", name: "route", plural: "routes", apiEndpoint: "/api/routes" },
    ]);
    expect(d.removed.map((s) => s.klass)).toEqual(["org.hisp.dhis.user.UserRole"]);
    const de = d.changed.find((s) => s.name === "dataElement")!;
    expect(de.addedProperties).toEqual([
      { name: "fieldMask", type: "TEXT", collection: false, required: false },
    ]);
    expect(de.removedProperties.map((p) => [p.name, p.type])).toEqual([
      ["dimension", "REFERENCE DimensionalObject"],
    ]);
    expect(de.changedProperties).toEqual([
      {
        name: "name",
        changes: [
          { aspect: "type", from: "TEXT", to: "LONG_TEXT" },
          { aspect: "required", from: true, to: false },
        ],
      },
      { name: "valueType", changes: [{ aspect: "constants", added: ["LONG_TEXT"], removed: ["TEXT"] }] },
    ]);
    const text = formatSchemaDiff(d);
    expect(text).toContain("v42 (2.42.0) -> v43 (2.43.0): 1 type added, 1 removed, 1 changed");
    expect(text).toContain("+ type route (org.hisp.dhis.route.Route, /api/routes)");
    expect(text).toContain("    ~ name: type TEXT -> LONG_TEXT; required true -> false");
    expect(text).toContain("    ~ valueType: values +LONG_TEXT -TEXT");
    expect(text).toContain("    - dimension: REFERENCE DimensionalObject");
  });

  it("finds nothing between a document and itself", () => {
    const d = diffDocuments(doc("2.42.0"), doc("2.42.1"));
    expect([d.added, d.removed, d.changed]).toEqual([[], [], []]);
  });
});

describe("diffSchemas over the committed derived snapshots", () => {
  it("knows what the 2.42 -> 2.43 upgrade changed", async () => {
    const d = await diffSchemas("v42", "v43");
    // pushAnalysis was removed in 2.43 (the client's v41/v42 have the resource, v43 not)
    expect(d.removed.map((s) => s.name)).toContain("pushAnalysis");
    // DashboardItem.user (one user) is gone; the collection `users` stays
    const item = d.changed.find((s) => s.klass === "org.hisp.dhis.dashboard.DashboardItem")!;
    expect(item.removedProperties).toContainEqual({
      name: "user",
      type: "REFERENCE User",
      collection: false,
      required: false,
    });
    expect(item.addedProperties.map((p) => p.name)).not.toContain("users");
    // ValueType lost TRACKER_ASSOCIATE in 2.43
    const attr = d.changed.find((s) => s.name === "attribute")!;
    expect(attr.changedProperties).toContainEqual({
      name: "valueType",
      changes: [{ aspect: "constants", added: [], removed: ["TRACKER_ASSOCIATE"] }],
    });
    expect(formatSchemaDiff(d)).toMatch(
      /^~ dashboardItem \(org\.hisp\.dhis\.dashboard\.DashboardItem\)\n(?: {4}.*\n)*? {4}- user: REFERENCE User$/m,
    );
  });

  it("has no `categorys` in any version (no DHIS2 version has that alias; see docs/decisions.md)", async () => {
    for (const f of await snapshotFiles()) expect(await readFile(f, "utf8")).not.toContain("categorys");
    const text = formatSchemaDiff(await diffSchemas("v41", "v43"));
    expect(text).not.toContain("categorys");
  });

  it("takes 43, 2.43 or v43 and says when a version is unknown", async () => {
    expect((await diffSchemas("2.42", "43")).to.versionKey).toBe("v43");
    await expect(diffSchemas("v42", "v44")).rejects.toThrow(/v44\.gen\.json/);
    await expect(diffSchemas("v42", "latest")).rejects.toThrow(/not a DHIS2 version: "latest"/);
    expect(SNAPSHOT_DIR).toMatch(/packages\/emulator\/schemas$/);
  });
});
