/** Emits `models.gen.ts`: helper types, enums (`as const` + union) and one interface per schema. */

import { headerLine, key, NameTable, tsType } from "./emit-common.js";
import type { VersionIR } from "./ir.js";
import { SHADOWABLE_GLOBALS } from "./naming.js";

/** The shared helper types, identical in every version. */
export const HELPER_TYPES_TS = `/** A reference to an identifiable object, as DHIS2 embeds it (\`code\` can be null on the wire). */
export interface Reference { id: string; code?: string | null; name?: string; displayName?: string }
/** One translated value of one property. */
export interface Translation { property?: string; locale?: string; value?: string }
/** One attribute value (\`attributeValues\` is an array of these). */
export interface AttributeValue { attribute?: Reference; value?: string }
/** GeoJSON geometry. */
export interface Geometry { type?: string; coordinates?: unknown }`;

export function emitModels(ir: VersionIR): string {
  const names = new NameTable(ir.models, ir.enums);
  const out: string[] = [headerLine(ir)];
  const renames = ir.quirks.filter((q) => q.kind === "model-renamed" || q.kind === "enum-renamed");
  out.push(
    "// Models are keyed by Java klass and named after its simple name; every property is optional",
    "// because `fields=` projections can omit anything. Wire names, not Java field names.",
  );
  if (renames.length > 0) {
    out.push("// Name collisions (the first claimant keeps the simple name; the others take their package):");
    for (const q of renames) out.push(`//   ${q.where}: ${q.detail}`);
  } else {
    out.push("// Name collisions: none.");
  }
  const shadowing = [...ir.models, ...ir.enums].map((x) => x.name).filter((n) => SHADOWABLE_GLOBALS.has(n));
  if (shadowing.length > 0) {
    out.push(
      `// DHIS2 names that shadow JS/DOM globals when imported by name: ${shadowing.sort().join(", ")}`,
      "// (kept, since they are DHIS2's words; alias them: `import type { Map as DhisMap }`).",
    );
  }
  out.push("", HELPER_TYPES_TS, "");
  for (const e of ir.enums) {
    const body = e.constants.map((c) => `${key(c)}: ${JSON.stringify(c)}`).join(", ");
    out.push(
      `/** ${e.klass} */`,
      `export const ${e.name} = { ${body} } as const;`,
      `export type ${e.name} = (typeof ${e.name})[keyof typeof ${e.name}];`,
    );
  }
  out.push("");
  for (const m of ir.models) {
    const where = m.endpoint ? `, ${m.endpoint}` : "";
    out.push(`/** ${m.singular} (${m.klass}${where}) */`, `export interface ${m.name} {`);
    for (const f of m.fields) out.push(`  ${key(f.wire)}?: ${tsType(f.type, names)};`);
    out.push("}");
  }
  out.push("");
  return out.join("\n");
}
