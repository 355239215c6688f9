// This file is type-checked by `npm run typecheck` (tsconfig.scripts.json includes packages/*/test):
// the @ts-expect-error lines fail the build if the generated types stop rejecting bad values.
import {
  AggregationType,
  type DataElement,
  DataElementDomain,
  type Reference,
  ValueType,
} from "@dhis2w/client/v42";
import type { ModelMap as ModelMap43, Visualization } from "@dhis2w/client/v43";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { GeneratedVersionKey, ModelMaps } from "../src/generated/registry.gen.js";
import { GENERATED_VERSION_KEYS, loadResourceTable } from "../src/generated/registry.gen.js";

describe("generated v42 models through the @dhis2w/client/v42 subpath", () => {
  it("builds a DataElement like the tutorial does, with enums as const objects", () => {
    const categoryCombo: Reference = { id: "bjDvmb4bfuf" };
    const de: DataElement = {
      id: "fbfJHSPpUQD",
      name: "ANC 1st visit",
      shortName: "ANC 1",
      domainType: DataElementDomain.AGGREGATE,
      valueType: ValueType.NUMBER,
      aggregationType: AggregationType.SUM,
      categoryCombo,
      dataElementGroups: [{ id: "oDkJh5Ddh7d" }],
    };
    expect(ValueType.NUMBER).toBe("NUMBER");
    expect(de.valueType).toBe("NUMBER");
    // @ts-expect-error: not a ValueType
    const bad: DataElement = { valueType: "NUMERIC" };
    // @ts-expect-error: the wire name is dataElementGroups, not the Java field "groups"
    const javaName: DataElement = { groups: [] };
    expect([bad, javaName]).toHaveLength(2);
    expectTypeOf<DataElement["valueType"]>().toEqualTypeOf<ValueType | undefined>();
    expectTypeOf<Reference["id"]>().toEqualTypeOf<string>();
  });

  it("keys ModelMap by plural, per version, and lists the versions", async () => {
    expectTypeOf<ModelMaps["v42"]["dataElements"]>().toEqualTypeOf<DataElement>();
    expectTypeOf<ModelMap43["visualizations"]>().toEqualTypeOf<Visualization>();
    expectTypeOf<GeneratedVersionKey>().toEqualTypeOf<"v41" | "v42" | "v43">();
    expect(GENERATED_VERSION_KEYS).toEqual(["v41", "v42", "v43"]);
    const table = await loadResourceTable("v42");
    expect(table.dataElements).toMatchObject({
      singular: "dataElement",
      endpoint: "/api/dataElements",
      metadata: true,
      identifiable: true,
    });
    expect(table.dataElements!.properties.dataElementGroups).toMatchObject({
      propertyType: "COLLECTION",
      itemPropertyType: "REFERENCE",
      target: "dataElementGroup",
      collection: true,
    });
    expect(table.dataElements!.properties.valueType!.constants).toContain("NUMBER");
    expect(table.programRuleVariables!.properties.programRuleVariableSourceType).toBeDefined();
  });
});
