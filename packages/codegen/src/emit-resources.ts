/**
 * The resource table: every resource with its properties by their DHIS2 names, as data. False or
 * absent flags are omitted to keep it small. Constant lists are named after their enum
 * (`ValueType`), a property descriptor used more than once after the property and its kind
 * (`categoryComboRef`, `nameText`; variants `nameText2`, ...), an entry after its plural; a part
 * identical in several versions lives in a shared file, and each version's table refers to it.
 * Every const is declared by its type (`: ResourceSpec`, `: PropertySpec`, `: ResourceTable`), so
 * the `.d.ts` files carry no literal types (the literal keys users need are in `ModelMap`).
 * Descriptors carry no `name` (it is their key) and entries list blocks before their own
 * properties: `resourceTableOf` (client, `resources/resource-def.ts`) adds the names and sorts.
 */

import { headerLine, importOrder, key, modulePath, nameList, sharedHeaderLine } from "./emit-common.js";
import type { FieldDef, ModelDef, VersionIR } from "./ir.js";
import type { LaidFile } from "./layout.js";
import type { Decl, RefTable } from "./share.js";

/** `max` values that only mean "no limit" (Integer.MAX_VALUE, Double.MAX_VALUE). */
const NO_LIMIT = 2147483647;

function propertyLiteral(f: FieldDef, enumConst: (klass: string) => string | undefined): string {
  const p = f.source;
  // No `name`: it is the key (`resourceTableOf` puts it back when the table loads).
  const parts: string[] = [];
  const collection = f.collection;
  const propertyType = collection ? "COLLECTION" : p.propertyType;
  parts.push(`propertyType: ${JSON.stringify(propertyType)}`);
  if (collection) {
    const item = p.itemPropertyType ?? (p.propertyType === "COLLECTION" ? undefined : p.propertyType);
    if (item) parts.push(`itemPropertyType: ${JSON.stringify(item)}`);
  }
  if (f.target) parts.push(`target: ${JSON.stringify(f.target)}`);
  const klass = collection ? p.itemKlass : p.klass;
  const objectLike = (collection ? p.itemPropertyType : p.propertyType) === "COMPLEX";
  if (klass && ((f.reference && !f.target) || objectLike)) parts.push(`klass: ${JSON.stringify(klass)}`);
  if (collection) parts.push("collection: true");
  for (const flag of ["owner", "required", "unique", "writable", "persisted"] as const) {
    if (p[flag]) parts.push(`${flag}: true`);
  }
  const t = f.type.k === "array" ? f.type.of : f.type;
  if (t.k === "enum") parts.push(`constants: ${enumConst(t.name)}`);
  if (!collection) {
    if (typeof p.min === "number" && p.min !== 0) parts.push(`min: ${p.min}`);
    if (typeof p.max === "number" && p.max < NO_LIMIT) parts.push(`max: ${p.max}`);
  }
  return `{ ${parts.join(", ")} }`;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Const name of a shared resource entry: its plural, when that is a plain identifier. */
const entryName = (plural: string) =>
  IDENT.test(plural) && /^[a-z]/.test(plural) ? plural : `r_${plural.replace(/[^A-Za-z0-9_$]/g, "_")}`;

/**
 * Which versions each property of each resource is identical in (its descriptor's full text,
 * enum values included): the versions of a resource share blocks of properties, so a resource that
 * changed in one property is written once with that property apart, not once per version.
 */
export interface ResourcePlan {
  /** The versions that have the resource, in order. */
  versionsOf(plural: string): readonly string[];
  /** The versions whose descriptor of `wire` equals that of version `v` (v included). */
  groupOf(plural: string, wire: string, v: string): readonly string[];
  /** True when the resource is the same in every version that has it. */
  uniform(plural: string): boolean;
}

export function planResources(irs: readonly VersionIR[]): ResourcePlan {
  const full = new Map<string, Map<string, string>>(); // plural\0wire -> version -> text
  const versions = new Map<string, string[]>();
  for (const ir of irs) {
    const constants = new Map(ir.enums.map((e) => [e.klass, JSON.stringify(e.constants)]));
    for (const m of ir.resources) {
      getList(versions, m.plural).push(ir.versionKey);
      for (const f of m.fields) {
        const k = `${m.plural}\0${f.wire}`;
        if (!full.has(k)) full.set(k, new Map());
        full.get(k)!.set(
          ir.versionKey,
          propertyLiteral(f, (klass) => constants.get(klass)),
        );
      }
    }
  }
  const groupOf = (plural: string, wire: string, v: string): string[] => {
    const byV = full.get(`${plural}\0${wire}`);
    const mine = byV?.get(v);
    return [...(byV ?? [])].filter(([, t]) => t === mine).map(([u]) => u);
  };
  const uniformity = new Map<string, boolean>();
  for (const [k, byV] of full) {
    const plural = k.slice(0, k.indexOf("\0"));
    const all = versions.get(plural)!;
    const same = byV.size === all.length && new Set(byV.values()).size === 1;
    uniformity.set(plural, (uniformity.get(plural) ?? true) && same);
  }
  return {
    versionsOf: (plural) => versions.get(plural) ?? [],
    groupOf,
    uniform: (plural) => uniformity.get(plural) ?? true,
  };
}

function getList<K, V>(m: Map<K, V[]>, k: K): V[] {
  const l = m.get(k) ?? [];
  m.set(k, l);
  return l;
}

/** Fewer properties than this shared by a set of versions are written in place, not as a block. */
const MIN_BLOCK = 4;

function entryHead(m: ModelDef): string[] {
  return [
    "{",
    `  singular: ${JSON.stringify(m.singular)}, plural: ${JSON.stringify(m.plural)}, klass: ${JSON.stringify(m.klass)},`,
    `  endpoint: ${JSON.stringify(m.endpoint)}, metadata: ${m.metadata}, identifiable: ${m.identifiable},`,
  ];
}

/** Short words for a property's kind in the names of shared descriptors (`categoryComboRef`). */
const KIND_WORDS: Record<string, string> = {
  IDENTIFIER: "Id",
  TEXT: "Text",
  LONG_TEXT: "LongText",
  BOOLEAN: "Bool",
  INTEGER: "Int",
  NUMBER: "Number",
  DATE: "Date",
  DATETIME: "DateTime",
  EMAIL: "Email",
  PASSWORD: "Password",
  URL: "Url",
  PHONENUMBER: "Phone",
  GEOLOCATION: "Geo",
  POLYGON: "Polygon",
  COLOR: "Color",
  CONSTANT: "Enum",
  REFERENCE: "Ref",
  COMPLEX: "Obj",
};

/** `categoryCombo` REFERENCE -> `categoryComboRef`; a collection of references -> `...Refs`. */
export function descriptorName(f: FieldDef): string {
  const p = f.source;
  const word = (t: string | null | undefined) => (t ? (KIND_WORDS[t] ?? pascalWord(t)) : "");
  let kind: string;
  if (f.collection) {
    const item = p.itemPropertyType ?? (p.propertyType === "COLLECTION" ? undefined : p.propertyType);
    kind = item === "REFERENCE" ? "Refs" : `${word(item)}List`;
  } else kind = word(p.propertyType);
  const base = f.wire.replace(/[^A-Za-z0-9_$]/g, "_");
  return `${/^[A-Za-z_$]/.test(base) ? base : `_${base}`}${kind}`;
}

const pascalWord = (t: string) =>
  t
    .toLowerCase()
    .split(/_+/)
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join("");

export function resourceDecls(ir: VersionIR, refs: RefTable, plan = planResources([ir])): Decl[] {
  const out: Decl[] = [];
  const enumNames = new Map(ir.enums.map((e) => [e.klass, e]));
  const enumRef = new Map<string, string>();
  // Allowed values of CONSTANT properties, named after their enum, shared by every property that uses it.
  for (const m of ir.resources) {
    for (const f of m.fields) {
      const t = f.type.k === "array" ? f.type.of : f.type;
      if (t.k !== "enum" || enumRef.has(t.name)) continue;
      const e = enumNames.get(t.name);
      if (!e) throw new Error(`no enum for ${t.name}`);
      enumRef.set(t.name, refs.ref(`e:${e.name}`));
      out.push({
        key: `e:${e.name}`,
        kind: "resources",
        rank: 0,
        form: "const",
        name: e.name,
        annotation: "readonly string[]",
        value: true,
        text: `[${e.constants.map((c) => JSON.stringify(c)).join(", ")}]`,
      });
    }
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // A descriptor used in several places (id, code, name, sharing, categoryCombo, ...) is a const
  // named after the property and its kind; one used once is written in place.
  const props = new Map<string, Decl>();
  const propertyRef = (f: FieldDef): string => {
    const lit = propertyLiteral(f, (k) => enumRef.get(k));
    // Keyed by name too: a descriptor is about one property (`categoryComboRef`), never a look-alike.
    const k = `p:${f.wire}:${lit}`;
    if (!props.has(k)) {
      props.set(k, {
        key: k,
        kind: "resources",
        rank: 1,
        form: "const",
        baseName: descriptorName(f),
        annotation: "PropertySpec",
        inlinable: true,
        value: true,
        text: lit,
      });
    }
    return refs.ref(k);
  };
  const table = [
    `/** Every identifiable resource with an endpoint in DHIS2 ${ir.rawVersion}, keyed by plural. */`,
    "export const resourceTable: ResourceTable = {",
  ];
  const entries: Decl[] = [];
  const blocks: Decl[] = [];
  const v = ir.versionKey;
  for (const m of ir.resources) {
    const lines = entryHead(m);
    const all = plan.versionsOf(m.plural);
    if (plan.uniform(m.plural)) {
      lines.push("  properties: {");
      for (const f of m.fields) lines.push(`    ${key(f.wire)}: ${propertyRef(f)},`);
    } else {
      // Properties identical in a set of versions form a block there (`dataElementsProps`,
      // `dataElementsPropsV42V43`), spread into each version's entry; the rest are in place.
      const bySet = new Map<string, FieldDef[]>();
      for (const f of m.fields) getList(bySet, plan.groupOf(m.plural, f.wire, v).join("-")).push(f);
      const own: FieldDef[] = [];
      const spread: string[] = [];
      for (const [set, fs] of [...bySet].sort(
        ([a], [b]) => b.split("-").length - a.split("-").length || (a < b ? -1 : 1),
      )) {
        if (set === v || fs.length < MIN_BLOCK) {
          own.push(...fs);
          continue;
        }
        const suffix =
          set === all.join("-")
            ? ""
            : set
                .split("-")
                .map((x) => x.toUpperCase())
                .join("");
        const bk = `b:${m.plural}:${set}`;
        blocks.push({
          key: bk,
          kind: "resources",
          rank: 2,
          form: "const",
          name: `${entryName(m.plural)}Props${suffix}`,
          annotation: "PropertySpecs",
          value: true,
          text: ["{", ...fs.map((f) => `  ${key(f.wire)}: ${propertyRef(f)},`), "}"].join("\n"),
        });
        spread.push(`    ...${refs.ref(bk)},`);
      }
      lines.push("  properties: {", ...spread);
      own.sort((a, b) => (a.wire < b.wire ? -1 : 1));
      for (const f of own) lines.push(`    ${key(f.wire)}: ${propertyRef(f)},`);
    }
    lines.push("  },", "}");
    const k = `r:${m.plural}`;
    entries.push({
      key: k,
      kind: "resources",
      rank: 3,
      form: "const",
      name: entryName(m.plural),
      annotation: "ResourceSpec",
      inlinable: true,
      value: true,
      text: lines.join("\n"),
    });
    table.push(`  ${key(m.plural)}: ${refs.ref(k)},`);
  }
  table.push("});");
  table[1] = "export const resourceTable: ResourceTable = resourceTableOf({";
  out.push(...props.values(), ...blocks, ...entries, {
    key: "t:resourceTable",
    kind: "resources",
    rank: 4,
    form: "raw",
    name: "resourceTable",
    value: true,
    text: table.join("\n"),
  });
  return out;
}

/** Writes a resources file (a version's table, or the parts several versions share). */
export function emitResourcesFile(file: LaidFile, irs: readonly VersionIR[]): string {
  const body = file.statements.join("\n");
  const used = ["PropertySpec", "PropertySpecs", "ResourceSpec", "ResourceTable"].filter((t) =>
    new RegExp(`^(export )?const [^=]*\\b${t}\\b[^=]*=`, "m").test(body),
  );
  const out = [file.shared ? sharedHeaderLine(irs) : headerLine(irs[0]!)];
  if (used.length > 0) out.push(`import type { ${used.join(", ")} } from "../../resources/resource-def.js";`);
  if (body.includes("= resourceTableOf("))
    out.push('import { resourceTableOf } from "../../resources/resource-def.js";');
  const from = (w: string) => modulePath("resources", w, file.shared);
  for (const w of [...file.imports.keys()].sort(importOrder))
    out.push(nameList("import", file.imports.get(w)!, from(w)));
  // `dataSets: dataSets,` -> `dataSets,`: an entry shared by several versions, by its plural.
  out.push("", body.replace(/^( +)([A-Za-z_$][\w$]*): \2,$/gm, "$1$2,"), "");
  return out.join("\n");
}
