/**
 * Emits `validators.gen.ts`: a zod 4 validator per enum and model, loose on unknown keys.
 * Each model validator is built by `obj<M.X>(shape)`, typed `z.ZodType<M.X>`: it parses to the
 * model type, cycles between models (reached through getters) need no inference, and the
 * type checker never infers a zod object type from a 100-property shape (annotating
 * `z.looseObject(...)` directly cost ~5 s of check time per version).
 */

import { headerLine, key, NameTable } from "./emit-common.js";
import type { TypeExpr, VersionIR } from "./ir.js";

function zodOf(t: TypeExpr, names: NameTable): string {
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
      return "Reference";
    case "enum":
      return names.enum(t.name);
    case "model":
      return names.model(t.name);
    case "helper":
      return t.name;
    case "array":
      return `z.array(${zodOf(t.of, names)})`;
  }
}

const mentionsModel = (t: TypeExpr): boolean => t.k === "model" || (t.k === "array" && mentionsModel(t.of));

export function emitValidators(ir: VersionIR): string {
  const names = new NameTable(ir.models, ir.enums);
  const out: string[] = [
    headerLine(ir),
    "// Loaded lazily (never imported at client import time): `loadValidators()` from index.gen.ts.",
    'import { z } from "zod";',
    'import type * as M from "./models.gen.js";',
    "",
    "type Shape = Record<string, z.ZodType>;",
    "const obj = <T>(shape: Shape): z.ZodType<T> => z.looseObject(shape) as unknown as z.ZodType<T>;",
    "// Typed as plain ZodType so the checker does not instantiate ZodOptional<...> once per model.",
    "const opt = (v: z.ZodType): z.ZodType => v.optional();",
    "",
    "export const Reference = obj<M.Reference>({ id: z.string(), code: z.string().nullish(), name: z.string().optional(), displayName: z.string().optional() });",
    "export const Translation = obj<M.Translation>({ property: z.string().optional(), locale: z.string().optional(), value: z.string().optional() });",
    "export const AttributeValue = obj<M.AttributeValue>({ attribute: Reference.optional(), value: z.string().optional() });",
    "export const Geometry = obj<M.Geometry>({ type: z.string().optional(), coordinates: z.unknown().optional() });",
    "",
  ];
  for (const e of ir.enums) {
    out.push(`export const ${e.name} = z.enum([${e.constants.map((c) => JSON.stringify(c)).join(", ")}]);`);
  }
  // Each distinct optional validator is built once and shared: fewer objects at load time and
  // far fewer types for the checker. Those that mention a model stay inline in getters.
  const shared = new Map<string, string>();
  const fieldLines = ir.models.map((m) =>
    m.fields.map((f) => {
      const z = `opt(${zodOf(f.type, names)})`;
      // Getters defer the lookup: models may refer to models declared later, or to themselves.
      if (mentionsModel(f.type)) return `  get ${key(f.wire)}() { return ${z}; },`;
      let id = shared.get(z);
      if (!id) {
        id = `o${shared.size}`;
        shared.set(z, id);
      }
      return `  ${key(f.wire)}: ${id},`;
    }),
  );
  out.push("");
  for (const [z, id] of shared) out.push(`const ${id} = ${z};`);
  out.push("");
  ir.models.forEach((m, i) => {
    out.push(`export const ${m.name} = obj<M.${m.name}>({`, ...fieldLines[i]!, "});");
  });
  out.push(
    "",
    "/** Validators by resource plural (the keys of `ModelMap`). */",
    "export const resourceValidators = {",
  );
  for (const r of ir.resources) out.push(`  ${key(r.plural)}: ${r.name},`);
  out.push("} as const;", "");
  return out.join("\n");
}
