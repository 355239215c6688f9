/** Putting it together: schema documents in, a map of relative paths to file contents out. */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { analyze } from "./analyze.js";
import { emitIndex, emitReadme, emitRegistry } from "./emit-index.js";
import { emitModelsFile, modelDecls } from "./emit-models.js";
import { emitResourcesFile, planResources, resourceDecls } from "./emit-resources.js";
import { emitValidatorsFile, emitZodHelpers, validatorDecls } from "./emit-validators.js";
import type { SchemaDocument } from "./input.js";
import type { VersionIR } from "./ir.js";
import { type LaidFile, layout, whereIs } from "./layout.js";
import { getOr, partition, RefTable } from "./share.js";

/** Generated files by path relative to `src/generated/`, in sorted order. */
export type GeneratedFiles = ReadonlyMap<string, string>;

const byPath = (files: Map<string, string>): GeneratedFiles =>
  new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The files of a set of versions (sorted by version): each version's four files, and under
 * `shared/` what is identical in several of them, written once.
 */
function generateFiles(irs: readonly VersionIR[]): Map<string, string> {
  const refs = new RefTable();
  const plan = planResources(irs);
  const versions = irs.map((ir) => ({
    versionKey: ir.versionKey,
    decls: [...modelDecls(ir, refs), ...validatorDecls(ir, refs), ...resourceDecls(ir, refs, plan)],
  }));
  const groups = partition(versions, refs);
  const laid = layout(versions, groups, refs);
  const irOf = new Map(irs.map((ir) => [ir.versionKey, ir]));
  const irsOf = (where: string) => where.split("-").map((v) => irOf.get(v)!);
  const find = (kind: LaidFile["kind"], where: string) =>
    laid.find((f) => f.kind === kind && f.where === where);
  // A shared validators file reads model types as `M.Name` from the models file of the same
  // versions; that file re-exports the ones it does not declare.
  const typeReexports = new Map<string, Map<string, Set<string>>>();
  for (const f of laid) {
    if (f.kind !== "validators" || !f.shared) continue;
    const models = find("models", f.where);
    const rep = f.where.split("-")[0]!;
    for (const [name, key] of f.typeRefs) {
      if (models?.declared.has(key)) continue;
      const at = whereIs(groups, key, rep);
      getOr(
        getOr(typeReexports, f.where, () => new Map<string, Set<string>>()),
        at,
        () => new Set<string>(),
      ).add(name);
    }
  }
  const files = new Map<string, string>();
  const pathOf = (kind: string, where: string, shared: boolean) =>
    shared ? `shared/${kind}-${where}.gen.ts` : `${where}/${kind}.gen.ts`;
  const emitters = { models: emitModelsFile, validators: emitValidatorsFile, resources: emitResourcesFile };
  for (const f of laid) {
    const text =
      f.kind === "models"
        ? emitModelsFile(f, irsOf(f.where), typeReexports.get(f.where))
        : emitters[f.kind](f, irsOf(f.where));
    files.set(pathOf(f.kind, f.where, f.shared), text);
  }
  for (const [where, m] of typeReexports) {
    if (find("models", where)) continue;
    const empty: LaidFile = {
      kind: "models",
      where,
      shared: true,
      statements: [],
      imports: new Map(),
      typeRefs: new Map(),
      declared: new Map(),
      reexports: new Map(),
    };
    files.set(pathOf("models", where, true), emitModelsFile(empty, irsOf(where), m));
  }
  for (const ir of irs) files.set(`${ir.versionKey}/index.gen.ts`, emitIndex(ir));
  files.set("shared/zod.gen.ts", emitZodHelpers());
  return files;
}

/**
 * The files of one version generated on its own (nothing to share with): its four files and
 * `shared/zod.gen.ts`, by path relative to `src/generated/`.
 */
export function generateVersion(ir: VersionIR): Map<string, string> {
  return new Map(byPath(generateFiles([ir])));
}

/**
 * Generates every file for a set of versions (same input, same bytes).
 *
 * @example
 * const files = generate([await loadSchemaFile("v41.json"), await loadSchemaFile("v42.json")]);
 * files.get("v42/models.gen.ts");
 */
export function generate(docs: readonly SchemaDocument[]): GeneratedFiles {
  const irs = docs.map(analyze).sort((a, b) => Number(a.versionKey.slice(1)) - Number(b.versionKey.slice(1)));
  for (let i = 1; i < irs.length; i++) {
    if (irs[i]!.versionKey === irs[i - 1]!.versionKey)
      throw new Error(`version ${irs[i]!.versionKey} given twice`);
  }
  const files = generateFiles(irs);
  files.set("registry.gen.ts", emitRegistry(irs));
  files.set("README.md", emitReadme(irs));
  return byPath(files);
}

/** Lists the generated files (`*.gen.ts`, README.md) currently under `outDir`, relative paths. */
export async function listGenerated(outDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(join(outDir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith(".gen.ts") || p === "README.md") found.push(p);
    }
  };
  await walk("");
  return found.sort();
}

/**
 * Writes the files under `outDir` and deletes generated files it no longer produces (a version
 * that was dropped). Returns the paths written.
 */
export async function writeGenerated(outDir: string, files: GeneratedFiles): Promise<string[]> {
  for (const stale of await listGenerated(outDir)) {
    if (!files.has(stale)) await rm(join(outDir, stale));
  }
  for (const [rel, content] of files) {
    const path = join(outDir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return [...files.keys()];
}
