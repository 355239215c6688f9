import { describe, expect, it } from "vitest";
import {
  buildListParams,
  FILTER_OPERATORS,
  parseFields,
  parseFilter,
  QueryValidationError,
  type ResourceDef,
} from "../src/resources/index.js";

const dataElements: ResourceDef = {
  singular: "dataElement",
  plural: "dataElements",
  klass: "org.hisp.dhis.dataelement.DataElement",
  endpoint: "/api/dataElements",
  metadata: true,
  identifiable: true,
  properties: {
    id: { name: "id", propertyType: "IDENTIFIER" },
    name: { name: "name", propertyType: "TEXT" },
    code: { name: "code", propertyType: "IDENTIFIER" },
    valueType: { name: "valueType", propertyType: "CONSTANT" },
    categoryCombo: { name: "categoryCombo", propertyType: "REFERENCE", target: "categoryCombo" },
    dataSetElements: { name: "dataSetElements", propertyType: "COLLECTION", collection: true },
  },
};

function rejection(fn: () => unknown): QueryValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof QueryValidationError) return e;
    throw e;
  }
  throw new Error("expected a QueryValidationError");
}

describe("filters", () => {
  const sample: Record<string, string> = { in: "[a,b]", "!in": "[a,b]" };
  const unary = new Set(["null", "!null", "empty", "!empty"]);
  it.each(FILTER_OPERATORS)("accepts the %s operator", (op) => {
    const text = unary.has(op) ? `name:${op}` : `name:${op}:${sample[op] ?? "Penta"}`;
    expect(parseFilter(text)).toEqual({
      path: "name",
      operator: op,
      value: unary.has(op) ? undefined : (sample[op] ?? "Penta"),
    });
  });

  it("keeps colons inside the value and accepts nested paths", () => {
    expect(parseFilter("parent.id:eq:a:b")).toEqual({ path: "parent.id", operator: "eq", value: "a:b" });
    expect(parseFilter("dataSetElements.dataSet.id:in:[x,y]", { def: dataElements }).path).toBe(
      "dataSetElements.dataSet.id",
    );
  });

  it.each([
    ["name", "expected property:operator", "name"],
    [":eq:x", "property path is empty", ""],
    ["parent..id:eq:x", "is not a property name", "parent..id"],
    ["name::x", "operator is missing", ""],
    ["name:likes:x", 'unknown operator "likes"', "likes"],
    ["name:null:x", "takes no value", "x"],
    ["name:eq", "needs a value", "eq"],
    ["name:eq:", "needs a value", "eq"],
    ["id:in:a,b", "bracketed list", "a,b"],
    ["id:!in:[]", "at least one value", "[]"],
  ])("rejects %s naming the bad part", (filter, why, part) => {
    const e = rejection(() => parseFilter(filter));
    expect(e.message).toContain(why);
    expect(e.message).toContain(filter);
    expect(e.option).toBe("filters");
    expect(e.part).toBe(part);
  });

  it("suggests an operator for a typo", () => {
    expect(rejection(() => parseFilter("name:ilke:x")).message).toContain('did you mean "ilike"');
  });

  it("rejects an unknown property when the table is known, naming the resource and close names", () => {
    const e = rejection(() => parseFilter("nmae:eq:x", { def: dataElements }));
    expect(e.message).toContain('dataElements has no property "nmae"');
    expect(e.message).toContain('"name"');
    expect(e.part).toBe("nmae");
  });

  it("lets DHIS2's special paths through: identifiable and attribute UIDs", () => {
    expect(parseFilter("identifiable:token:anc", { def: dataElements }).path).toBe("identifiable");
    expect(parseFilter("l1VmqIHKk6t:eq:x", { def: dataElements }).path).toBe("l1VmqIHKk6t");
  });

  it("quirk: rejects !empty on 2.41, which lacks it", () => {
    expect(() => parseFilter("dataSetElements:!empty", { versionKey: "v42" })).not.toThrow();
    expect(rejection(() => parseFilter("dataSetElements:!empty", { versionKey: "v41" })).message).toContain(
      "2.41",
    );
  });

  it("builds a filter from a spec object, lists in brackets", () => {
    expect(parseFilter({ path: "id", operator: "in", value: ["a", "b"] }).value).toBe("[a,b]");
    expect(parseFilter({ path: "code", operator: "null" }).value).toBeUndefined();
  });
});

