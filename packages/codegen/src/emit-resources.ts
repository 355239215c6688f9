/**
 * Emits `resources.gen.ts`: the version's resource table as data (`satisfies ResourceTable`).
 * False/absent flags are omitted to keep it small; constant lists are shared consts at the top.
 */

import { headerLine, key } from "./emit-common.js";
import type { FieldDef, ModelDef, VersionIR } from "./ir.js";

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

function resourceLiteral(m: ModelDef, propertyRef: (f: FieldDef) => string): string[] {
  const out = [
    `  ${key(m.plural)}: {`,
    `    singular: ${JSON.stringify(m.singular)}, plural: ${JSON.stringify(m.plural)}, klass: ${JSON.stringify(m.klass)},`,
    `    endpoint: ${JSON.stringify(m.endpoint)}, metadata: ${m.metadata}, identifiable: ${m.identifiable},`,
    "    properties: {",
  ];
  for (const f of m.fields) out.push(`      ${key(f.wire)}: ${propertyRef(f)},`);
  out.push("    },", "  },");
  return out;
}

export function emitResources(ir: VersionIR): string {
  const used = new Set<string>();
  for (const m of ir.resources) {
    for (const f of m.fields) {
      const t = f.type.k === "array" ? f.type.of : f.type;
      if (t.k === "enum") used.add(t.name);
    }
  }
  const enums = ir.enums.filter((e) => used.has(e.klass));
  const constName = new Map(enums.map((e) => [e.klass, `${e.name}_`]));
  const out: string[] = [
    headerLine(ir),
    'import type { ResourceTable } from "../../resources/resource-def.js";',
    "",
    "// Allowed values of CONSTANT properties, shared by every property that uses the enum.",
  ];
  for (const e of enums) {
    out.push(`const ${e.name}_ = [${e.constants.map((c) => JSON.stringify(c)).join(", ")}] as const;`);
  }
  // Property descriptors that repeat across resources (id, code, name, sharing, ...) are shared
  // consts: the table shrinks to a fraction and loads faster.
  const literal = (f: FieldDef) => propertyLiteral(f, (k) => constName.get(k));
  const counts = new Map<string, number>();
  for (const m of ir.resources)
    for (const f of m.fields) counts.set(literal(f), (counts.get(literal(f)) ?? 0) + 1);
  const shared = new Map<string, string>();
  for (const [lit, n] of counts) if (n > 1) shared.set(lit, `p${shared.size}`);
  out.push("", "// Property descriptors used by more than one resource.");
  for (const [lit, id] of shared) out.push(`const ${id} = ${lit} as const;`);
  out.push(
    "",
    `/** Every identifiable resource with an endpoint in DHIS2 ${ir.rawVersion}, keyed by plural. */`,
    "export const resourceTable = {",
  );
  for (const m of ir.resources) {
    out.push(...resourceLiteral(m, (f) => shared.get(literal(f)) ?? literal(f)));
  }
  out.push("} satisfies ResourceTable;", "");
  return out.join("\n");
}
