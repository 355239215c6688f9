/**
 * Writes `packages/emulator/src/metadata/default-values.gen.ts`: per version, per schema class,
 * the persisted scalar properties a real server always serialises with a default value when the
 * object never set them (Java primitives `boolean`/`int`/`double`, and fields with a literal
 * initializer such as `FeatureType featureType = FeatureType.NONE`).
 *
 * `/api/schemas` cannot tell these apart (it reports `java.lang.Integer` for `int version` and for
 * `Integer decimals` alike), so the facts come from the Java sources of the tags the emulated
 * versions report, read from a local git clone of dhis2/dhis2-core (nothing is built or run):
 * for each schema `klass`, the field named by the property's `fieldName` in the class or its
 * superclasses. Then they are checked against the real 2.42 export
 * `../shared/dhis2/play/metadata.json`: a property the export never carries for a type it holds
 * objects of is dropped (the server does not send it, e.g. `ProgramRuleAction.evaluationTime`,
 * whose JSON name differs from the schema's). `metadata-v43.json` is not used for this: it lacks
 * 2.43's new primitives (`TrackedEntityAttribute.minCharactersToSearch`, `skipAnalytics`, and
 * `Program.enableChangeLog` on one of its two programs), which a 2.43 server cannot leave out.
 *
 *   npx tsx --conditions=source scripts/gen-default-values.ts /path/to/dhis2-core
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { SUPPORTED_VERSIONS, VERSION_KEYS, type VersionKey } from "@dhis2w/client";

/** The tag of each version: the reference build of its row in the version table. */
const TAGS = Object.fromEntries(
  VERSION_KEYS.map((v) => [v, SUPPORTED_VERSIONS[v].referenceBuild.version]),
) as Record<VersionKey, string>;
const EXPORT = "metadata.json";
const SCALARS = new Set(["BOOLEAN", "INTEGER", "NUMBER", "CONSTANT"]);
type Value = boolean | number | string;

interface SchemaProperty {
  name: string;
  fieldName?: string;
  propertyType: string;
  persisted?: boolean;
  collection?: boolean;
  constants?: string[] | null;
}
interface Schema {
  klass: string;
  plural: string;
  properties: SchemaProperty[];
}

const repo = process.argv[2];
if (!repo) {
  console.error("usage: tsx scripts/gen-default-values.ts <dhis2-core git clone>");
  process.exit(2);
}
const git = (...args: string[]) =>
  execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });

/** The default a Java field declaration gives, or undefined when it has none. */
function defaultOf(type: string, init: string, p: SchemaProperty): Value | undefined {
  if (type === "boolean") return init === "" ? false : init === "true";
  if (["int", "long", "short"].includes(type))
    return init === "" ? 0 : /^-?\d+$/.test(init) ? Number(init) : undefined;
  if (["double", "float"].includes(type)) {
    if (init === "") return 0;
    return /^-?[\d.]+[dDfF]?$/.test(init) ? Number(init.replace(/[dDfF]$/, "")) : undefined;
  }
  if (init === "" || init === "null") return undefined;
  if (p.propertyType === "CONSTANT") {
    const constant = /^(?:[\w.]+\.)?(\w+)$/.exec(init)?.[1];
    return constant && p.constants?.includes(constant) ? constant : undefined;
  }
  if (/^(Boolean\.)?(true|false|TRUE|FALSE)$/.test(init)) return /true/i.test(init);
  if (/^-?\d+$/.test(init)) return Number(init);
  if (/^-?[\d.]+[dD]?$/.test(init)) return Number(init.replace(/[dD]$/, ""));
  return undefined;
}

