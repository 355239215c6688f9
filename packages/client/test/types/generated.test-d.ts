/**
 * Type-level tests against codegen's real per-version models (checked by `npm run typecheck`).
 */

import type { DataElement as DataElement41 } from "@dhis2w/client/v41";
import type { CategoryCombo, DataElement, Ref, Reference } from "@dhis2w/client/v43";
import type { ResourcesFor } from "../../src/resources/index.js";

declare const v41: ResourcesFor<"v41">;
declare const v43: ResourcesFor<"v43">;

export async function generatedNarrowing(): Promise<void> {
  const de = await v43.dataElements.get("fbfJHSPpUQD", { fields: "id,name,categoryCombo[id]" });
  const id: string = de.id;
  const ccId: string | undefined = de.categoryCombo?.id;
  // @ts-expect-error valueType was not asked for
  de.valueType;
  // @ts-expect-error only categoryCombo.id was asked for
  de.categoryCombo?.name;

  const ous = await v41.organisationUnits.list({ fields: "id,level,children[id,name]", paging: false });
  const level: number | undefined = ous[0]?.level;
  const childName: string | undefined = ous[0]?.children?.[0]?.name;
  // @ts-expect-error children were narrowed to id,name
  ous[0]?.children?.[0]?.code;

  // pushAnalysis exists in 2.41 and was removed by 2.43
  await v41.pushAnalysis.list();
  // @ts-expect-error no pushAnalysis resource in v43
  v43.pushAnalysis;

  // DataSet.displayOptions was added in 2.43
  const ds43 = await v43.dataSets.get("BfMAe6Itzgt", { fields: "id,displayOptions" });
  const opts: string | undefined = ds43.displayOptions;
  // asking a v41 server for it is a type error (the server would drop the field without a word)
  // @ts-expect-error displayOptions is not a v41 DataSet property
  await v41.dataSets.get("BfMAe6Itzgt", { fields: "id,displayOptions" });
  // @ts-expect-error misspelt field: "Did you mean '"id,name"'?"
  await v43.dataElements.list({ fields: "id,nmae" });

  // whole model without fields
  const full = await v43.dataElements.get("fbfJHSPpUQD");
  const valueType: string | undefined = full.valueType;

  await v43.dataSets.addCollectionItem("BfMAe6Itzgt", "organisationUnits", "DiszpKrYNg8");
  // @ts-expect-error name is not a collection of DataSet
  await v43.dataSets.addCollectionItem("BfMAe6Itzgt", "name", "DiszpKrYNg8");

  void [id, ccId, level, childName, opts, valueType];
}

export async function referencesCarryTheirTarget(): Promise<void> {
  // Nested selections narrow to the target's properties, on every version.
  const de = await v43.dataElements.get("fbfJHSPpUQD", {
    fields: "id,categoryCombo[id,categories[id,name]]",
  });
  const catName: string | undefined = de.categoryCombo?.categories?.[0]?.name;
  // @ts-expect-error categories were narrowed to id,name
  de.categoryCombo?.categories?.[0]?.shortName;
  const old = await v41.dataElements.list({ fields: "id,dataElementGroups[id,groupSets[id,name]]" });
  const setName: string | undefined = old[0]?.dataElementGroups?.[0]?.groupSets?.[0]?.name;
  // @ts-expect-error groupSets were narrowed to id,name
  old[0]?.dataElementGroups?.[0]?.groupSets?.[0]?.code;

  // A misspelt name inside a nested selection of a reference is a type error too.
  // @ts-expect-error categoryCombo has no "nmae": "Did you mean ...categoryCombo[id,name]...?"
  await v43.dataElements.get("fbfJHSPpUQD", { fields: "id,categoryCombo[id,nmae]" });
  // @ts-expect-error two levels down: Category has no "shortname"
  await v43.dataElements.list({ fields: "categoryCombo[categories[id,shortname]]" });
  // @ts-expect-error v41 too
  await v41.organisationUnits.list({ fields: "id,parent[id,nmae]" });
  await v43.dataElements.list({ fields: "categoryCombo[id,name,categories[id,name,categoryOptions[id]]]" });

  // Without fields DHIS2 sends `*`: references come as { id } only, and are typed so.
  const full = await v43.dataElements.get("fbfJHSPpUQD");
  const ccOnlyId: string | undefined = full.categoryCombo?.id;
  // @ts-expect-error a reference without a nested selection has only its id
  full.categoryCombo?.name;
  const groupIds: string[] | undefined = full.dataElementGroups?.map((g) => g.id);
  // what came back can be PUT back as it is
  await v43.dataElements.update({ ...full, name: "Renamed" });

  // Ref<T> takes { id }, a Reference, and a full object of the target.
  const byId: Ref<CategoryCombo> = { id: "bjDvmb4bfuf" };
  const asReference: Reference = { id: "bjDvmb4bfuf", code: null };
  const fromReference: DataElement = { categoryCombo: asReference };
  const cc = await v43.categoryCombos.get("bjDvmb4bfuf");
  const fromFull: DataElement = { name: "ANC 1st visit", categoryCombo: cc };
  const literal: DataElement41 = { categoryCombo: { id: "bjDvmb4bfuf", name: "default", categories: [] } };
  // @ts-expect-error a reference needs its id
  const noId: DataElement = { categoryCombo: { name: "default" } };
  // @ts-expect-error the target's properties keep their types
  const badNested: DataElement = { categoryCombo: { id: "x", categories: "all" } };
  await v43.dataElements.create({ name: "ANC", shortName: "ANC", categoryCombo: { id: "bjDvmb4bfuf" } });

  void [catName, setName, ccOnlyId, groupIds, byId, fromReference, fromFull, literal, noId, badNested];
}
