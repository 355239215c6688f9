/**
 * What the generated types cost a user's type checker: `tsc --extendedDiagnostics --noEmit` on
 * small consumer files that import the BUILT package (`exports` resolve to `packages/client/dist`,
 * as for a user; no `source` condition), against an empty file with the same settings. Reported:
 * total time (median of several runs), check time, memory, and the declaration lines `tsc` read;
 * plus the lines and bytes of `dist/generated/**\/*.d.ts`. The aims: a file that imports the v43
 * models (and narrows nested references) type-checks in under 2x the empty file, and the tables'
 * declarations stay small (they are declared by type, `resourceTable: ResourceTable`).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Benchmark, machineNote, today } from "./harness.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSC = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
// Under bench/out (git-ignored) so that `@dhis2w/client` resolves through node_modules to the package.
const DIR = fileURLToPath(new URL("./out/type-check", import.meta.url));
const RUNS = 5;

const CASES: ReadonlyArray<{ name: string; file: string; code: string }> = [
  { name: "empty file (baseline)", file: "empty.ts", code: "export const x = 1;\n" },
  {
    name: "imports the v43 models (`@dhis2w/client/v43`)",
    file: "v43-models.ts",
    code: [
      'import type { CategoryCombo, DataElement, Ref } from "@dhis2w/client/v43";',
      'const categoryCombo: Ref<CategoryCombo> = { id: "bjDvmb4bfuf" };',
      'export const de: DataElement = { name: "ANC 1st visit", categoryCombo };',
      "export const firstCategory = (d: DataElement) => d.categoryCombo?.categories?.[0]?.name;",
      "",
    ].join("\n"),
  },
  {
    name: "imports the root (`Dhis2Client`), nested v43 selection",
    file: "root.ts",
    code: [
      'import type { Dhis2Client } from "@dhis2w/client";',
      'export async function f(c: Dhis2Client<"v43">) {',
      '  const de = await c.resources.dataElements.get("x", { fields: "id,categoryCombo[id,categories[id,name]]" });',
      "  return de.categoryCombo?.categories?.[0]?.name;",
      "}",
      "",
    ].join("\n"),
  },
];

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
};

interface Diag {
  totalS: number;
  checkS: number;
  memoryK: number;
  definitionLines: number;
}

function diagnose(file: string): Diag {
  const r = spawnSync(
    process.execPath,
    [TSC, "-p", join(DIR, `tsconfig.${file}.json`), "--extendedDiagnostics"],
    {
      cwd: DIR,
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`tsc on ${file} failed:\n${r.stdout}${r.stderr}`);
  const num = (label: string) => {
    const m = new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(r.stdout);
    if (!m) throw new Error(`no "${label}" in tsc --extendedDiagnostics output`);
    return Number(m[1]);
  };
  return {
    totalS: num("Total time"),
    checkS: num("Check time"),
    memoryK: num("Memory used"),
    definitionLines: num("Lines of Definitions"),
  };
}

function declarationSize(dir: string): { lines: number; bytes: number } {
  let lines = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = declarationSize(p);
      lines += sub.lines;
      bytes += sub.bytes;
    } else if (e.name.endsWith(".d.ts")) {
      lines += readFileSync(p, "utf8").split("\n").length - 1;
      bytes += statSync(p).size;
    }
  }
  return { lines, bytes };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const typeCheck: Benchmark = {
  id: "type-check",
  title: "Type-check cost of the generated types",
  async run() {
    const build = spawnSync(process.execPath, [TSC, "-b", "packages/client"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`tsc -b packages/client failed:\n${build.stdout}`);
    mkdirSync(DIR, { recursive: true });
    for (const c of CASES) {
      writeFileSync(join(DIR, c.file), c.code);
      writeFileSync(join(DIR, `tsconfig.${c.file}.json`), JSON.stringify({ ...TSCONFIG, files: [c.file] }));
    }
    const runs = CASES.map(() => [] as Diag[]);
    for (let i = 0; i < RUNS; i++) for (const [j, c] of CASES.entries()) runs[j]!.push(diagnose(c.file));
    const rows = CASES.map((c, j) => {
      const d = runs[j]!;
      return {
        name: c.name,
        total: median(d.map((x) => x.totalS)),
        check: median(d.map((x) => x.checkS)),
        memoryMB: median(d.map((x) => x.memoryK)) / 1024,
        lines: d[0]!.definitionLines,
      };
    });
    const base = rows[0]!.total;
    const models = rows[1]!.total;
    const ratio = models / base;
    const verdict = ratio < 2 ? "under the 2x aim" : "over the 2x aim";
    const dts = declarationSize(join(ROOT, "packages/client/dist/generated"));
    const table = rows.map(
      (r) =>
        `| ${r.name} | ${r.total.toFixed(2)} | ${(r.total / base).toFixed(2)}x | ${r.check.toFixed(2)} | ${r.memoryMB.toFixed(0)} | ${r.lines} |`,
    );
    return {
      lines: [
        ...rows.map(
          (r) =>
            `${r.name.padEnd(50)} total ${r.total.toFixed(2)} s, check ${r.check.toFixed(2)} s, ${r.memoryMB.toFixed(0)} MB, ${r.lines} definition lines`,
        ),
        `v43 models / empty: ${ratio.toFixed(2)}x (${verdict}); dist/generated .d.ts: ${dts.lines} lines, ${(dts.bytes / 1e6).toFixed(2)} MB`,
      ],
      markdown: [
        "`tsc --extendedDiagnostics` (TypeScript's own counters) on one-file projects beside the repo",
        "(`bench/out/type-check`, strict, `skipLibCheck`, no `@types`), importing the BUILT package as a",
        `user does; medians of ${RUNS} runs each.`,
        "",
        "| file | total s | vs empty | check s | memory MB | declaration lines read |",
        "|---|---|---|---|---|---|",
        ...table,
        "",
        `**A file importing the v43 models type-checks in ${ratio.toFixed(2)}x the time of an empty file (${verdict}).**`,
        `\`packages/client/dist/generated/**/*.d.ts\`: ${dts.lines} lines, ${(dts.bytes / 1e6).toFixed(2)} MB.`,
        "",
        "Before the tables were declared by type (commit 9becb8e, `resourceTable = {...} satisfies",
        "ResourceTable`, so each version's `resources.gen.d.ts` spelt out ~0.8 MB of literal types, and",
        "`index.gen.d.ts` pulled them in through `loadResourceTable`'s type), same machine and method:",
        "",
        "| file | total s | memory MB | declaration lines read |",
        "|---|---|---|---|",
        "| empty file | 0.54-0.75 | 56 | 0 |",
        "| imports the v43 models (`Reference` refs) | 0.99-1.23 | 96 | 32131 |",
        "| imports the root, a v43 selection (one level) | 1.27-1.42 | 155 | 88317 |",
        "",
        "and `dist/generated/**/*.d.ts` was 92728 lines, 3.32 MB.",
        "",
        `Measured ${today()} on ${machineNote()}.`,
      ].join("\n"),
    };
  },
};
