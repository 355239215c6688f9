#!/usr/bin/env node
/**
 * `dhis2w-codegen`: regenerate `packages/client/src/generated/` from `/api/schemas`.
 *
 *   cli.ts                                  all of ../shared/dhis2/schemas/v*.json (the default; without
 *                                           that folder, the derived snapshots packages/emulator/schemas/v*.gen.json)
 *   cli.ts FILE...                          given snapshot files ({ version_key, raw_version, schemas } or { schemas })
 *   cli.ts --url URL (--token T | --username U --password P)   one live server; its version replaces
 *                                           that snapshot, the other versions come from --snapshots
 *   --snapshots DIR|none                    snapshot folder (default ../shared/dhis2/schemas)
 *   --out DIR                               output folder (default packages/client/src/generated)
 *   --snapshot-out DIR|none                 where the derived snapshots go (default packages/emulator/schemas
 *                                           when --out is not given, else none)
 *   --server-version 2.NN.x                 version of a plain { schemas } file
 *   --check                                 do not write; exit 1 if the output folder differs
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { analyze, quirkSummary } from "./analyze.js";
import { generate, listGenerated, writeGenerated } from "./generate.js";
import { fetchSchemaDocument, loadSchemaFile, type SchemaDocument, SchemaInputError } from "./input.js";
import { generateSnapshots, SNAPSHOT_DIR, staleSnapshots, writeSnapshots } from "./snapshot.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Default locations, relative to the repository root. */
export const DEFAULT_SCHEMAS_DIR = resolve(repoRoot, "../shared/dhis2/schemas");
export const DEFAULT_OUT_DIR = resolve(repoRoot, "packages/client/src/generated");

/**
 * The snapshot files of a folder, sorted: the real ones (`v41.json`, ...) or the derived ones
 * (`v41.gen.json`, ...). Without the real folder, the committed derived snapshots.
 */
export async function defaultSchemaFiles(dir = DEFAULT_SCHEMAS_DIR): Promise<string[]> {
  if (dir === DEFAULT_SCHEMAS_DIR && !existsSync(dir)) dir = SNAPSHOT_DIR;
  const names = (await readdir(dir)).filter((n) => /^v\d+(\.gen)?\.json$/.test(n)).sort();
  return names.map((n) => join(dir, n));
}

/** What `main` talks to; tests inject these instead of patching globals. */
export interface CliIO {
  readonly fetch?: typeof globalThis.fetch;
  readonly out?: (text: string) => void;
  readonly err?: (text: string) => void;
}

/**
 * Runs the CLI; resolves to the exit code.
 *
 * @example
 * await main(["--check"]); // 0 when src/generated is up to date
 */
export async function main(argv: readonly string[], io: CliIO = {}): Promise<number> {
  const out = io.out ?? ((t: string) => process.stdout.write(t));
  const err = io.err ?? ((t: string) => process.stderr.write(t));
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      url: { type: "string" },
      token: { type: "string" },
      username: { type: "string" },
      password: { type: "string" },
      out: { type: "string" },
      "snapshot-out": { type: "string" },
      "server-version": { type: "string" },
      snapshots: { type: "string" },
      check: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    out(`${(await readFile(fileURLToPath(import.meta.url), "utf8")).split("*/")[0]}*/\n`);
    return 0;
  }
  const docs: SchemaDocument[] = [];
  const snapshotDir =
    values.snapshots === "none" ? undefined : resolve(values.snapshots ?? DEFAULT_SCHEMAS_DIR);
  const snapshots = async () => (snapshotDir ? await defaultSchemaFiles(snapshotDir) : []);
  const files = positionals.length > 0 || values.url ? positionals : await snapshots();
  for (const f of files) docs.push(await loadSchemaFile(resolve(f), values["server-version"]));
  if (values.url) {
    const live = await fetchSchemaDocument({
      url: values.url,
      token: values.token,
      username: values.username,
      password: values.password,
      fetch: io.fetch,
    });
    // A live server replaces the snapshot of its own version; the other versions come from the snapshots.
    const others = positionals.length > 0 ? [] : await snapshots();
    for (const f of others) {
      const d = await loadSchemaFile(f);
      if (d.versionKey !== live.versionKey) docs.push(d);
    }
    docs.push(live);
  }
  if (docs.length === 0) throw new SchemaInputError("no /api/schemas input (no files, no --url)");
  const outDir = resolve(values.out ?? DEFAULT_OUT_DIR);
  const generated = generate(docs);
  const snapshotOut = values["snapshot-out"] ?? (values.out === undefined ? SNAPSHOT_DIR : "none");
  const derived = snapshotOut === "none" ? undefined : generateSnapshots(docs);
  if (values.check) {
    const stale: string[] = derived ? await staleSnapshots(resolve(snapshotOut), derived) : [];
    for (const [rel, content] of generated) {
      const current = await readFile(join(outDir, rel), "utf8").catch(() => undefined);
      if (current !== content) stale.push(rel);
    }
    for (const rel of await listGenerated(outDir)) if (!generated.has(rel)) stale.push(rel);
    if (stale.length > 0) {
      err(`out of date: ${stale.join(", ")}\nrun: npm run codegen -w @dhis2w/codegen\n`);
      return 1;
    }
    out(`${outDir} is up to date\n`);
    return 0;
  }
  await writeGenerated(outDir, generated);
  if (derived) await writeSnapshots(resolve(snapshotOut), derived);
  for (const d of docs) {
    const ir = analyze(d);
    out(
      `${ir.versionKey} (${ir.rawVersion}): ${ir.models.length} models, ${ir.resources.length} resources, ` +
        `${ir.enums.length} enums; quirks ${JSON.stringify(quirkSummary(ir.quirks))}\n`,
    );
  }
  out(`wrote ${generated.size} files to ${outDir}\n`);
  if (derived) out(`wrote ${derived.size} derived snapshots to ${resolve(snapshotOut)}\n`);
  return 0;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`codegen: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(e instanceof SchemaInputError ? 2 : 1);
    },
  );
}