function derive(version: keyof typeof TAGS): Record<string, Record<string, Value>> {
  const tag = TAGS[version];
  const files = git("ls-tree", "-r", "--name-only", tag)
    .split("\n")
    .filter((f) => f.endsWith(".java") && f.includes("/src/main/java/"));
  const sources = new Map<string, string | undefined>();
  const source = (klass: string) => {
    if (!sources.has(klass)) {
      const path = `/src/main/java/${klass.replaceAll(".", "/")}.java`;
      const file = files.find((f) => f.endsWith(path));
      sources.set(klass, file ? git("show", `${tag}:${file}`) : undefined);
    }
    return sources.get(klass);
  };
  const { schemas } = JSON.parse(readFileSync(`../shared/dhis2/schemas/${version}.json`, "utf8")) as {
    schemas: Schema[];
  };
  const out: Record<string, Record<string, Value>> = {};
  for (const s of schemas) {
    const wanted = new Map(
      s.properties
        .filter((p) => p.persisted && !p.collection && SCALARS.has(p.propertyType))
        .map((p) => [p.fieldName || p.name, p]),
    );
    const found: Record<string, Value> = {};
    const seen = new Set<string>();
    let klass: string | undefined = s.klass;
    for (let depth = 0; klass && depth < 8 && seen.size < wanted.size; depth++) {
      const text = source(klass);
      if (!text) break;
      for (const [field, p] of wanted) {
        if (seen.has(field)) continue;
        const decl = new RegExp(
          `^\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*(?:private|protected|public)\\s+(?:final\\s+)?([\\w.<>]+)\\s+${field}\\s*(?:=\\s*([^;]+))?;`,
          "m",
        ).exec(text);
        if (!decl) continue;
        seen.add(field);
        const value = defaultOf(decl[1]!, (decl[2] ?? "").replace(/\s+/g, " ").trim(), p);
        if (value !== undefined) found[p.name] = value;
      }
      const parent = /class\s+\w+(?:<[^{]*?>)?\s+extends\s+([\w.]+)/.exec(text)?.[1];
      const pkg = /^package\s+([\w.]+);/m.exec(text)?.[1];
      const imported = parent
        ? new RegExp(`^import\\s+([\\w.]+\\.${parent});`, "m").exec(text)?.[1]
        : undefined;
      klass = parent ? (imported ?? (parent.includes(".") ? parent : `${pkg}.${parent}`)) : undefined;
    }
    if (Object.keys(found).length > 0) out[s.klass] = found;
  }
  // Checked against the real export: keys it never carries for a type it holds are dropped.
  const exported = JSON.parse(readFileSync(`../shared/dhis2/play/${EXPORT}`, "utf8")) as Record<
    string,
    unknown
  >;
  for (const s of schemas) {
    const objects = exported[s.plural];
    const table = out[s.klass];
    if (!table || !Array.isArray(objects) || objects.length === 0) continue;
    const schema2_42 = new Set(
      (JSON.parse(readFileSync("../shared/dhis2/schemas/v42.json", "utf8")) as { schemas: Schema[] }).schemas
        .find((x) => x.klass === s.klass)
        ?.properties.map((p) => p.name) ?? [],
    );
    for (const key of Object.keys(table)) {
      // Only properties 2.42 has can be judged by a 2.42 export.
      if (schema2_42.has(key) && !objects.some((o) => key in (o as object))) delete table[key];
    }
    if (Object.keys(table).length === 0) delete out[s.klass];
  }
  return out;
}

const perVersion = Object.fromEntries(
  (Object.keys(TAGS) as (keyof typeof TAGS)[]).map((v) => [v, derive(v)]),
) as Record<keyof typeof TAGS, Record<string, Record<string, Value>>>;

// One constant per distinct per-class table, shared across versions.
const shared = new Map<string, string>();
const constName = (table: Record<string, Value>) => {
  const sorted = Object.fromEntries(Object.entries(table).sort(([a], [b]) => (a < b ? -1 : 1)));
  const text = JSON.stringify(sorted)
    .replace(/"(\w+)":/g, "$1: ")
    .replace(/,/g, ", ");
  if (!shared.has(text)) shared.set(text, `d${shared.size}`);
  return shared.get(text)!;
};
const versionLines = Object.entries(perVersion).map(([v, classes]) => {
  const entries = Object.keys(classes)
    .sort()
    .map((klass) => `    "${klass}": ${constName(classes[klass]!)},`);
  return `  ${v}: {\n${entries.join("\n")}\n  },`;
});
const header = `// Generated by scripts/gen-default-values.ts from dhis2-core ${Object.values(TAGS).join(", ")}
// and checked against ../shared/dhis2/play; do not edit by hand.
import type { VersionKey } from "@dhis2w/client";

/** A default a real server serialises for a property the object never set. */
export type DefaultValue = boolean | number | string;
`;
const consts = [...shared].map(([text, name]) => `const ${name} = ${text} as const;`).join("\n");
const body = `
/** Per version, per schema class (\`klass\`), the properties DHIS2 always sends and their default. */
export const DEFAULT_VALUES: Readonly<
  Record<VersionKey, Readonly<Record<string, Readonly<Record<string, DefaultValue>>>>>
> = {
${versionLines.join("\n")}
};
`;
writeFileSync("packages/emulator/src/metadata/default-values.gen.ts", `${header}\n${consts}\n${body}`);
console.log(
  Object.entries(perVersion)
    .map(([v, c]) => `${v}: ${Object.keys(c).length} classes`)
    .join(", "),
);
