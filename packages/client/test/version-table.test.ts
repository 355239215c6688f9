/**
 * The one-table rule: what differs between DHIS2 versions is a row of `SUPPORTED_VERSIONS`
 * (`packages/client/src/versions.ts`), read by every package; nothing else compares version keys
 * or numbers. Three checks: a scan of the sources for version comparisons, a scan for row fields
 * nobody reads, and a fake `v44` row given to the compiler, whose errors are the checklist of
 * docs/architecture.md "Supporting a new DHIS2 version".
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SUPPORTED_VERSIONS } from "@dhis2w/client";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const TABLE = "packages/client/src/versions.ts";
/** The row's shape: field names and their documentation, no comparisons. */
const ROW_TYPE = "packages/client/src/version-behaviour.ts";
const REGISTRY = "packages/client/src/generated/registry.gen.ts";

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (path.endsWith(".ts") && !path.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const PACKAGES = readdirSync(join(repoRoot, "packages")).filter((p) => {
  try {
    return statSync(join(repoRoot, "packages", p, "src")).isDirectory();
  } catch {
    return false;
  }
});
/** Every hand-written source file (no generated code, no tests), relative to the repository. */
const SOURCES = PACKAGES.flatMap((p) => walk(join(repoRoot, "packages", p, "src")))
  .map((f) => relative(repoRoot, f))
  .filter((f) => !f.includes("/generated/") && !f.endsWith(".gen.ts"));

const Q = "[\"'`]";
/** What a per-version check outside the table looks like. */
const VERSION_COMPARISONS: readonly RegExp[] = [
  new RegExp(`[!=]==?\\s*${Q}v\\d+${Q}`), // x === "v41"
  new RegExp(`${Q}v\\d+${Q}\\s*(?:[!=]==?|\\|\\||&&|\\?\\?)`), // "v41" === x, "v41" || ...
  new RegExp(`\\bcase\\s+${Q}v\\d+${Q}\\s*:`), // case "v41":
  new RegExp(`\\b(?:version|versionKey|versionString)\\s*[!=]==?\\s*${Q}v?\\d`), // version === "2.41"
  new RegExp(`[!=]==?\\s*${Q}2\\.\\d+`), // === "2.42..."
  /\bminor\s*(?:[!=]==?|[<>]=?)\s*\d/, // minor >= 42
  /\d\s*(?:[!=]==?|[<>]=?)\s*[\w.!]*\bminor\b/, // 42 <= minor
];

/** The lines of `text` that compare versions, as `file:line: code`. */
function versionComparisons(file: string, text: string): string[] {
  return text
    .split("\n")
    .flatMap((line, i) =>
      VERSION_COMPARISONS.some((re) => re.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : [],
    );
}

describe("the one version table", () => {
  it("finds the comparisons it forbids (the scanner works)", () => {
    const planted = [
      'if (ctx.state.version === "v41") return;',
      'if (version !== "v43" && !program) return "missing-program";',
      'const ok = key === "v40" || key === "v41";',
      '    case "v42":',
      "if (minor < 42) return undefined;",
      'if (versionString === "2.42.4") x();',
    ];
    for (const line of planted) expect(versionComparisons("x.ts", line)).toHaveLength(1);
    const allowed = [
      "const row = ctx.state.behaviour.tracker;",
      'createEmulator({ version: "v42" });',
      "if (this.#versionKey === undefined) throw new Error();",
      "SUPPORTED_VERSIONS[a].minor - SUPPORTED_VERSIONS[b].minor",
      'return typeof info.version === "string" ? info.version : undefined;',
    ];
    for (const line of allowed) expect(versionComparisons("x.ts", line)).toEqual([]);
  });

  it("no source outside the table compares version keys, strings or minor numbers", () => {
    expect(SOURCES.length).toBeGreaterThan(100);
    const found = SOURCES.filter((f) => f !== TABLE).flatMap((f) =>
      versionComparisons(f, readFileSync(join(repoRoot, f), "utf8")),
    );
    expect(found, "move these differences into a row of packages/client/src/versions.ts").toEqual([]);
  });

  it("every field of a row is read somewhere (no dead flags)", () => {
    const text = SOURCES.filter((f) => f !== TABLE && f !== ROW_TYPE)
      .map((f) => readFileSync(join(repoRoot, f), "utf8"))
      .join("\n");
    const fields = Object.entries(SUPPORTED_VERSIONS.v43).flatMap(([group, value]: [string, unknown]) =>
      value !== null && typeof value === "object" ? Object.keys(value) : [group],
    );
    const unread = fields.filter((field) => !new RegExp(`\\.${field}\\b`).test(text));
    expect(unread, "read these fields in the code they describe, or drop them").toEqual([]);
  });

  it("a fake v44 row: the compiler names every place a new version must be filled in", {
    timeout: 240_000,
  }, () => {
    const table = readFileSync(join(repoRoot, TABLE), "utf8");
    const withRow = table.replace(
      /(export const SUPPORTED_VERSIONS = \{ v41: V41, v42: V42, v43: V43)/,
      "$1, v44: { ...V43, minor: 44 }",
    );
    expect(withRow, "the table's declaration changed: update this test").not.toBe(table);

    // Step 1, the row alone: the table refuses a key without generated code.
    const first = compileWith(new Map([[TABLE, withRow]]));
    expect(first.get(TABLE)?.join("\n")).toContain("Type 'false' does not satisfy the constraint 'true'");

    // Step 2, as if `npm run codegen` had written a v44 folder (here: v43's models under v44).
    const registry = readFileSync(join(repoRoot, REGISTRY), "utf8");
    const generated = registry
      .replace(
        'GeneratedVersionKey = "v41" | "v42" | "v43";',
        'GeneratedVersionKey = "v41" | "v42" | "v43" | "v44";',
      )
      .replace('["v41", "v42", "v43"]', '["v41", "v42", "v43", "v44"]')
      .replace("  v43: ModelMapV43;", "  v43: ModelMapV43;\n  v44: ModelMapV43;")
      .replaceAll('    case "v43":', '    case "v44":\n    case "v43":');
    expect(generated.match(/v44/g)?.length, "the registry's layout changed: update this test").toBe(5);
    const second = compileWith(
      new Map([
        [TABLE, withRow],
        [REGISTRY, generated],
      ]),
    );
    // What is left is the per-version data each package keeps beside the table, typed so that
    // a missing row does not compile: docs/architecture.md lists the same.
    expect([...second.keys()].sort()).toEqual([
      "packages/emulator/src/metadata/default-values.gen.ts", // scripts/gen-default-values.ts
      "packages/emulator/src/metadata/schema-routes.ts", // the derived schema snapshot
      "packages/emulator/src/system/settings-keys.ts", // the system setting keys
    ]);
    for (const messages of second.values()) expect(messages.join("\n")).toContain("'v44'");
  });
});

/** Every source file of every package (with tests' tsconfig options), type-checked with `overlay`. */
function compileWith(overlay: ReadonlyMap<string, string>): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(repoRoot, "packages/emulator/tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error("cannot read packages/emulator/tsconfig.json");
  // Sources, not the built declarations: no project references, `source` export condition.
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    incremental: false,
    rootDir: join(repoRoot, "packages"),
    outDir: undefined,
  };
  const replaced = new Map([...overlay].map(([file, text]) => [join(repoRoot, file), text]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError, create) => {
    const text = replaced.get(resolve(file));
    return text === undefined
      ? getSourceFile(file, language, onError, create)
      : ts.createSourceFile(file, text, language);
  };
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => replaced.get(resolve(file)) ?? readFile(file);
  const roots = PACKAGES.flatMap((p) => walk(join(repoRoot, "packages", p, "src")));
  const program = ts.createProgram({ rootNames: roots, options, host });
  const rootSet = new Set(roots);
  const errors = new Map<string, string[]>();
  for (const file of program.getSourceFiles()) {
    // The per-version model files cannot see the table; skipping them saves most of the time.
    if (!rootSet.has(resolve(file.fileName)) || /\/generated\/(v\d+|shared)\//.test(file.fileName)) continue;
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    if (diagnostics.length === 0) continue;
    errors.set(
      relative(repoRoot, file.fileName),
      diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    );
  }
  return errors;
}
