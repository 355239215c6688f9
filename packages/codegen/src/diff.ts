/**
 * What changed in `/api/schemas` between two DHIS2 versions: types (schemas, keyed by klass) and
 * their properties (keyed by wire name, as the client and the generated code see them) added,
 * removed and changed, as data and as text. Reads the committed derived snapshots
 * (`packages/emulator/schemas/vNN.gen.json`), so it works without the real snapshots.
 */
import { join } from "node:path";
import { cmp } from "./analyze.js";
import { loadSchemaFile, type SchemaDescriptor, type SchemaDocument, type SchemaProperty } from "./input.js";
import { simpleClassName, wireName } from "./naming.js";
import { SNAPSHOT_DIR } from "./snapshot.js";

/** A type as the diff names it. */
export interface SchemaSummary {
  readonly klass: string;
  /** The singular name ("dataElement"). */
  readonly name: string;
  readonly plural: string;
  readonly apiEndpoint?: string;
}

/** A property as the diff names it. */
export interface PropertySummary {
  /** The wire name (`dataElementGroups`, not the schema's XML item name `dataElementGroup`). */
  readonly name: string;
  /** `TEXT`, `REFERENCE DataElement`, `COLLECTION of REFERENCE DataElementGroup`, `CONSTANT ValueType`. */
  readonly type: string;
  readonly collection: boolean;
  readonly required: boolean;
  /** Allowed values of a CONSTANT property (or collection of constants). */
  readonly constants?: readonly string[];
}

/** One aspect of a property that differs. */
export type PropertyAspectChange =
  | { readonly aspect: "type"; readonly from: string; readonly to: string }
  | { readonly aspect: "collection" | "required"; readonly from: boolean; readonly to: boolean }
  | { readonly aspect: "constants"; readonly added: readonly string[]; readonly removed: readonly string[] };

export interface PropertyChange {
  readonly name: string;
  readonly changes: readonly PropertyAspectChange[];
}

/** A type present in both versions that differs. */
export interface SchemaChange extends SchemaSummary {
  /** Changes of the type itself (its name, plural, endpoint, metadata flag). */
  readonly changes: ReadonlyArray<{ readonly field: string; readonly from: unknown; readonly to: unknown }>;
  readonly addedProperties: readonly PropertySummary[];
  readonly removedProperties: readonly PropertySummary[];
  readonly changedProperties: readonly PropertyChange[];
}

/** The difference between the schemas of two versions. */
export interface SchemaDiff {
  readonly from: { readonly versionKey: string; readonly rawVersion: string };
  readonly to: { readonly versionKey: string; readonly rawVersion: string };
  readonly added: readonly SchemaSummary[];
  readonly removed: readonly SchemaSummary[];
  readonly changed: readonly SchemaChange[];
}

const summary = (s: SchemaDescriptor): SchemaSummary => ({
  klass: s.klass,
  name: s.singular ?? s.name,
  plural: s.plural,
  ...(s.apiEndpoint ? { apiEndpoint: s.apiEndpoint } : {}),
});

const rank = (p: SchemaProperty) => (p.persisted ? 0 : 2) + (p.writable ? 0 : 1);

function typeOf(p: SchemaProperty): string {
  const collection = !!p.collection || p.propertyType === "COLLECTION";
  const of = (t: string | null | undefined, k: string | null | undefined) =>
    [t ?? "?", k && !k.startsWith("java.") ? simpleClassName(k) : ""].filter(Boolean).join(" ");
  return collection ? `COLLECTION of ${of(p.itemPropertyType, p.itemKlass)}` : of(p.propertyType, p.klass);
}

/** Properties by wire name; where two map to one name the generator's choice wins (analyze.ts). */
function properties(s: SchemaDescriptor): Map<string, PropertySummary> {
  const out = new Map<string, PropertySummary>();
  const sorted = [...s.properties].sort((a, b) => rank(a) - rank(b) || cmp(a.name, b.name));
  for (const p of sorted) {
    const name = wireName(p).name;
    if (out.has(name)) continue;
    out.set(name, {
      name,
      type: typeOf(p),
      collection: !!p.collection || p.propertyType === "COLLECTION",
      required: !!p.required,
      ...(p.constants && p.constants.length > 0 ? { constants: [...p.constants] } : {}),
    });
  }
  return out;
}

function propertyChanges(a: PropertySummary, b: PropertySummary): PropertyAspectChange[] {
  const out: PropertyAspectChange[] = [];
  if (a.type !== b.type) out.push({ aspect: "type", from: a.type, to: b.type });
  if (a.collection !== b.collection) out.push({ aspect: "collection", from: a.collection, to: b.collection });
  if (a.required !== b.required) out.push({ aspect: "required", from: a.required, to: b.required });
  const ca = a.constants ?? [];
  const cb = b.constants ?? [];
  const added = cb.filter((c) => !ca.includes(c));
  const removed = ca.filter((c) => !cb.includes(c));
  if (added.length > 0 || removed.length > 0) out.push({ aspect: "constants", added, removed });
  return out;
}

const byName = <T extends { name: string }>(xs: T[]) => xs.sort((a, b) => cmp(a.name, b.name));

/**
 * Compares two schema documents (sync; see {@link diffSchemas} for the committed snapshots).
 *
 * @example
 * const d = diffDocuments(await loadSchemaFile("a.json"), await loadSchemaFile("b.json"));
 * d.removed.map((s) => s.name);
 */
