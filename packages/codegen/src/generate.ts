/** Putting it together: schema documents in, a map of relative paths to file contents out. */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { analyze } from "./analyze.js";
import { emitIndex, emitReadme, emitRegistry } from "./emit-index.js";
import { emitModels } from "./emit-models.js";
import { emitResources } from "./emit-resources.js";
import { emitValidators } from "./emit-validators.js";
import type { SchemaDocument } from "./input.js";
import type { VersionIR } from "./ir.js";

/** Generated files by path relative to `src/generated/`, in sorted order. */
export type GeneratedFiles = ReadonlyMap<string, string>;

/** The four files of one version, by path relative to `src/generated/`. */
export function generateVersion(ir: VersionIR): Map<string, string> {
  const v = ir.versionKey;
  return new Map([
    [`${v}/index.gen.ts`, emitIndex(ir)],
    [`${v}/models.gen.ts`, emitModels(ir)],
    [`${v}/resources.gen.ts`, emitResources(ir)],
    [`${v}/validators.gen.ts`, emitValidators(ir)],
  ]);
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
  const files = new Map<string, string>();
  for (const ir of irs) for (const [p, c] of generateVersion(ir)) files.set(p, c);
  files.set("registry.gen.ts", emitRegistry(irs));
  files.set("README.md", emitReadme(irs));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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
