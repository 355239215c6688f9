import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  analyze,
  generate,
  generateVersion,
  loadSchemaFile,
  parseSchemaDocument,
  writeGenerated,
} from "@dhis2w/codegen";
import { describe, expect, it } from "vitest";
import { miniSchemas, prop } from "./fixtures.js";

const doc = (rawVersion: string, schemas = miniSchemas()) =>
  parseSchemaDocument({ raw_version: rawVersion, schemas }, `test ${rawVersion}`);

/** v42's miniature DHIS2: ObjectStyle gained a property, everything else as in v41. */
function v42Schemas() {
  return miniSchemas().map((s) =>
    s.klass === "org.hisp.dhis.common.ObjectStyle"
      ? { ...s, properties: [...s.properties, prop({ name: "icon" })] }
      : s,
  );
}

describe("code identical across versions is written once, in shared/", () => {
  const files = generate([doc("2.41.0"), doc("2.42.0", v42Schemas())]);
  const get = (p: string) => files.get(p) ?? "";

  it("declares a model identical in both versions once and re-exports it from each version", () => {
    expect(get("shared/models-v41-v42.gen.ts")).toContain("export interface UserRole {");
    for (const v of ["v41", "v42"]) {
      expect(get(`${v}/models.gen.ts`)).not.toContain("export interface UserRole {");
      expect(get(`${v}/models.gen.ts`)).toMatch(
        /export type \{[^}]*\bUserRole\b[^}]*\} from "..\/shared\/models-v41-v42.gen.js"/,
      );
    }
  });

  it("keeps a model per version when a model it refers to differs, although its own text is the same", () => {
    // DataElement.style is an ObjectStyle, which differs: one shared DataElement could not mean both.
    expect(get("shared/models-v41-v42.gen.ts")).not.toContain("export interface DataElement {");
    for (const v of ["v41", "v42"])
      expect(get(`${v}/models.gen.ts`)).toContain("export interface DataElement {");
    expect(get("v42/models.gen.ts")).toMatch(/export interface ObjectStyle \{[^}]*icon\?: string;/);
    expect(get("v41/models.gen.ts")).not.toMatch(/export interface ObjectStyle \{[^}]*icon/);
  });

  it("shares validators and resource-table entries the same way", () => {
    expect(get("shared/validators-v41-v42.gen.ts")).toContain("export const UserRole = obj<M.UserRole>");
    expect(get("v41/validators.gen.ts")).toContain("export const DataElement = obj<M.DataElement>");
    expect(get("shared/resources-v41-v42.gen.ts")).toMatch(
      /export const authoritys: ResourceSpec = \{\n {2}singular: "userRole"/,
    );
    expect(get("v41/resources.gen.ts")).toMatch(/^ {2}authoritys,$/m);
  });

  it("generates nothing shared for a single version but the zod helpers", () => {
    const alone = generateVersion(analyze(doc("2.41.0")));
    expect([...alone.keys()].filter((p) => p.startsWith("shared/"))).toEqual(["shared/zod.gen.ts"]);
  });
});

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const schemasDir = resolve(repoRoot, "../shared/dhis2/schemas");
const resourceDef = resolve(repoRoot, "packages/client/src/resources/resource-def.ts");

// The real /api/schemas snapshots live in ../shared (CI has them); without them there is nothing
// to compare, so this part is skipped.
describe.skipIf(!existsSync(schemasDir))("sharing leaves every version's resource table unchanged", () => {
  it("equals, key order included, the table of the version generated on its own", async () => {
    const names = (await readdir(schemasDir)).filter((n) => /^v\d+\.json$/.test(n)).sort();
    const docs = await Promise.all(names.map((n) => loadSchemaFile(join(schemasDir, n))));
    const tmp = await mkdtemp(join(tmpdir(), "dhis2w-share-"));
    // The tables import the client's `resources/resource-def.ts` (`resourceTableOf`), as in src/.
    const layoutLikeSrc = async (dir: string) => {
      await mkdir(join(tmp, dir, "resources"), { recursive: true });
      await copyFile(resourceDef, join(tmp, dir, "resources/resource-def.ts"));
      return join(tmp, dir, "generated");
    };
    try {
      await writeGenerated(await layoutLikeSrc("all"), generate(docs));
      for (const d of docs) {
        const v = d.versionKey;
        await writeGenerated(await layoutLikeSrc(v), generateVersion(analyze(d)));
        const load = async (dir: string) =>
          (await import(pathToFileURL(join(tmp, dir, "generated", v, "resources.gen.ts")).href)) as {
            resourceTable: object;
          };
        const [shared, alone] = await Promise.all([load("all"), load(v)]);
        expect(JSON.stringify(shared.resourceTable), v).toBe(JSON.stringify(alone.resourceTable));
        expect(Object.keys(shared.resourceTable).length, v).toBeGreaterThan(50);
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
