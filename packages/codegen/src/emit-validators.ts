/**
 * Validators: a zod 4 validator per enum and model, loose on unknown keys, loaded lazily.
 * Each model validator is built by `obj<M.X>(shape)`, typed `z.ZodType<M.X>`: it parses to the
 * model type, cycles between models (reached through getters) need no inference, and the
 * type checker never infers a zod object type from a 100-property shape (annotating
 * `z.looseObject(...)` directly cost ~5 s of check time per version).
 */

import { headerLine, importOrder, key, modulePath, nameList, sharedHeaderLine } from "./emit-common.js";
import { MarkerNames, modelKey } from "./emit-models.js";
import type { TypeExpr, VersionIR } from "./ir.js";
import type { LaidFile } from "./layout.js";
import type { Decl, RefTable } from "./share.js";

/** `obj` and `opt`, identical everywhere: `shared/zod.gen.ts`. */
export function emitZodHelpers(): string {
  return [
    headerLine(undefined),
    "// Helpers of every validators file (shared and per version).",
    'import { z } from "zod";',
    "",
    "type Shape = Record<string, z.ZodType>;",
    "export const obj = <T>(shape: Shape): z.ZodType<T> => z.looseObject(shape) as unknown as z.ZodType<T>;",
    "// Typed as plain ZodType so the checker does not instantiate ZodOptional<...> once per model.",
    "export const opt = (v: z.ZodType): z.ZodType => v.optional();",
    "",
  ].join("\n");
}

function zodOf(t: TypeExpr, names: MarkerNames): string {
  switch (t.k) {
    case "string":
      return "z.string()";
    case "number":
      return "z.number()";
    case "boolean":
      return "z.boolean()";
    case "unknown":
      return "z.unknown()";
    case "record":
      return "z.record(z.string(), z.unknown())";
    case "ref":
      return names.named("Reference");
    case "enum":
      return names.enum(t.name);
    case "model":
      return names.model(t.name);
    case "helper":
      return names.named(t.name);
    case "array":
      return `z.array(${zodOf(t.of, names)})`;
  }
}

const mentionsModel = (t: TypeExpr): boolean => t.k === "model" || (t.k === "array" && mentionsModel(t.of));

export function validatorDecls(ir: VersionIR, refs: RefTable): Decl[] {
  const names = new MarkerNames(ir.models, ir.enums, refs, "v:");
  const M = (name: string) => `M.${refs.ref(modelKey(name))}`;
  const raw = (name: string, rank: number, text: string): Decl => ({
    key: `v:${name}`,
    kind: "validators",
    rank,
    form: "raw",
    name,
    value: true,
    text,
  });
  const R = names.named("Reference");
  const out: Decl[] = [
    raw(
      "Reference",
      0,
      `export const Reference = obj<${M("Reference")}>({ id: z.string(), code: z.string().nullish(), name: z.string().optional(), displayName: z.string().optional() });`,
    ),
    raw(
      "Translation",
      0,
      `export const Translation = obj<${M("Translation")}>({ property: z.string().optional(), locale: z.string().optional(), value: z.string().optional() });`,
    ),
    raw(
      "AttributeValue",
      0,
      `export const AttributeValue = obj<${M("AttributeValue")}>({ attribute: ${R}.optional(), value: z.string().optional() });`,
    ),
    raw(
      "Geometry",
      0,
      `export const Geometry = obj<${M("Geometry")}>({ type: z.string().optional(), coordinates: z.unknown().optional() });`,
    ),
  ];
  for (const e of ir.enums) {
    out.push(
      raw(
        e.name,
        1,
        `export const ${e.name} = z.enum([${e.constants.map((c) => JSON.stringify(c)).join(", ")}]);`,
      ),
    );
  }
  // Each distinct optional validator is a const, built once and shared (fewer objects at load
  // time, far fewer types for the checker); one used in a single place is written in place.
  // Those that mention a model stay inline in getters.
  const opts = new Map<string, Decl>();
  for (const m of ir.models) {
    const lines = [`export const ${m.name} = obj<${M(m.name)}>({`];
    for (const f of m.fields) {
      const z = `opt(${zodOf(f.type, names)})`;
      // Getters defer the lookup: models may refer to models declared later, or to themselves.
      if (mentionsModel(f.type)) {
        lines.push(`  get ${key(f.wire)}() { return ${z}; },`);
        continue;
      }
      const k = `o:${z}`;
      if (!opts.has(k))
        opts.set(k, {
          key: k,
          kind: "validators",
          rank: 2,
          form: "const",
          prefix: "o",
          inlinable: true,
          value: true,
          text: z,
        });
      lines.push(`  ${key(f.wire)}: ${refs.ref(k)},`);
    }
    lines.push("});");
    out.push(raw(m.name, 3, lines.join("\n")));
  }
  out.push(...opts.values());
  const table = [
    "/** Validators by resource plural (the keys of `ModelMap`). */",
    "export const resourceValidators = {",
  ];
  for (const r of ir.resources) table.push(`  ${key(r.plural)}: ${names.named(r.name)},`);
  table.push("} as const;");
  out.push(raw("resourceValidators", 4, table.join("\n")));
  return out;
}

/** Writes a validators file (a version's, or one shared by several versions). */
export function emitValidatorsFile(file: LaidFile, irs: readonly VersionIR[]): string {
  const out = [
    file.shared ? sharedHeaderLine(irs) : headerLine(irs[0]!),
    "// Loaded lazily (never imported at client import time): `loadValidators()` from index.gen.ts.",
    'import { z } from "zod";',
    `import type * as M from "${modulePath("models", file.where, file.shared)}";`,
    `import { obj, opt } from "${file.shared ? "." : "../shared"}/zod.gen.js";`,
  ];
  const from = (w: string) => modulePath("validators", w, file.shared);
  for (const w of [...file.imports.keys()].sort(importOrder))
    out.push(nameList("import", file.imports.get(w)!, from(w)));
  for (const w of [...file.reexports.keys()].sort(importOrder))
    out.push(nameList("export", file.reexports.get(w)!.values, from(w)));
  out.push("", ...file.statements, "");
  return out.join("\n");
}
