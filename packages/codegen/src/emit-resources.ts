/**
 * The resource table: every resource with its properties, as data (`satisfies ResourceTable`).
 * False/absent flags are omitted to keep it small. Constant lists and property descriptors used
 * more than once are consts; a resource entry or descriptor identical in several versions lives
 * in a shared file, and each version's table refers to it.
 */

import { headerLine, importOrder, key, modulePath, nameList, sharedHeaderLine } from "./emit-common.js";
import type { FieldDef, ModelDef, VersionIR } from "./ir.js";
import type { LaidFile } from "./layout.js";
import type { Decl, RefTable } from "./share.js";

/** `max` values that only mean "no limit" (Integer.MAX_VALUE, Double.MAX_VALUE). */
const NO_LIMIT = 2147483647;

function propertyLiteral(f: FieldDef, enumConst: (klass: string) => string | undefined): string {
  const p = f.source;
  const parts: string[] = [`name: ${JSON.stringify(f.wire)}`];
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

function entryText(m: ModelDef, propertyRef: (f: FieldDef) => string): string {
  const out = [
    "{",
    `  singular: ${JSON.stringify(m.singular)}, plural: ${JSON.stringify(m.plural)}, klass: ${JSON.stringify(m.klass)},`,
    `  endpoint: ${JSON.stringify(m.endpoint)}, metadata: ${m.metadata}, identifiable: ${m.identifiable},`,
    "  properties: {",
  ];
  for (const f of m.fields) out.push(`    ${key(f.wire)}: ${propertyRef(f)},`);
  out.push("  },", "}");
  return out.join("\n");
}

export function resourceDecls(ir: VersionIR, refs: RefTable): Decl[] {
  const out: Decl[] = [];
  const enumNames = new Map(ir.enums.map((e) => [e.klass, e]));
  const enumRef = new Map<string, string>();
  // Allowed values of CONSTANT properties, shared by every property that uses the enum.
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
        name: `${e.name}_`,
        wrap: "as const",
        value: true,
        text: `[${e.constants.map((c) => JSON.stringify(c)).join(", ")}]`,
      });
    }
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // A descriptor that repeats within the version (id, code, name, sharing, ...) is an `as const`
  // const, as it always was; one used once is written in place (or, when several versions use
  // it once each, a const typed exactly as in place: `satisfies ResourceProperty`).
  const literal = (f: FieldDef) => propertyLiteral(f, (k) => enumRef.get(k));
  const counts = new Map<string, number>();
  for (const m of ir.resources)
    for (const f of m.fields) counts.set(literal(f), (counts.get(literal(f)) ?? 0) + 1);
  const props = new Map<string, Decl>();
  const propertyRef = (f: FieldDef): string => {
    const lit = literal(f);
    const repeated = (counts.get(lit) ?? 0) > 1;
    const k = `${repeated ? "p" : "q"}:${lit}`;
    if (!props.has(k)) {
      props.set(k, {
        key: k,
        kind: "resources",
        rank: 1,
        form: "const",
        prefix: repeated ? "p" : "q",
        wrap: repeated ? "as const" : "satisfies ResourceProperty",
        inlinable: !repeated,
        value: true,
        text: lit,
      });
    }
    return refs.ref(k);
  };
  const table = [
    `/** Every identifiable resource with an endpoint in DHIS2 ${ir.rawVersion}, keyed by plural. */`,
    "export const resourceTable = {",
  ];
  const entries: Decl[] = [];
  for (const m of ir.resources) {
    const k = `r:${m.plural}`;
    entries.push({
      key: k,
      kind: "resources",
      rank: 2,
      form: "const",
      name: entryName(m.plural),
      wrap: "satisfies ResourceDef",
      inlinable: true,
      value: true,
      text: entryText(m, propertyRef),
    });
    table.push(`  ${key(m.plural)}: ${refs.ref(k)},`);
  }
  table.push("} satisfies ResourceTable;");
  out.push(...props.values(), ...entries, {
    key: "t:resourceTable",
    kind: "resources",
    rank: 3,
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
  const used = ["ResourceDef", "ResourceProperty", "ResourceTable"].filter((t) =>
    body.includes(`satisfies ${t}`),
  );
  const out = [file.shared ? sharedHeaderLine(irs) : headerLine(irs[0]!)];
  if (used.length > 0) out.push(`import type { ${used.join(", ")} } from "../../resources/resource-def.js";`);
  const from = (w: string) => modulePath("resources", w, file.shared);
  for (const w of [...file.imports.keys()].sort(importOrder))
    out.push(nameList("import", file.imports.get(w)!, from(w)));
  out.push("", body, "");
  return out.join("\n");
}
