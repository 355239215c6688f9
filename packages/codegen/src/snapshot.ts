/**
 * The derived schema snapshot: of each `/api/schemas` document, exactly what the generator reads,
 * normalised (schemas sorted by klass, properties by name, null and false values and a
 * `fieldName` equal to `name` left out), one property per line. Committed under
 * `packages/emulator/schemas/vNN.gen.json`, it lets the generator, `diffSchemas` and the
 * emulator's `/api/schemas` work without the real snapshots, and it is itself a valid input of
 * the generator (`loadSchemaFile`): regenerating from it gives the same bytes.
 */
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { cmp } from "./analyze.js";
import { headerLine } from "./emit-common.js";
import type { SchemaDescriptor, SchemaDocument, SchemaProperty } from "./input.js";

/** Schema keys the generator reads, in output order. */
const SCHEMA_KEYS = [
  "klass",
  "name",
  "singular",
  "plural",
  "apiEndpoint",
  "relativeApiEndpoint",
  "metadata",
] as const;

/** Property keys the generator (and the schema diff) reads, in output order. */
const PROPERTY_KEYS = [
  "name",
  "fieldName",
  "propertyType",
  "klass",
  "itemPropertyType",
  "itemKlass",
  "collection",
  "collectionName",
  "constants",
  "required",
  "owner",
  "unique",
  "writable",
  "persisted",
  "min",
  "max",
] as const satisfies readonly (keyof SchemaProperty)[];

/**
 * Where the committed derived snapshots live: `@dhis2w/emulator`'s `schemas/` folder, since the
 * emulator serves them as `/api/schemas` (the generator writes them there, and reads them back
 * when the real snapshots are absent; `diffSchemas` compares them).
 */
export const SNAPSHOT_DIR = join(
  dirname(createRequire(import.meta.url).resolve("@dhis2w/emulator/package.json")),
  "schemas",
);

const kept = (v: unknown) => v !== null && v !== undefined && v !== false;

/** A `max` at or past Integer.MAX_VALUE (DHIS2 also reports Double.MAX_VALUE) only means "no limit". */
export const NO_LIMIT = 2147483647;

function normalProperty(p: SchemaProperty): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of PROPERTY_KEYS) {
    const v = p[k];
    if (!kept(v) || (k === "fieldName" && v === p.name)) continue;
    if ((k === "min" && v === 0) || (k === "max" && typeof v === "number" && v >= NO_LIMIT)) continue;
    out[k] = v;
  }
  return out;
}

function normalSchema(s: SchemaDescriptor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of SCHEMA_KEYS) {
    const v = s[k];
    if (!kept(v) || (k === "singular" && v === s.name)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * The derived snapshot of one document, as the text of `vNN.gen.json`.
 *
 * @example
 * const text = snapshotText(await loadSchemaFile("../shared/dhis2/schemas/v42.json"));
 * JSON.parse(text).schemas.length; // 119
 */
export function snapshotText(doc: SchemaDocument): string {
  const schemas = [...doc.schemas].sort((a, b) => cmp(a.klass, b.klass));
  const lines = [
    "{",
    `  "generated": ${JSON.stringify(headerLine(doc).slice(3))},`,
    `  "version_key": ${JSON.stringify(doc.versionKey)},`,
    `  "raw_version": ${JSON.stringify(doc.rawVersion)},`,
    '  "schemas": [',
  ];
  schemas.forEach((s, i) => {
    const head = JSON.stringify(normalSchema(s)).slice(0, -1);
    const props = s.properties
      .map((p) => ({ name: p.name, text: JSON.stringify(normalProperty(p)) }))
      .sort((a, b) => cmp(a.name, b.name) || cmp(a.text, b.text));
    lines.push(`    ${head}, "properties": [`);
    if (props.length > 0) lines.push(props.map((p) => `      ${p.text}`).join(",\n"));
    lines.push(`    ]}${i < schemas.length - 1 ? "," : ""}`);
  });
  lines.push("  ]", "}", "");
  return lines.join("\n");
}

/**
 * The derived snapshot files (`v41.gen.json`, ...) of a set of documents.
 *
 * @example
 * await writeSnapshots(SNAPSHOT_DIR, generateSnapshots(docs));
 */
export function generateSnapshots(docs: readonly SchemaDocument[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of [...docs].sort((a, b) => Number(a.versionKey.slice(1)) - Number(b.versionKey.slice(1))))
    out.set(`${d.versionKey}.gen.json`, snapshotText(d));
  return out;
}

/**
 * The committed derived snapshot files in `dir`, sorted (`v41.gen.json`, ...).
 *
 * @example
 * const docs = await Promise.all((await snapshotFiles()).map((f) => loadSchemaFile(f)));
 */
export async function snapshotFiles(dir = SNAPSHOT_DIR): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => /^v\d+\.gen\.json$/.test(n)).sort();
  return names.map((n) => join(dir, n));
}

/**
 * Writes the derived snapshots into `dir` (which must exist) and deletes the `vNN.gen.json` files
 * it no longer produces. Returns the names written.
 */
export async function writeSnapshots(dir: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  for (const stale of await snapshotFiles(dir).catch(() => [])) {
    const name = stale.slice(stale.lastIndexOf("/") + 1);
    if (!files.has(name)) await rm(stale);
  }
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  return [...files.keys()];
}

/**
 * The snapshot files of `files` that differ from those in `dir` (or are missing, or extra there).
 *
 * @example
 * const stale = await staleSnapshots(SNAPSHOT_DIR, generateSnapshots(docs)); // [] when up to date
 */
export async function staleSnapshots(dir: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, text] of files) {
    if ((await readFile(join(dir, name), "utf8").catch(() => undefined)) !== text) stale.push(name);
  }
  for (const f of await snapshotFiles(dir).catch(() => [])) {
    const name = f.slice(f.lastIndexOf("/") + 1);
    if (!files.has(name)) stale.push(name);
  }
  return stale;
}
