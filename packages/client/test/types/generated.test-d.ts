/**
 * Type-level tests against codegen's real per-version models (checked by `npm run typecheck`).
 */
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