export function diffDocuments(from: SchemaDocument, to: SchemaDocument): SchemaDiff {
  const a = new Map(from.schemas.map((s) => [s.klass, s]));
  const b = new Map(to.schemas.map((s) => [s.klass, s]));
  const added = byName([...b.values()].filter((s) => !a.has(s.klass)).map(summary));
  const removed = byName([...a.values()].filter((s) => !b.has(s.klass)).map(summary));
  const changed: SchemaChange[] = [];
  for (const [klass, sa] of a) {
    const sb = b.get(klass);
    if (!sb) continue;
    const changes: { field: string; from: unknown; to: unknown }[] = [];
    const sumA = summary(sa);
    const sumB = summary(sb);
    for (const f of ["name", "plural", "apiEndpoint"] as const) {
      if (sumA[f] !== sumB[f]) changes.push({ field: f, from: sumA[f], to: sumB[f] });
    }
    if (!!sa.metadata !== !!sb.metadata)
      changes.push({ field: "metadata", from: !!sa.metadata, to: !!sb.metadata });
    const pa = properties(sa);
    const pb = properties(sb);
    const addedProperties = byName([...pb.values()].filter((p) => !pa.has(p.name)));
    const removedProperties = byName([...pa.values()].filter((p) => !pb.has(p.name)));
    const changedProperties: PropertyChange[] = [];
    for (const [name, p] of pa) {
      const q = pb.get(name);
      const c = q ? propertyChanges(p, q) : [];
      if (c.length > 0) changedProperties.push({ name, changes: c });
    }
    byName(changedProperties);
    if (changes.length + addedProperties.length + removedProperties.length + changedProperties.length > 0) {
      changed.push({ ...sumB, changes, addedProperties, removedProperties, changedProperties });
    }
  }
  byName(changed);
  return {
    from: { versionKey: from.versionKey, rawVersion: from.rawVersion },
    to: { versionKey: to.versionKey, rawVersion: to.rawVersion },
    added,
    removed,
    changed,
  };
}

/**
 * Compares the committed derived snapshots of two versions.
 *
 * @example
 * const d = await diffSchemas("v42", "v43");
 * d.changed.find((s) => s.name === "dashboardItem")?.removedProperties; // [{ name: "user", ... }]
 * console.log(formatSchemaDiff(d));
 */
export async function diffSchemas(
  from: string,
  to: string,
  opts: { dir?: string } = {},
): Promise<SchemaDiff> {
  const dir = opts.dir ?? SNAPSHOT_DIR;
  const [a, b] = await Promise.all(
    [from, to].map((v) => loadSchemaFile(join(dir, `${versionFile(v)}.gen.json`))),
  );
  return diffDocuments(a!, b!);
}

/** "v43", "43", "2.43" -> "v43". */
function versionFile(v: string): string {
  const m = /^(?:v|2\.)?(\d+)$/.exec(v.trim());
  if (!m) throw new Error(`not a DHIS2 version: "${v}" (expected v41, 41 or 2.41)`);
  return `v${m[1]}`;
}

// The values of a CONSTANT property are in the data; the text names the enum (`CONSTANT ValueType`).
const propertyLine = (p: PropertySummary) => `${p.name}: ${p.type}${p.required ? ", required" : ""}`;

function aspectText(c: PropertyAspectChange): string {
  switch (c.aspect) {
    case "type":
      return `type ${c.from} -> ${c.to}`;
    case "collection":
    case "required":
      return `${c.aspect} ${c.from} -> ${c.to}`;
    case "constants":
      return `values ${[...c.added.map((x) => `+${x}`), ...c.removed.map((x) => `-${x}`)].join(" ")}`;
  }
}

/**
 * The diff as text: `+` added, `-` removed, `~` changed, one line each.
 *
 * @example
 * console.log(formatSchemaDiff(await diffSchemas("v42", "v43")));
 * // schemas v42 (2.42.4.1) -> v43 (2.43.0): 1 type added, 4 removed, 60 changed
 * // - type pushAnalysis (org.hisp.dhis.pushanalysis.PushAnalysis, /api/pushAnalysis)
 * // ~ dashboardItem (org.hisp.dhis.dashboard.DashboardItem)
 * //     - user: REFERENCE User
 */
export function formatSchemaDiff(d: SchemaDiff): string {
  const where = (s: SchemaSummary) => `${s.klass}${s.apiEndpoint ? `, ${s.apiEndpoint}` : ""}`;
  const out = [
    `schemas ${d.from.versionKey} (${d.from.rawVersion}) -> ${d.to.versionKey} (${d.to.rawVersion}): ` +
      `${d.added.length} type${d.added.length === 1 ? "" : "s"} added, ${d.removed.length} removed, ${d.changed.length} changed`,
  ];
  for (const s of d.added) out.push(`+ type ${s.name} (${where(s)})`);
  for (const s of d.removed) out.push(`- type ${s.name} (${where(s)})`);
  for (const s of d.changed) {
    out.push(`~ ${s.name} (${s.klass})`);
    for (const c of s.changes) out.push(`    ~ ${c.field}: ${String(c.from)} -> ${String(c.to)}`);
    for (const p of s.addedProperties) out.push(`    + ${propertyLine(p)}`);
    for (const p of s.removedProperties) out.push(`    - ${propertyLine(p)}`);
    for (const p of s.changedProperties) out.push(`    ~ ${p.name}: ${p.changes.map(aspectText).join("; ")}`);
  }
  return `${out.join("\n")}\n`;
}
