/**
 * Type-level tests (checked by `npm run typecheck`, not run by vitest): a `fields` literal narrows
 * the result type; `// @ts-expect-error` lines fail the build if narrowing stops working.
 */
import type {
  CheckFields,
  IdOnly,
  Ref,
  ResourceAccessor,
  ResourcesOf,
  Select,
} from "../../src/resources/index.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_: T): void {}

interface Reference {
  id?: string;
  code?: string;
}
interface CategoryCombo {
  id?: string;
  name?: string;
  categories?: Reference[];
}
interface OrganisationUnit {
  id?: string;
  name?: string;
  level?: number;
  parent?: OrganisationUnit;
  children?: OrganisationUnit[];
}
interface DataElement {
  id?: string;
  name?: string;
  shortName?: string;
  valueType?: "NUMBER" | "TEXT";
  categoryCombo?: CategoryCombo;
  href?: string;
}
interface Route {
  id?: string;
  name?: string;
  url?: string;
}

// Two versions' model maps: v43 adds `routes` and `DataElement.fieldMask` (stand-ins for codegen output).
type ModelMapV41 = { dataElements: DataElement; organisationUnits: OrganisationUnit };
type ModelMapV43 = {
  dataElements: DataElement & { fieldMask?: string };
  organisationUnits: OrganisationUnit;
  routes: Route;
};

// --- Select ---------------------------------------------------------------------------------
assertType<Equal<Select<DataElement, "id,name">, { id: string; name?: string }>>(true);
assertType<
  Equal<
    Select<DataElement, "id,name,categoryCombo[id]">,
    { id: string; name?: string; categoryCombo?: { id: string } }
  >
>(true);
assertType<
  Equal<
    Select<OrganisationUnit, "id, children[id,name,parent[id]]">,
    { id: string; children?: Array<{ id: string; name?: string; parent?: { id: string } }> }
  >
>(true);
assertType<Equal<Select<DataElement, "name~rename(label),id">, { id: string; label?: string }>>(true);
assertType<Equal<Select<OrganisationUnit, "children~size">, { children?: number }>>(true);
// presets and non-literals fall back to the whole model
assertType<Equal<Select<DataElement, ":identifiable">, DataElement & { id: string }>>(true);
assertType<Equal<Select<DataElement, "*">, DataElement & { id: string }>>(true);
assertType<Equal<Select<DataElement, string>, DataElement>>(true);
assertType<Equal<Select<DataElement, "*,!href">, Omit<DataElement, "href"> & { id: string }>>(true);

// --- CheckFields ----------------------------------------------------------------------------
assertType<Equal<CheckFields<DataElement, "id,name,categoryCombo[id]">, "id,name,categoryCombo[id]">>(true);
assertType<Equal<CheckFields<DataElement, string>, string>>(true);
assertType<Equal<CheckFields<Record<string, unknown>, "anything">, "anything">>(true);
// the unknown name is offered replaced by every known one
assertType<Equal<Extract<CheckFields<DataElement, "id,nmae">, "id,name">, "id,name">>(true);
assertType<Equal<Extract<CheckFields<DataElement, "id,nmae">, "id,nmae">, never>>(true);

// --- references that carry their target (what codegen emits: `categoryCombo?: Ref<CategoryCombo>`)
interface Category {
  id?: string;
  name?: string;
  shortName?: string;
}
interface TypedCombo {
  id?: string;
  name?: string;
  categories?: Ref<Category>[];
}
interface TypedElement {
  id?: string;
  name?: string;
  categoryCombo?: Ref<TypedCombo>;
  style?: { color?: string; icon?: string };
}
assertType<
  Equal<
    Select<TypedElement, "categoryCombo[categories[id,name]]">,
    { categoryCombo?: { categories?: Array<{ id: string; name?: string }> } }
  >
>(true);
// `*` (get without fields): references as DHIS2 sends them, `{ id }`; embedded objects whole
assertType<Equal<Select<TypedElement, "*">["categoryCombo"], IdOnly | undefined>>(true);
assertType<Equal<Select<TypedElement, "*">["style"], { color?: string; icon?: string } | undefined>>(true);
assertType<Equal<Select<TypedElement, ":owner">["categoryCombo"], IdOnly | undefined>>(true);
// a misspelt name in a nested selection of a reference is refused, with the target's names offered
assertType<
  Equal<
    Extract<CheckFields<TypedElement, "categoryCombo[nmae]">, "categoryCombo[name]">,
    "categoryCombo[name]"
  >
>(true);
assertType<Equal<Extract<CheckFields<TypedElement, "categoryCombo[nmae]">, "categoryCombo[nmae]">, never>>(
  true,
);
assertType<
  Equal<
    CheckFields<TypedElement, "categoryCombo[categories[id,shortName]]">,
    "categoryCombo[categories[id,shortName]]"
  >
