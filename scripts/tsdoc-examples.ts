/**
 * The TSDoc `@example` blocks of every package, as programs: extracted from the hand-written
 * sources, given the imports they use (the names exported by their own file and by the public
 * entry points) and a preamble that declares the few values examples take as given (`client`,
 * `emu`, `profile`...), then type-checked with the repository's compiler settings. An example
 * whose fence says ```` ```ts runnable ```` also runs, against an in-process emulator
 * (`createEmulator` + `emu.fetch`), in `packages/client/test/tsdoc-examples.test.ts`.
 *
 * Used by that test and by `npx tsx scripts/tsdoc-examples.ts` (prints every failing example).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** One `@example` block. */
export interface TsdocExample {
  /** Source file, relative to the repository. */
  readonly file: string;
  /** 1-based line of the `@example` tag. */
  readonly line: number;
  /** The documented declaration's name (best effort). */
  readonly symbol: string;
  /** The example's code, fences and comment stars removed. */
  readonly code: string;
  /** The fence said `runnable`: the example also runs against the emulator. */
  readonly runnable: boolean;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (path.endsWith(".ts") && !path.endsWith(".d.ts") && !path.endsWith(".gen.ts")) out.push(path);
  }
  return out;
}

/** The hand-written source files of every package (no generated code, no tests). */
export function sourceFiles(): string[] {
  const packages = join(repoRoot, "packages");
  return readdirSync(packages)
    .flatMap((p) => {
      const src = join(packages, p, "src");
      try {
        return statSync(src).isDirectory() ? walk(src) : [];
      } catch {
        return [];
      }
    })
    .filter((f) => !f.includes(`${join("src", "generated")}`))
    .sort();
}

const DECLARATION =
  /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|interface|type|const|let|enum|namespace)\s+([A-Za-z_$][\w$]*)|^\s*(?:(?:public|private|protected|static|readonly|override|async|get|set)\s+)*#?([A-Za-z_$][\w$]*)\s*[(<:=?]/;