describe("order", () => {
  it("joins several orders and accepts every direction", () => {
    const params = buildListParams({
      order: ["level:asc", "name:desc", "code:iasc", "shortName:idesc", "created"],
    });
    expect(params.order).toBe("level:asc,name:desc,code:iasc,shortName:idesc,created");
  });
  it.each([
    ["name:up", 'unknown direction "up"', "up"],
    [":asc", "property is empty", ":asc"],
    ["name:asc:x", "expected property[:direction]", "name:asc:x"],
  ])("rejects %s", (order, why, part) => {
    const e = rejection(() => buildListParams({ order }));
    expect(e.message).toContain(why);
    expect(e.option).toBe("order");
    expect(e.part).toBe(part);
  });
  it("rejects ordering on a property the resource lacks", () => {
    const e = rejection(() => buildListParams({ order: "nam:asc" }, { def: dataElements }));
    expect(e.message).toContain('no property "nam"');
  });
});

describe("fields", () => {
  it.each([
    "id,name,children[id,name]",
    ":identifiable",
    ":all",
    ":nameable",
    ":owner",
    "*",
    "*,!href,-access",
    "id,name~rename(label),children~size",
    "id, name , parent[id,parent[id,name]]",
    "categoryCombo(id,categories(id))",
    "id,,name",
  ])("accepts %s", (fields) => {
    expect(() => parseFields(fields)).not.toThrow();
  });

  it("parses nesting, exclusions and transformers into a tree", () => {
    const [id, name, children, excluded] = parseFields("id,name~rename(label),children[id],!href");
    expect(id?.name).toBe("id");
    expect(name?.transforms).toEqual([{ type: "rename", args: ["label"] }]);
    expect(children?.children.map((c) => c.name)).toEqual(["id"]);
    expect(excluded).toMatchObject({ name: "href", exclude: true });
  });

  it.each([
    ["id,children[id,name", "unclosed bracket"],
    ["id,name]", "unbalanced closing bracket"],
    ["children[id)", 'expected "]"'],
    [":identifable", 'unknown preset ":identifable"'],
    ["id,name~rename(x", "unclosed"],
    ["id,[name]", "expected a field name"],
    ["id name", 'expected ","'],
  ])("rejects %s with the position", (fields, why) => {
    const e = rejection(() => parseFields(fields));
    expect(e.message).toContain(why);
    expect(e.message).toContain("position");
    expect(e.option).toBe("fields");
  });
});

describe("buildListParams", () => {
  it("sends filters as repeated filter parameters with rootJunction", () => {
    expect(
      buildListParams({
        filters: ["name:like:Penta", "code:eq:DE_PENTA1"],
        rootJunction: "OR",
        fields: "id,name",
      }),
    ).toEqual({ filter: ["name:like:Penta", "code:eq:DE_PENTA1"], rootJunction: "OR", fields: "id,name" });
  });
  it("sends paging=false without page or pageSize", () => {
    expect(buildListParams({ paging: false, pageSize: 10, page: 2 })).toEqual({ paging: "false" });
  });
  it("sends page and pageSize", () => {
    expect(buildListParams({ pageSize: 20, page: 2 })).toEqual({ pageSize: "20", page: "2" });
  });
  it("joins a fields array and keeps extra params", () => {
    expect(buildListParams({ fields: ["id", "name"], params: { query: "anc" } })).toEqual({
      fields: "id,name",
      query: "anc",
    });
  });
  it.each([
    [{ pageSize: 0 }, "pageSize"],
    [{ page: 1.5 }, "page"],
    [{ rootJunction: "XOR" as "OR" }, "rootJunction"],
  ])("rejects %j", (opts, option) => {
    expect(rejection(() => buildListParams(opts)).option).toBe(option);
  });
});
