/** Models: helper types, enums (`as const` + union) and one interface per schema, as declarations. */

import { headerLine, importOrder, key, modulePath, nameList, sharedHeaderLine } from "./emit-common.js";
import type { EnumDef, ModelDef, TypeExpr, VersionIR } from "./ir.js";
import type { LaidFile } from "./layout.js";
import { SHADOWABLE_GLOBALS } from "./naming.js";
import type { Decl, RefTable } from "./share.js";

const REF_MODULE = "../../resources/resource-def.js";

/** Declaration keys: "m:<TypeScript name>". */
export const modelKey = (name: string): string => `m:${name}`;

/** The helper types, identical in every version (`Reference` is the marker of the Reference key). */
function helperTypes(ref: (name: string) => string): [string, string][] {
  return [
    [
      "Reference",
      "/** A reference to an identifiable object, as DHIS2 embeds it (`code` can be null on the wire). */\nexport interface Reference { id: string; code?: string | null; name?: string; displayName?: string }",
    ],
    [
      "Translation",
      "/** One translated value of one property. */\nexport interface Translation { property?: string; locale?: string; value?: string }",
    ],
    [
      "AttributeValue",
      `/** One attribute value (\`attributeValues\` is an array of these). */\nexport interface AttributeValue { attribute?: ${ref("Reference")}; value?: string }`,
    ],
    [
      "Geometry",
      "/** GeoJSON geometry. */\nexport interface Geometry { type?: string; coordinates?: unknown }",
    ],
  ];
}

/** Resolves klasses to markers of their declarations. */
export class MarkerNames {
  private readonly models: ReadonlyMap<string, string>;
  private readonly enums: ReadonlyMap<string, string>;
  constructor(
    models: readonly ModelDef[],
    enums: readonly EnumDef[],
    private readonly refs: RefTable,
    private readonly prefix: string,
  ) {
    this.models = new Map(models.map((m) => [m.klass, m.name]));
    this.enums = new Map(enums.map((e) => [e.klass, e.name]));
  }
  /** Marker of a declaration of this file kind by TypeScript name. */
  named(name: string): string {
    return this.refs.ref(`${this.prefix}${name}`);
  }
  model(klass: string): string {
    const n = this.models.get(klass);
    if (!n) throw new Error(`no model for ${klass}`);
    return this.named(n);
  }
  enum(klass: string): string {
    const n = this.enums.get(klass);
    if (!n) throw new Error(`no enum for ${klass}`);
    return this.named(n);
  }
}

function tsType(t: TypeExpr, names: MarkerNames): string {
  switch (t.k) {
    case "string":
    case "number":
    case "boolean":
    case "unknown":
      return t.k;
    case "record":
      return "Record<string, unknown>";
    case "ref":
      // `Ref<CategoryCombo>`: nested `fields` selections narrow to the target's properties.
      return t.to ? `Ref<${names.model(t.to)}>` : names.named("Reference");
    case "enum":
      return names.enum(t.name);
    case "model":
      return names.model(t.name);
    case "helper":
      return names.named(t.name);
    case "array": {
      const inner = tsType(t.of, names);
      return /^([A-Za-z0-9_]+|\uE000\d+\uE001|Ref<\uE000\d+\uE001>)$/.test(inner)
        ? `${inner}[]`
        : `Array<${inner}>`;
    }
  }
}

export function modelDecls(ir: VersionIR, refs: RefTable): Decl[] {
  const names = new MarkerNames(ir.models, ir.enums, refs, "m:");
  const decl = (name: string, rank: number, value: boolean, text: string): Decl => ({
    key: modelKey(name),
    kind: "models",
    rank,
    form: "raw",
    name,
    value,
    text,
  });
  const out = helperTypes((n) => names.named(n)).map(([n, text]) => decl(n, 0, false, text));
  for (const e of ir.enums) {
    const body = e.constants.map((c) => `${key(c)}: ${JSON.stringify(c)}`).join(", ");
    out.push(
      decl(
        e.name,
        1,
        true,
        `/** ${e.klass} */\nexport const ${e.name} = { ${body} } as const;\nexport type ${e.name} = (typeof ${e.name})[keyof typeof ${e.name}];`,
      ),
    );
  }
  for (const m of ir.models) {
    const where = m.endpoint ? `, ${m.endpoint}` : "";
    const lines = [`/** ${m.singular} (${m.klass}${where}) */`, `export interface ${m.name} {`];
    for (const f of m.fields) lines.push(`  ${key(f.wire)}?: ${tsType(f.type, names)};`);
    lines.push("}");
    out.push(decl(m.name, 2, false, lines.join("\n")));
  }
  return out;
}

function versionPreamble(ir: VersionIR): string[] {
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
  return out;
}

/**
 * Writes a models file. A version's file re-exports what it shares and declares the rest; a
 * shared file also re-exports the model types its validators file reads as `M.Name`.
 */
export function emitModelsFile(
  file: LaidFile,
  irs: readonly VersionIR[],
  typeReexports: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): string {
  const out = file.shared ? [sharedHeaderLine(irs)] : versionPreamble(irs[0]!);
  if (file.shared)
    out.push("// Types identical in these versions; each version's models.gen.ts re-exports them.");
  out.push("");
  const from = (w: string) => modulePath("models", w, file.shared);
  for (const w of [...file.reexports.keys()].sort(importOrder)) {
    const r = file.reexports.get(w)!;
    if (r.types.size > 0) out.push(nameList("export type", r.types, from(w)));
    if (r.values.size > 0) out.push(nameList("export", r.values, from(w)));
  }
  for (const w of [...typeReexports.keys()].sort(importOrder))
    out.push(nameList("export type", typeReexports.get(w)!, from(w)));
  for (const w of [...file.imports.keys()].sort(importOrder))
    out.push(nameList("import type", file.imports.get(w)!, from(w)));
  // `Ref<T>` is hand-written beside the resource table's types; every version re-exports it.
  if (!file.shared) out.push(`export type { Ref } from "${REF_MODULE}";`);
  if (file.statements.some((s) => s.includes("Ref<"))) out.push(`import type { Ref } from "${REF_MODULE}";`);
  out.push("", ...file.statements, "");
  return out.join("\n");
}