/** Every `@example` of one file. */
export function examplesOf(file: string, text = readFileSync(file, "utf8")): TsdocExample[] {
  const out: TsdocExample[] = [];
  const comment = /\/\*\*([\s\S]*?)\*\//g;
  for (let m = comment.exec(text); m; m = comment.exec(text)) {
    const body = m[1]!;
    if (!body.includes("@example")) continue;
    const startLine = text.slice(0, m.index).split("\n").length;
    const lines = body.split("\n").map((l) => l.replace(/^\s*\* ?/, ""));
    const after = text.slice(m.index + m[0].length).split("\n", 3);
    const declLine = after.find((l) => l.trim() !== "") ?? "";
    const decl = DECLARATION.exec(declLine);
    const symbol = decl?.[1] ?? decl?.[2] ?? "?";
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*@example\b/.test(lines[i]!)) continue;
      const block: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !/^\s*@\w+/.test(lines[j]!); j++) block.push(lines[j]!);
      const fence = block.find((l) => /^\s*```/.test(l)) ?? "";
      const runnable = /```\w*\s+runnable\b/.test(fence);
      const code = block
        .filter((l) => !/^\s*```/.test(l))
        .join("\n")
        .trim();
      if (code !== "")
        out.push({ file: relative(repoRoot, file), line: startLine + i, symbol, code, runnable });
      i = j - 1;
    }
  }
  return out;
}

/** Every `@example` of every package. */
export function allExamples(): TsdocExample[] {
  return sourceFiles().flatMap((f) => examplesOf(f));
}

/** The public entry points whose exports an example may use without importing them. */
const ENTRIES: readonly (readonly [specifier: string, file: string])[] = [
  ["@dhis2w/client", "packages/client/src/index.ts"],
  ["@dhis2w/client/node", "packages/client/src/node/index.ts"],
  ["@dhis2w/core", "packages/core/src/index.ts"],
  ["@dhis2w/emulator", "packages/emulator/src/index.ts"],
  ["@dhis2w/codegen", "packages/codegen/src/index.ts"],
];

/**
 * The values examples take as given, like a reader does: a connected client (with the typed
 * accessors of v42), an emulator, a profile, an abort signal.
 */
export const PREAMBLE = `
import type { Dhis2Client as __Client, MetadataAccessorsFor as __Accessors } from "@dhis2w/client";
import type { Emulator as __Emulator } from "@dhis2w/emulator";
import type { Profile as __Profile } from "@dhis2w/core";
declare const client: __Client<"v42"> & __Accessors<"v42">;
declare const emu: __Emulator;
declare const profile: __Profile;
declare const signal: AbortSignal;
declare const uid: string;
`;

/** What the emulator's internal examples take as given: the app, a request's context, the state. */
const EMULATOR_GIVEN: Readonly<Record<string, readonly [file: string, type: string]>> = {
  app: ["packages/emulator/src/app.ts", "EmulatorApp"],
  ctx: ["packages/emulator/src/ctx.ts", "Ctx"],
  state: ["packages/emulator/src/state.ts", "EmulatorState"],
};

/** A module's exports, types-only ones spelt `type X` (the settings use `verbatimModuleSyntax`). */
function exportedNames(program: ts.Program, file: string): Map<string, string> {
  const source = program.getSourceFile(file);
  const out = new Map<string, string>();
  if (!source) return out;
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(source);
  for (const s of symbol ? checker.getExportsOfModule(symbol) : []) {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    const isValue = (target.flags & ts.SymbolFlags.Value) !== 0;
    out.set(s.getName(), isValue ? s.getName() : `type ${s.getName()}`);
  }
  return out;
}

function specifier(fromDir: string, file: string): string {
  const spec = relative(fromDir, file).replace(/\\/g, "/").replace(/\.ts$/, ".js");
  return spec.startsWith(".") ? spec : `./${spec}`;
}

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(repoRoot, "tsconfig.base.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  return {
    ...parsed.options,
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    incremental: false,
    noUnusedLocals: false,
    // An example shows a call; it may leave a result unused or a variable reassigned.
    allowUnreachableCode: true,
  };
}

/** Where the generated programs go (ignored by git; inside the repository so packages resolve). */
export const OUT_DIR = join(repoRoot, "test-artifacts", "tsdoc-examples");

/** One example as a module: imports, preamble, code. */
export interface ExampleProgram {
  readonly example: TsdocExample;
  readonly path: string;
}

function identifiersIn(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)/g)) names.add(m[1]!);
  return names;
}

function importedIn(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from/g))
    for (const part of m[1]!.split(",")) {
      const name = part
        .replace(/^\s*type\s+/, "")
        .split(/\s+as\s+/)
        .at(-1)
        ?.trim();
      if (name) names.add(name);
    }
  for (const m of code.matchAll(/import\s+(?:type\s+)?(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s+from/g))
    names.add(m[1]!);
  return names;
}

function declaredIn(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(
    /\b(?:const|let|var|using|function|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g,
  ))
    names.add(m[1]!);
  for (const m of code.matchAll(/\b(?:const|let|var)\s*[{[]([^=]*)[}\]]\s*=/g))
    for (const part of m[1]!.split(",")) {
      const name = part.split(":").at(-1)?.replace(/=.*/, "").trim();
      if (name && /^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
    }
  return names;
}

/** The 0-based line where each written program's example code starts. */
const codeStart = new Map<string, number>();

/** Writes each example as a module under {@link OUT_DIR} and returns where. */
export function writePrograms(examples: readonly TsdocExample[]): ExampleProgram[] {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const options = compilerOptions();
  const entryProgram = ts.createProgram(
    [
      ...new Set([
        ...ENTRIES.map(([, f]) => join(repoRoot, f)),
        ...examples.map((e) => join(repoRoot, e.file)),
      ]),
    ],
    options,
  );
  const entryExports = ENTRIES.map(
    ([spec, f]) => [spec, exportedNames(entryProgram, join(repoRoot, f))] as const,
  );
  const given = new Set(["client", "emu", "profile", "signal", "uid"]);
  return examples.map((example, i) => {
    const dir = join(OUT_DIR, example.file.replace(/[/\\]/g, "__").replace(/\.ts$/, ""));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `L${example.line}.ts`);
    const used = identifiersIn(example.code);
    const own = importedIn(example.code);
    const local = declaredIn(example.code);
    const taken = new Set([...own, ...local]);
    const imports: string[] = [];
    // Names exported by the example's own file first (internal helpers are documented there).
    const ownFile = join(repoRoot, example.file);
    const ownExports = exportedNames(entryProgram, ownFile);
    const fromOwn = [...ownExports].filter(([n]) => used.has(n) && !taken.has(n) && !given.has(n));
    if (fromOwn.length > 0) {
      imports.push(
        `import { ${fromOwn.map(([, spelt]) => spelt).join(", ")} } from "${specifier(dir, ownFile)}";`,
      );
      for (const [n] of fromOwn) taken.add(n);
    }
    for (const [spec, names] of entryExports) {
      const pick = [...used].filter((n) => names.has(n) && !taken.has(n) && !given.has(n)).sort();
      if (pick.length === 0) continue;
      imports.push(`import { ${pick.map((n) => names.get(n)).join(", ")} } from "${spec}";`);
      for (const n of pick) taken.add(n);
    }
    const extra: string[] = [];
    if (example.file.startsWith("packages/emulator/"))
      for (const [name, [file, type]] of Object.entries(EMULATOR_GIVEN))
        if (used.has(name) && !taken.has(name)) {
          extra.push(`import type { ${type} as __${type} } from "${specifier(dir, join(repoRoot, file))}";`);
          extra.push(`declare const ${name}: __${type};`);
        }
    const preamble = PREAMBLE.split("\n")
      .filter((l) => {
        const m = /^declare const (\w+)/.exec(l);
        return !m || !taken.has(m[1]!);
      })
      .join("\n");
    const head = `// ${example.file}:${example.line} (${example.symbol}), example ${i + 1}\n${imports.join("\n")}\n${preamble}\n${extra.join("\n")}\n`;
    const text = `${head}${example.code}\nexport {};\n`;
    codeStart.set(resolve(path), head.split("\n").length - 1);
    writeFileSync(path, text);
    return { example, path };
  });
}