>(true);
assertType<
  Equal<
    Extract<
      CheckFields<TypedElement, "categoryCombo[categories[shortname]]">,
      "categoryCombo[categories[shortname]]"
    >,
    never
  >
>(true);
// embedded objects' selections are not checked (as at run time)
assertType<Equal<CheckFields<TypedElement, "style[colour]">, "style[colour]">>(true);
// Ref<T> takes { id } and a full object with an id
const refById: Ref<TypedCombo> = { id: "bjDvmb4bfuf" };
const refFull: Ref<TypedCombo> = { id: "bjDvmb4bfuf", name: "default", categories: [{ id: "GLevLNI9wkl" }] };
// @ts-expect-error a reference needs an id
const refNoId: Ref<TypedCombo> = { name: "default" };
void [refById, refFull, refNoId];

// --- through the accessors ------------------------------------------------------------------
declare const v41: ResourcesOf<ModelMapV41>;
declare const v43: ResourcesOf<ModelMapV43>;

export async function narrowing(): Promise<void> {
  const de = await v43.dataElements.get("fbfJHSPpUQD", { fields: "id,name,categoryCombo[id]" });
  const id: string = de.id;
  const name: string | undefined = de.name;
  const ccId: string | undefined = de.categoryCombo?.id;
  // @ts-expect-error valueType was not asked for
  de.valueType;
  // @ts-expect-error nested narrowing: only categoryCombo.id was asked for
  de.categoryCombo?.name;

  const full = await v43.dataElements.get("fbfJHSPpUQD");
  const vt: "NUMBER" | "TEXT" | undefined = full.valueType;

  const listed = await v41.organisationUnits.list({ fields: "id,level", order: "level:asc" });
  const level: number | undefined = listed[0]?.level;
  // @ts-expect-error name was not asked for
  listed[0]?.name;

  // without fields a list holds what DHIS2 sends by default: id and displayName
  const plain = await v41.organisationUnits.list();
  // @ts-expect-error level is not in DHIS2's default list fields
  plain[0]?.level;

  const page = await v41.dataElements.listRaw({ fields: "id" });
  const pageCount: number | undefined = page.pager?.pageCount;
  const firstId: string | undefined = page.dataElements[0]?.id;

  for await (const ou of v43.organisationUnits.iterate({ fields: "id,name" })) {
    const n: string | undefined = ou.name;
    void n;
  }

  // per-version typing: routes exist in the v43 map only, fieldMask is a v43 property
  const routes: ResourceAccessor<Route, "routes"> = v43.routes;
  // @ts-expect-error no routes in v41
  v41.routes;
  const masked = await v43.dataElements.get("fbfJHSPpUQD", { fields: "id,fieldMask" });
  const mask: string | undefined = masked.fieldMask;
  const old = await v41.dataElements.get("fbfJHSPpUQD", { fields: "id,name" });
  // @ts-expect-error fieldMask is not a v41 DataElement property
  old.fieldMask;

  // collection names are typed
  await v41.organisationUnits.addCollectionItem("ImspTQPwCqd", "children", "O6uvpzGd5pu");
  // @ts-expect-error name is not a collection
  await v41.organisationUnits.addCollectionItem("ImspTQPwCqd", "name", "O6uvpzGd5pu");

  // misspelt fields: a type error where the fields string is a literal (the compiler suggests the name)
  // @ts-expect-error misspelt bare field
  await v43.dataElements.list({ fields: "id,nmae" });
  // @ts-expect-error misspelt field in get
  await v43.dataElements.get("fbfJHSPpUQD", { fields: "id,shortname" });
  // @ts-expect-error misspelt head of a nested selection
  await v41.organisationUnits.list({ fields: "id,childern[id,name]" });
  // @ts-expect-error misspelt exclusion
  await v41.dataElements.get("fbfJHSPpUQD", { fields: "*,!hreff" });
  // @ts-expect-error misspelt field under a transformer
  await v41.organisationUnits.list({ fields: "childs~size" });
  // @ts-expect-error misspelt field in iterate
  v43.organisationUnits.iterate({ fields: "id,nmae" });
  // presets, *, exclusions, transformers and nested selections of real names all pass
  await v41.dataElements.list({ fields: ":owner" });
  await v41.dataElements.list({ fields: "*,!href" });
  await v41.organisationUnits.list({ fields: "id, name~rename(label), children::size, parent[id,name]" });
  // a non-literal string is checked at run time only
  const dynamic: string = ["id", "nmae"].join(",");
  await v41.dataElements.list({ fields: dynamic });

  // a selected object can be PUT back
  await v43.dataElements.update({ ...de, name: "Renamed" });

  void [id, name, ccId, vt, level, pageCount, firstId, routes, mask];
}
