import {
  analyze,
  generate,
  parseSchemaDocument,
  pluralize,
  SchemaInputError,
  wireName,
} from "@dhis2w/codegen";
import { describe, expect, it } from "vitest";
import { miniSchemas, prop } from "./fixtures.js";

const doc = () =>
  parseSchemaDocument({ version_key: "v42", raw_version: "2.42.4.1", schemas: miniSchemas() }, "mini");

describe("pluralize", () => {
  it("spells plurals the way DHIS2 names its collections", () => {
    expect(pluralize("dataElementGroup")).toBe("dataElementGroups");
    expect(pluralize("category")).toBe("categories");
    expect(pluralize("axis")).toBe("axes");
    expect(pluralize("userAccess")).toBe("userAccesses");
    expect(pluralize("key")).toBe("keys");
  });
});

describe("wireName", () => {
  it("quirk: maps the schema's uid field to id on the wire", () => {
    expect(wireName(prop({ name: "id", fieldName: "uid", propertyType: "IDENTIFIER" }))).toEqual({
      name: "id",
      rule: "uid-to-id",
    });
    expect(wireName(prop({ name: "uid", propertyType: "IDENTIFIER" })).name).toBe("id");
  });

  it("quirk: keeps the schema name of single-valued properties, not the Java field (wire vs schema names)", () => {
    const p = prop({
      name: "programRuleVariableSourceType",
      fieldName: "sourceType",
      propertyType: "CONSTANT",
    });
    expect(wireName(p)).toEqual({ name: "programRuleVariableSourceType", rule: "name" });
  });

  const coll = (name: string, fieldName: string, itemKlass: string) =>
    prop({
      name,
      fieldName,
      propertyType: "COLLECTION",
      collection: true,
      itemPropertyType: "REFERENCE",
      itemKlass,
    });

  it("pluralises an XML item name that is the item class", () => {
    expect(
      wireName(coll("dataElementGroup", "groups", "org.hisp.dhis.dataelement.DataElementGroup")).name,
    ).toBe("dataElementGroups");
    expect(wireName(coll("smsCode", "codes", "org.hisp.dhis.sms.command.code.SMSCode")).name).toBe(
      "smsCodes",
    );
    expect(
      wireName(coll("organisationUnit", "sources", "org.hisp.dhis.organisationunit.OrganisationUnit")).name,
    ).toBe("organisationUnits");
  });

  it("uses the getter name when the XML item name is made up", () => {
    expect(wireName(coll("likeByUser", "likedBy", "org.hisp.dhis.user.User"))).toEqual({
      name: "likedBy",
      rule: "field-name",
    });
    expect(wireName(coll("child", "children", "org.hisp.dhis.organisationunit.OrganisationUnit")).name).toBe(
      "children",
    );
  });

  it("applies the verified overrides and an explicit collectionName", () => {
    const ancestors = coll(
      "organisationUnit",
      "ancestors",
      "org.hisp.dhis.organisationunit.OrganisationUnit",
    );
    expect(wireName(ancestors)).toEqual({ name: "ancestors", rule: "field-name-override" });
    expect(wireName({ ...ancestors, collectionName: "parents" }).name).toBe("parents");
    expect(wireName(coll("programIndicatorGroups", "groups", "x.ProgramIndicatorGroup")).name).toBe(
      "programIndicatorGroups",
    );
  });
});

