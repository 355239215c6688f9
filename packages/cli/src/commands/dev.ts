/**
 * `d2w dev ...`: regenerate the client's per-version models (through `@dhis2w/codegen`'s
 * functions, same steps as its `dhis2w-codegen` command), compare two versions' schemas, and run
 * the DHIS2 emulator.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION_KEYS, type VersionKey } from "@dhis2w/client";
import type { SchemaDocument } from "@dhis2w/codegen";
import type { CliContext } from "../context.js";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError, UserError } from "../errors.js";

/**
 * `@dhis2w/emulator` and `@dhis2w/codegen` are optional peer dependencies of the CLI: most users
 * never run `d2w dev`, so they are loaded here, on use, and a missing one is a user error saying
 * what to install. Literal specifiers, so bundlers and `npm ls` still see them.
 */
function missingPackage(error: unknown, name: string, command: string): never {
  const e = error as NodeJS.ErrnoException | undefined;
  if (e?.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes(name)) {
    throw new UserError(`${command} needs ${name}, which is not installed: npm i -D ${name}`, {
      cause: error,
    });
  }
  throw error;
}

const loadCodegen = () =>
  import("@dhis2w/codegen").catch((e: unknown) => missingPackage(e, "@dhis2w/codegen", "d2w dev codegen"));
const loadEmulator = () =>
  import("@dhis2w/emulator").catch((e: unknown) => missingPackage(e, "@dhis2w/emulator", "d2w dev emulator"));

// packages/cli/src/commands -> the repository root (codegen is a tool of the source checkout).
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const DEFAULT_SNAPSHOTS = resolve(repoRoot, "../shared/dhis2/schemas");
const DEFAULT_OUT = resolve(repoRoot, "packages/client/src/generated");