/** A type error in an example: where the example is, and what the compiler said. */
export interface ExampleError {
  readonly where: string;
  readonly message: string;
}

/** Type-checks the written programs; returns the errors, each naming the example's source line. */
export function typeCheck(programs: readonly ExampleProgram[]): ExampleError[] {
  const program = ts.createProgram(
    programs.map((p) => p.path),
    compilerOptions(),
  );
  const byPath = new Map(programs.map((p) => [resolve(p.path), p]));
  const errors: ExampleError[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const p = d.file ? byPath.get(resolve(d.file.fileName)) : undefined;
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!p) {
      errors.push({ where: d.file?.fileName ?? "(global)", message });
      continue;
    }
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    const offset = line - (codeStart.get(resolve(p.path)) ?? 0);
    errors.push({
      where: `${p.example.file}:${p.example.line} (${p.example.symbol}), example line ${offset + 1}`,
      message,
    });
  }
  return errors;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const examples = allExamples();
  const errors = typeCheck(writePrograms(examples));
  for (const e of errors) console.log(`${e.where}: ${e.message.split("\n")[0]}`);
  console.log(
    `${examples.length} examples, ${examples.filter((e) => e.runnable).length} runnable, ${errors.length} errors`,
  );
  process.exitCode = errors.length > 0 ? 1 : 0;
}