describe("analyze on a handmade fragment", () => {
  const ir = analyze(doc());
  const byKlass = (k: string) => ir.models.find((m) => m.klass === k)!;
  const kinds = (kind: string) => ir.quirks.filter((q) => q.kind === kind);

  it("quirk: keys repeated schema names by klass and names them after the class", () => {
    expect(byKlass("org.hisp.dhis.user.UserRole").name).toBe("UserRole");
    expect(byKlass("org.hisp.dhis.mapping.MapView").name).toBe("MapView");
    expect(kinds("repeated-schema-name").map((q) => q.where)).toEqual(["identifiableObject"]);
  });

  it("quirk: lists only identifiable schemas with an endpoint as resources, keyed by the server's plural (authoritys)", () => {
    expect(ir.resources.map((r) => r.plural)).toEqual(["authoritys", "dataElementGroups", "dataElements"]);
    expect(kinds("irregular-plural").map((q) => q.detail)).toEqual(["userRole -> authoritys (kept)"]);
    expect(kinds("endpoint-not-identifiable").map((q) => q.where)).toEqual(["org.hisp.dhis.icon.Icon"]);
  });

  it("quirk: types fields from propertyType, klass wins for java scalars, references get a target", () => {
    const de = byKlass("org.hisp.dhis.dataelement.DataElement");
    const f = (w: string) => de.fields.find((x) => x.wire === w)!;
    expect(de.fields.map((x) => x.wire)).toEqual([
      "dataElementGroups",
      "dimension",
      "id",
      "name",
      "size",
      "status",
      "style",
      "valueType",
    ]);
    expect(f("size").type).toEqual({ k: "number" });
    expect(f("dataElementGroups")).toMatchObject({
      target: "dataElementGroup",
      collection: true,
      reference: true,
    });
    expect(f("dimension")).toMatchObject({ type: { k: "ref" }, reference: true });
    expect(f("dimension").target).toBeUndefined();
    expect(f("style").type).toEqual({ k: "model", name: "org.hisp.dhis.common.ObjectStyle" });
  });

  it("names enums after the Java class and resolves clashes deterministically", () => {
    expect(ir.enums.map((e) => [e.name, e.klass])).toEqual([
      ["EventStatus", "org.hisp.dhis.event.EventStatus"],
      ["MappingEventStatus", "org.hisp.dhis.mapping.EventStatus"],
      ["MappingObjectStyle", "org.hisp.dhis.mapping.ObjectStyle"],
      ["ValueType", "org.hisp.dhis.common.ValueType"],
    ]);
    expect(ir.enums.find((e) => e.name === "MappingObjectStyle")!.constants).toEqual(["A", "B", "C"]);
    expect(kinds("enum-constants-differ")).toHaveLength(1);
  });

  it("emits enums as const objects plus a union type, and a header naming the input", () => {
    const models = generate([doc()]).get("v42/models.gen.ts")!;
    expect(models.split("\n")[0]).toMatch(
      /^\/\/ Generated by @dhis2w\/codegen from .*2\.42\.4\.1 \(v42\)\. Do not edit/,
    );
    expect(models).toContain('export const ValueType = { NUMBER: "NUMBER", TEXT: "TEXT" } as const;');
    expect(models).toContain("export type ValueType = (typeof ValueType)[keyof typeof ValueType];");
    // A reference carries its target model, so nested `fields` selections narrow to it.
    expect(models).toContain("  dataElementGroups?: Ref<DataElementGroup>[];");
    expect(models).toContain("  dimension?: Reference;"); // a target without a schema stays Reference
  });
});

describe("parseSchemaDocument", () => {
  it("accepts the plain server answer when told the version", () => {
    const d = parseSchemaDocument({ schemas: miniSchemas() }, "live", "2.43.0");
    expect([d.versionKey, d.rawVersion]).toEqual(["v43", "2.43.0"]);
  });

  it("says what is wrong and where", () => {
    expect(() => parseSchemaDocument({ schemas: miniSchemas() }, "live.json")).toThrow(
      /live\.json.*--server-version/,
    );
    const broken = miniSchemas();
    (broken[1]!.properties as unknown as Record<string, unknown>[])[1] = { name: "x" };
    expect(() => parseSchemaDocument({ raw_version: "2.42.1", schemas: broken }, "f.json")).toThrow(
      new SchemaInputError(
        "f.json: schemas[1] (org.hisp.dhis.dataelement.DataElementGroup).properties[1].propertyType: expected a non-empty string, got undefined",
      ),
    );
    expect(() => parseSchemaDocument([], "x")).toThrow(/x: expected a JSON object/);
  });
});
