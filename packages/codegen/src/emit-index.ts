/** Emits `index.gen.ts` per version, the top-level `registry.gen.ts`, and the README. */
import { quirkSummary } from "./analyze.js";
import { headerLine, key, REGENERATE_COMMAND } from "./emit-common.js";
import type { VersionIR } from "./ir.js";

export function emitIndex(ir: VersionIR): string {
  const out = [
    headerLine(ir),
    'export * from "./models.gen.js";',
    'import type * as M from "./models.gen.js";',
    "",
    `/** The DHIS2 version these types were generated from. */`,
    `export const versionKey = ${JSON.stringify(ir.versionKey)};`,
    `export const rawVersion = ${JSON.stringify(ir.rawVersion)};`,
    "",
    "/** Model type of every resource, keyed by plural (the key of `client.resources`). */",
    "export type ModelMap = {",
  ];
  for (const r of ir.resources) out.push(`  ${key(r.plural)}: M.${r.name};`);
  out.push(
    "};",
    "",
    "/** The zod validators of this version, loaded on first use. */",
    'export const loadValidators = (): Promise<typeof import("./validators.gen.js")> => import("./validators.gen.js");',
    "/** The resource table of this version, loaded on first use. */",
    'export const loadResourceTable = (): Promise<(typeof import("./resources.gen.js"))["resourceTable"]> =>',
    '  import("./resources.gen.js").then((m) => m.resourceTable);',
    "",
  );
  return out.join("\n");
}

export function emitRegistry(irs: readonly VersionIR[]): string {
  const keys = irs.map((ir) => ir.versionKey);
  const alias = (v: string) => `ModelMap${v.toUpperCase()}`;
  const out = [
    headerLine(undefined),
    'import type { ResourceTable } from "../resources/resource-def.js";',
    ...keys.map((v) => `import type { ModelMap as ${alias(v)} } from "./${v}/index.gen.js";`),
    "",
    "/**",
    " * The DHIS2 versions that have generated models. `VersionKey` itself is the version table's",
    " * (`../versions.ts`), which checks at compile time that it names exactly these.",
    " */",
    `export type GeneratedVersionKey = ${keys.map((v) => JSON.stringify(v)).join(" | ")};`,
    `export const GENERATED_VERSION_KEYS = [${keys.map((v) => JSON.stringify(v)).join(", ")}] as const satisfies readonly GeneratedVersionKey[];`,
    "",
    "/** Each version's `ModelMap` (plural -> model type). */",
    "export type ModelMaps = {",
    ...keys.map((v) => `  ${v}: ${alias(v)};`),
    "};",
    "",
    "/** Loads a version's resource table (a separate chunk per version). */",
    "export const loadResourceTable = (v: GeneratedVersionKey): Promise<ResourceTable> => {",
    "  switch (v) {",
    ...keys.map(
      (v) =>
        `    case ${JSON.stringify(v)}:\n      return import("./${v}/resources.gen.js").then((m) => m.resourceTable);`,
    ),
    "  }",
    "};",
    "",
    "/** Loads a version's zod validators (a separate chunk per version). */",
    "export const loadValidators = (v: GeneratedVersionKey) => {",
    "  switch (v) {",
    ...keys.map((v) => `    case ${JSON.stringify(v)}:\n      return import("./${v}/validators.gen.js");`),
    "  }",
    "};",
    "",
  ];
  return out.join("\n");
}

export function emitReadme(irs: readonly VersionIR[]): string {
  const out = [
    "# Generated code: do not edit",
    "",
    "Everything in this folder is written by `@dhis2w/codegen` from DHIS2's `/api/schemas`;",
    "hand edits are lost at the next run and fail the golden test. To regenerate all versions from",
    "the snapshots in `../shared/dhis2/schemas/` (without them, from the derived snapshots",
    "`packages/emulator/schemas/vNN.gen.json`, which give the same bytes):",
    "",
    "```sh",
    REGENERATE_COMMAND,
    "# or: npx tsx --conditions=source packages/codegen/src/cli.ts",
    "# from a live server: npx tsx --conditions=source packages/codegen/src/cli.ts --url https://dhis2.example.org --token $PAT",
    "```",
    "",
    "| version | server | schemas | resources | enums |",
    "|---|---|---|---|---|",
    ...irs.map(
      (ir) =>
        `| ${ir.versionKey} | ${ir.rawVersion} | ${ir.models.length} | ${ir.resources.length} | ${ir.enums.length} |`,
    ),
    "",
    "Per version: `models.gen.ts` (types and enums; a reference is `Ref<Target>`), `resources.gen.ts` (the",
    "resource table, data: one entry per resource, its properties by their DHIS2 names, descriptors used",
    "more than once named after the property and its kind, `categoryComboRef`, enum values after the enum),",
    "`validators.gen.ts` (zod, loaded lazily), `index.gen.ts` (re-exports models, `ModelMap`, lazy loaders).",
    "What is identical in several versions (a model, an enum, a validator, a resource entry, a block of a",
    "resource's properties such as `dataElementsProps`, a property descriptor, together with everything",
    "it refers to) is written once in `shared/<kind>-<versions>.gen.ts` and re-exported or imported by each",
    "version's files (see `packages/codegen/src/share.ts`). The generator also writes the derived schema",
    "snapshots `packages/emulator/schemas/vNN.gen.json` (what it reads of `/api/schemas`, normalised).",
    "`registry.gen.ts` maps version keys to them. The `/api/schemas` quirks handled (counts per version;",
    "what is done about each is described at the top of `packages/codegen/src/analyze.ts`):",
    "",
  ];
  const kinds = [...new Set(irs.flatMap((ir) => Object.keys(quirkSummary(ir.quirks))))].sort();
  out.push(
    `| quirk | ${irs.map((ir) => ir.versionKey).join(" | ")} |`,
    `|---|${irs.map(() => "---|").join("")}`,
  );
  for (const k of kinds)
    out.push(`| ${k} | ${irs.map((ir) => quirkSummary(ir.quirks)[k] ?? 0).join(" | ")} |`);
  out.push("");
  return out.join("\n");
}
