import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { analyze, loadSchemaFile, type ModelDef, type VersionIR } from "@dhis2w/codegen";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { loadResourceTable, loadValidators } from "../src/generated/registry.gen.js";
import type { VersionKey } from "../src/versions.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const shared = resolve(repoRoot, "../shared/dhis2");
const readJson = async (p: string): Promise<unknown> =>
  JSON.parse(await readFile(resolve(shared, p), "utf8"));

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The real exports and the version that produced each. */
const EXPORTS = [
  { v: "v42", file: "play/metadata.json" },
  { v: "v43", file: "play/metadata-v43.json" },
] as const satisfies readonly { v: VersionKey; file: string }[];

/** Model of a metadata-bundle key: the generated table first, else any schema with that plural (`legends`). */
function modelFor(ir: VersionIR, key: string): ModelDef | undefined {
  return ir.models.find((m) => m.plural === key);
}

const indexes = new WeakMap<
  VersionIR,
  { byKlass: Map<string, ModelDef>; bySingular: Map<string, ModelDef> }
>();
function indexOf(ir: VersionIR) {
  let i = indexes.get(ir);
  if (!i) {
    i = {
      byKlass: new Map(ir.models.map((m) => [m.klass, m])),
      bySingular: new Map(ir.models.filter((m) => m.identifiable).map((m) => [m.singular, m])),
    };
    indexes.set(ir, i);
  }
  return i;
}

/**
 * Keys the 2.43 export carries although 2.43.0's `/api/schemas` lists no property of that class
 * under any name (not as `name`, not as `fieldName`): schema drift between the server builds,
 * not a naming mistake of the generator. The validators accept them (loose objects); the types
 * follow the schema.
 */
const V43_SCHEMA_DRIFT = [
  "Access.externalize",
  "DashboardItem.favorite",
  "DashboardItem.favorites",
  "Legend.favorite",
  "Legend.favorites",
  "ProgramTrackedEntityAttribute.skipIndividualAnalytics",
  "Sharing.external",
];

/** Every `path.key` on the wire that the generated model of that object does not declare, with its model. */
function unknownKeys(
  ir: VersionIR,
  model: ModelDef,
  obj: Json,
  path: string,
  out: Map<string, string>,
): void {
  const { byKlass, bySingular } = indexOf(ir);
  for (const [k, v] of Object.entries(obj)) {
    const f = model.fields.find((x) => x.wire === k);
    if (!f) {
      out.set(`${path}.${k}`, `${model.name}.${k}`);
      continue;
    }
    const item = f.type.k === "array" ? f.type.of : f.type;
    const items = (Array.isArray(v) ? v : [v]).filter(isObj);
    // Embedded objects are checked against their own model; references against their target's.
    const inner =
      item.k === "model" ? byKlass.get(item.name) : f.target ? bySingular.get(f.target) : undefined;
    if (inner) for (const o of items) unknownKeys(ir, inner, o, `${path}.${k}`, out);
  }
}

// Real data from the DHIS2 demo database lives in ../shared (CI has it); without it there is
// nothing real to check against, so the suite is skipped.
describe.skipIf(!existsSync(shared))("generated code against the real Sierra Leone export", () => {
  for (const { v, file } of EXPORTS) {
    it(`${v}: every key in ${file} is a property of the generated table/model`, async () => {
      const bundle = (await readJson(file)) as Record<string, Json[]>;
      const doc = await loadSchemaFile(resolve(shared, `schemas/${v}.json`));
      const ir = analyze(doc);
      const table = await loadResourceTable(v);
      const missing = new Map<string, string>();
      let checked = 0;
      for (const [key, objects] of Object.entries(bundle)) {
        const model = modelFor(ir, key);
        expect(model, `no schema with plural ${key}`).toBeDefined();
        const def = table[key];
        for (const o of objects) {
          // Top level: the generated resource table itself (when the class has an endpoint).
          if (def)
            for (const k of Object.keys(o))
              if (!(k in def.properties)) missing.set(`${key}.${k}`, `${model!.name}.${k}`);
          unknownKeys(ir, model!, o, key, missing);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(250);
      // A key that the schema knows under some name but the generator named differently is a bug.
      const klassOf = new Map(ir.models.map((m) => [m.name, m.klass]));
      const misnamed = [...missing].filter(([, at]) => {
        const [model, k] = at.split(".") as [string, string];
        const schema = doc.schemas.find((s) => s.klass === klassOf.get(model));
        return schema?.properties.some((p) => p.name === k || p.fieldName === k || p.collectionName === k);
      });
      expect(misnamed).toEqual([]);
      expect([...new Set(missing.values())].sort()).toEqual(v === "v43" ? V43_SCHEMA_DRIFT : []);
    });

    it(`${v}: every object in ${file} parses with the ${v} validator`, async () => {
      const bundle = (await readJson(file)) as Record<string, unknown[]>;
      const ir = analyze(await loadSchemaFile(resolve(shared, `schemas/${v}.json`)));
      const validators = (await loadValidators(v)) as unknown as Record<string, z.ZodType>;
      const failures: string[] = [];
      for (const [key, objects] of Object.entries(bundle)) {
        const validator = validators[modelFor(ir, key)!.name]!;
        objects.forEach((o, i) => {
          const r = validator.safeParse(o);
          if (!r.success)
            failures.push(`${key}[${i}]: ${r.error.issues.map((x) => x.path.join(".")).join(", ")}`);
        });
      }
      expect(failures).toEqual([]);
    });
  }

  it("all 1,332 organisation units parse with the v42 OrganisationUnit validator", async () => {
    const ous = (await readJson("play/organisation_units.json")) as unknown[];
    const { OrganisationUnit } = await loadValidators("v42");
    expect(ous).toHaveLength(1332);
    expect(ous.filter((o) => !OrganisationUnit.safeParse(o).success)).toEqual([]);
  });

  it("validators reject what DHIS2 would reject: a value outside the enum, a reference without id", async () => {
    const { DataElement } = await loadValidators("v42");
    const ok = {
      id: "fbfJHSPpUQD",
      name: "ANC 1st visit",
      valueType: "NUMBER",
      categoryCombo: { id: "bjDvmb4bfuf" },
    };
    expect(DataElement.safeParse(ok).success).toBe(true);
    expect(DataElement.safeParse({ ...ok, valueType: "NUMERIC" }).success).toBe(false);
    expect(DataElement.safeParse({ ...ok, categoryCombo: { name: "default" } }).success).toBe(false);
    expect(DataElement.safeParse({ ...ok, notInTheSchema: 1 }).success).toBe(true);
  });
});
