/**
 * What a browser downloads for a script that connects, lists data elements, iterates org units and
 * runs an analytics query (`bench/fixtures/browser-usage.ts`), bundled by esbuild from the BUILT
 * client (`--bundle --minify --format=esm --platform=browser`, the package's `exports` without
 * the `source` condition, as for a user). Two ways:
 * - one file (esbuild's default: every lazily loaded chunk inlined, so all three versions' tables);
 * - `--splitting`, counting what a page loads against a v42 server: the entry, its static imports,
 *   and the v42 resource table chunk that `connect()` imports (each file gzipped on its own).
 * Also the same one-file bundle with the old `import { z } from "zod"` spelling put back (a plugin
 * rewrites the built files), which pulls in every zod locale. Sizes are gzip level 9. The aim:
 * under 60 KB gzipped.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile, type OutputFile, type Plugin } from "esbuild";
import { type Benchmark, machineNote, today } from "./harness.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ENTRY = fileURLToPath(new URL("./fixtures/browser-usage.ts", import.meta.url));
const DIST = fileURLToPath(new URL("../packages/client/dist/index.js", import.meta.url));
const TSC = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
const AIM_KB = 60;

const gz = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

/** Brings dist/ up to date (`tsc -b` is incremental); keeps an existing dist if the build fails. */
function ensureBuilt(): string {
  const r = spawnSync(process.execPath, [TSC, "-b", "packages/client"], { cwd: ROOT, encoding: "utf8" });
  if (r.status === 0) return "built with `tsc -b packages/client` just before measuring";
  if (existsSync(DIST)) return "`tsc -b packages/client` failed; measured the existing dist/";
  throw new Error(`packages/client/dist is missing and tsc -b failed:\n${r.stdout}${r.stderr}`);
}

/** Puts back `import { z } from "zod"` in the built client: the spelling before this benchmark. */
const namedZodImport: Plugin = {
  name: "named-zod-import",
  setup(b) {
    b.onLoad({ filter: /packages[\\/]client[\\/]dist[\\/].*\.js$/ }, async (args) => ({
      contents: (await readFile(args.path, "utf8")).replace(
        /import \* as z from "zod";/g,
        'import { z } from "zod";',
      ),
      loader: "js",
    }));
  },
};

type Group = "zod locales" | "zod" | "generated tables" | "generated (other)" | "client";

function groupOf(input: string): Group {
  if (input.includes("node_modules/zod/")) return input.includes("/locales/") ? "zod locales" : "zod";
  if (input.includes("/generated/"))
    return /resources[^/]*\.gen\.js$/.test(input) ? "generated tables" : "generated (other)";
  return "client";
}

function groups(meta: Metafile, outputs: readonly string[]): Map<Group, number> {
  const out = new Map<Group, number>();
  for (const name of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[name]!.inputs)) {
      const g = groupOf(input);
      out.set(g, (out.get(g) ?? 0) + bytesInOutput);
    }
  }
  return out;
}

interface Measured {
  readonly name: string;
  readonly files: number;
  readonly minified: number;
  readonly gzipped: number;
  readonly groups: Map<Group, number>;
  readonly nodeImports: boolean;
}

async function bundle(name: string, splitting: boolean, plugins: Plugin[] = []): Promise<Measured> {
  const result = await build({
    entryPoints: [ENTRY],
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    splitting,
    outdir: "bench/out/bundle-size",
    metafile: true,
    write: false,
    logLevel: "silent",
    plugins,
  });
  const meta = result.metafile;
  const byName = new Map<string, OutputFile>();
  for (const f of result.outputFiles) byName.set(`bench/out/bundle-size/${f.path.split(/[\\/]/).pop()}`, f);
  const js = Object.keys(meta.outputs).filter((o) => o.endsWith(".js"));
  let loaded = js;
  if (splitting) {
    // What a page loads against a v42 server: the entry's static closure plus the v42 table's.
    const closure = new Set<string>();
    const visit = (o: string) => {
      if (closure.has(o)) return;
      closure.add(o);
      for (const i of meta.outputs[o]!.imports) if (i.kind === "import-statement") visit(i.path);
    };
    for (const o of js) {
      const entry = meta.outputs[o]!.entryPoint ?? "";
      if (
        entry.endsWith("bench/fixtures/browser-usage.ts") ||
        /generated\/v42\/resources\.gen\.js$/.test(entry)
      ) {
        visit(o);
      }
    }
    loaded = [...closure];
  }
  let minified = 0;
  let gzipped = 0;
  let nodeImports = false;
  for (const o of loaded) {
    const file = byName.get(o);
    if (!file) throw new Error(`bundle-size: no output file for ${o}`);
    minified += file.contents.length;
    gzipped += gz(file.contents);
    if (/from\s*"node:|import\("node:/.test(file.text)) nodeImports = true;
  }
  return { name, files: loaded.length, minified, gzipped, groups: groups(meta, loaded), nodeImports };
}

export const bundleSize: Benchmark = {
  id: "bundle-size",
  title: "Browser bundle of the client (esbuild)",
  async run() {
    const built = ensureBuilt();
    const rows = [
      await bundle("one file", false),
      await bundle("split, loaded against v42", true),
      await bundle("one file, old `import { z }`", false, [namedZodImport]),
    ];
    const order: Group[] = ["client", "zod", "zod locales", "generated tables", "generated (other)"];
    const lines = rows.map(
      (r) =>
        `${r.name}: ${kb(r.gzipped)} gzipped (${kb(r.minified)} minified, ${r.files} file(s))${r.nodeImports ? " NODE IMPORT" : ""}`,
    );
    const now = rows[0]!;
    const verdict = `${now.gzipped / 1024 < AIM_KB ? "meets" : "misses"} the ${AIM_KB} KB aim`;
    return {
      lines: [...lines, verdict],
      markdown: [
        `${machineNote()}; ${today()}; esbuild, ${built}.`,
        "",
        "`bench/fixtures/browser-usage.ts` (connect, list data elements, iterate org units, one analytics",
        'query) bundled with `esbuild --bundle --minify --format=esm --platform=browser`. "split" adds',
        "`--splitting` and counts what a page loads against a v42 server (the entry's chunks and the v42",
        "resource table; each file gzipped on its own). The last row puts back the former",
        '`import { z } from "zod"` in the built client, which keeps every zod locale.',
        "",
        `| bundle | gzipped | minified | files | ${order.join(" | ")} (minified) |`,
        `|---|---|---|---|${order.map(() => "---").join("|")}|`,
        ...rows.map(
          (r) =>
            `| ${r.name} | ${kb(r.gzipped)} | ${kb(r.minified)} | ${r.files} | ${order.map((g) => kb(r.groups.get(g) ?? 0)).join(" | ")} |`,
        ),
        "",
        `**One file: ${kb(now.gzipped)} gzipped; ${verdict}.** No \`node:\` import in any bundle: ${rows.every((r) => !r.nodeImports) ? "yes" : "NO"}.`,
        ...((rows[1]!.groups.get("zod locales") ?? 0) > 10_000
          ? [
              "",
              'Split: the generated validators still import `{ z } from "zod"`; they share zod\'s chunk with the',
              "entry, so the page loads every zod locale. The generator's import is the fix (docs/decisions.md).",
            ]
          : []),
      ].join("\n"),
    };
  },
};