/** The real snapshots (`v41.json`) or, without them, the committed derived ones (`v41.gen.json`). */
async function snapshotFiles(dir: string): Promise<string[]> {
  if (dir === DEFAULT_SNAPSHOTS && !existsSync(dir)) dir = (await loadCodegen()).SNAPSHOT_DIR;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new UserError(`schema snapshot folder not found: ${dir} (give --snapshots DIR)`);
  }
  return names
    .filter((n) => /^v\d+(\.gen)?\.json$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * Writes (or with `check`, compares) the generated files, and the derived snapshots when the
 * output is the client's own folder; returns the exit code.
 */
async function emit(
  ctx: CliContext,
  docs: SchemaDocument[],
  out: string | undefined,
  check: boolean,
): Promise<number> {
  if (docs.length === 0) throw new UserError("codegen: no /api/schemas input found");
  const outDir = resolve(out ?? DEFAULT_OUT);
  const {
    analyze,
    generate,
    generateSnapshots,
    listGenerated,
    quirkSummary,
    SNAPSHOT_DIR,
    staleSnapshots,
    writeGenerated,
    writeSnapshots,
  } = await loadCodegen();
  const files = generate(docs);
  const derived = out === undefined ? generateSnapshots(docs) : undefined;
  if (check) {
    const stale: string[] = derived ? await staleSnapshots(SNAPSHOT_DIR, derived) : [];
    for (const [rel, content] of files) {
      const current = await readFile(join(outDir, rel), "utf8").catch(() => undefined);
      if (current !== content) stale.push(rel);
    }
    for (const rel of await listGenerated(outDir)) if (!files.has(rel)) stale.push(rel);
    if (stale.length > 0) {
      ctx.err(`out of date: ${stale.join(", ")}; run \`d2w dev codegen rebuild\``);
      return 1;
    }
    ctx.out(`${outDir} is up to date`);
    return 0;
  }
  await writeGenerated(outDir, files);
  if (derived) await writeSnapshots(SNAPSHOT_DIR, derived);
  for (const d of docs) {
    const ir = analyze(d);
    ctx.out(
      `${ir.versionKey} (${ir.rawVersion}): ${ir.models.length} models, ${ir.resources.length} resources, ${ir.enums.length} enums; quirks ${JSON.stringify(quirkSummary(ir.quirks))}`,
    );
  }
  ctx.out(`wrote ${files.size} files to ${outDir}`);
  return 0;
}

const codegenArgs = {
  snapshots: {
    type: "string",
    description: `schema snapshots folder (default ${DEFAULT_SNAPSHOTS})`,
    valueName: "dir",
  },
  out: { type: "string", description: `output folder (default ${DEFAULT_OUT})`, valueName: "dir" },
  check: { type: "boolean", description: "do not write; exit 1 when the output differs" },
} as const;

const rebuild = defineCommand({
  meta: { name: "rebuild", description: "Regenerate every version's models from the schema snapshots" },
  args: codegenArgs,
  async run(args, ctx) {
    const { loadSchemaFile } = await loadCodegen();
    const files = await snapshotFiles(resolve(args.snapshots ?? DEFAULT_SNAPSHOTS));
    const docs = await Promise.all(files.map((f) => loadSchemaFile(f)));
    return emit(ctx, docs, args.out, args.check);
  },
});

const generateCmd = defineCommand({
  meta: {
    name: "generate",
    description: "Regenerate from a live server: its version replaces that snapshot",
    examples: ["DHIS2_PAT=d2p_... d2w dev codegen generate --url https://play.example.org"],
  },
  args: {
    url: { type: "string", description: "server URL (default: the profile's)" },
    username: { type: "string", description: "Basic user (password from DHIS2_PASSWORD)" },
    ...codegenArgs,
  },
  async run(args, ctx) {
    let source: { url: string; token?: string; username?: string; password?: string };
    const env = ctx.io.env;
    if (args.url) {
      if (env.DHIS2_PAT) source = { url: args.url, token: env.DHIS2_PAT };
      else if (args.username && env.DHIS2_PASSWORD !== undefined) {
        source = { url: args.url, username: args.username, password: env.DHIS2_PASSWORD };
      } else
        throw new UsageError("codegen generate: set DHIS2_PAT, or give --username with DHIS2_PASSWORD set");
    } else {
      const profile = await ctx.resolve();
      if (profile.auth === "oauth2")
        throw new UsageError("codegen generate: use --url with a PAT or Basic credentials");
      source = {
        url: profile.baseUrl,
        ...(profile.token ? { token: profile.token } : {}),
        ...(profile.username ? { username: profile.username, password: profile.password ?? "" } : {}),
      };
    }
    const { fetchSchemaDocument, loadSchemaFile } = await loadCodegen();
    const live = await fetchSchemaDocument(source);
    const docs: SchemaDocument[] = [];
    const dir = resolve(args.snapshots ?? DEFAULT_SNAPSHOTS);
    for (const f of await snapshotFiles(dir).catch(() => [])) {
      const d = await loadSchemaFile(f);
      if (d.versionKey !== live.versionKey) docs.push(d);
    }
    docs.push(live);
    return emit(ctx, docs, args.out, args.check);
  },
});

const schemaDiff = defineCommand({
  meta: {
    name: "diff",
    description: "What changed in /api/schemas between two versions (types and properties)",
    examples: ["d2w dev schema diff v42 v43", "d2w dev schema diff v41 v43 --json"],
  },
  args: {
    from: { type: "positional", description: "older version (v41, v42, v43)", required: true },
    to: { type: "positional", description: "newer version", required: true },
  },
  async run(args, ctx) {
    const { diffSchemas, formatSchemaDiff, SNAPSHOT_DIR } = await loadCodegen();
    const known = (await readdir(SNAPSHOT_DIR))
      .filter((n) => /^v\d+\.gen\.json$/.test(n))
      .map((n) => n.slice(0, -9));
    for (const v of [args.from, args.to]) {
      if (!known.includes(v))
        throw new UsageError(`schema diff: unknown version "${v}" (known: ${known.join(", ")})`);
    }
    const diff = await diffSchemas(args.from, args.to);
    if (ctx.json) return ctx.printJson(diff);
    ctx.out(formatSchemaDiff(diff).trimEnd());
  },
});

const emulator = defineCommand({
  meta: {
    name: "emulator",
    description: "Run the DHIS2 emulator on loopback (URL on stdout; Ctrl-C stops it)",
    examples: ["d2w dev emulator --port 8080 --version v42 --seed demo"],
  },
  args: {
    port: { type: "number", description: "TCP port (0: any free one)", default: 8080, min: 0 },
    version: { type: "string", description: "DHIS2 version", choices: [...VERSION_KEYS], default: "v42" },
    seed: { type: "string", description: "demo data or empty", choices: ["demo", "empty"], default: "demo" },
  },
  async run(args, ctx) {
    const { startEmulator } = await loadEmulator();
    const emu = await startEmulator({
      port: args.port,
      version: args.version as VersionKey,
      seed: args.seed as "demo" | "empty",
    }).catch((error: NodeJS.ErrnoException) => {
      if (error?.code === "EADDRINUSE" || error?.code === "EACCES") {
        const why = error.code === "EADDRINUSE" ? "is in use" : "needs privileges";
        throw new UserError(`port ${args.port} ${why}; pick another with --port (0: any free port)`, {
          cause: error,
        });
      }
      throw error;
    });
    ctx.out(emu.url);
    ctx.err(
      `DHIS2 emulator ${emu.version} (seed ${args.seed}) on ${emu.url}; users admin (superuser) and district (data entry), demo password. Ctrl-C stops it.`,
    );
    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        void emu.close().then(done);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  },
});

export default defineGroup({
  meta: { name: "dev", description: "Developer tools" },
  subCommands: [
    defineGroup({
      meta: { name: "codegen", description: "Regenerate the client's models" },
      subCommands: [rebuild, generateCmd],
    }),
    defineGroup({
      meta: { name: "schema", description: "Compare DHIS2 versions' schemas" },
      subCommands: [schemaDiff],
    }),
    emulator,
  ],
});
