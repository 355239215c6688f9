/**
 * Turns one `/api/schemas` document into the {@link VersionIR} the emitters print.
 *
 * Quirks of `/api/schemas` (2.41-2.43) and what this generator does about each; every occurrence
 * is recorded as a {@link Quirk} (see `quirkSummary`) and counted in the generated README:
 *
 * 1. repeated-schema-name: `name` repeats with different `klass` (six schemas are all called
 *    "identifiableObject"; "legend" is both `legend.Legend` and `visualization.LegendDefinitions`).
 *    Everything is keyed by `klass`; the TS name is the class's simple name, made unique by
 *    `assignNames`; the resource singular comes from the descriptor's `singular` ("jobConfiguration"),
 *    which is distinct where `name` is not.
 * 2. irregular-plural: a `plural` that is not the English plural of `singular` ("apiToken",
 *    "pushAnalysis"; DHIS2 has shipped "authoritys"/"categorys" aliases). The server's plural is
 *    kept as is: it is the metadata-bundle key and (mostly) the URL.
 * 3. endpoint-not-plural: `apiEndpoint` whose last segment is not `plural` (`/api/dataStore`,
 *    `/api/metadata/version`). The endpoint is kept as reported; the table key stays the plural.
 * 4. type-klass-disagreement: `propertyType` says one thing and `klass` another: TEXT on a
 *    `java.lang.Long` (ValidationResult.id) -> number; REFERENCE on a `java.util.List` with
 *    `collection: true` (the `items` of *Dimension classes) -> array of references; COMPLEX on
 *    `java.util.Map` -> `Record<string, unknown>`; COMPLEX on `PeriodType` -> string (the wire
 *    carries the period type name, e.g. "Monthly"). A java.lang scalar klass wins over the propertyType.
 *    (COMPLEX on `java.util.Map` is typed `Record<string, unknown>`; not counted as a disagreement.)
 * 5. wire-name-differs: the JSON key differs from the schema `name`. Collections carry the XML
 *    item name (`dataElementGroup`) where the wire has the JSON name (`dataElementGroups`): see
 *    `wireName` in naming.ts for the rule and the verified exceptions. Single-valued properties
 *    already carry the JSON name (`programRuleVariableSourceType`, whose Java field is
 *    `sourceType`), so `name` is used and `fieldName` ignored.
 * 6. uid-to-id: the identifier's Java field is `uid`, the wire key `id`.
 * 7. duplicate-wire-name: two properties of one schema map to one wire key; the first in
 *    (persisted, writable, name) order wins and the others are dropped.
 * 8. reference-to-non-schema: REFERENCE to a class with no schema (`DimensionalObject`,
 *    `DimensionalItemObject`, `Period`, `Note`, `Message`). DHIS2 serialises those as
 *    identifiable objects (`{ id, ... }`; a Period's id is its ISO string), so they are `Reference`
 *    without a `target`; a REFERENCE to a schema without `id` would embed that model instead.
 * 9. enum-renamed / enum-constants-differ: enums are named after the Java class; when two
 *    classes share a simple name (`event.EventStatus`, `mapping.EventStatus`) or an enum's name
 *    is a model's (`eventvisualization.Attribute` vs the `Attribute` schema), models keep the
 *    name, then the enum used by more properties (ties: klass order); the others get the package
 *    as prefix (`MappingEventStatus`). If one enum class reports different constants on different
 *    properties, the union is emitted in first-seen order. Versions differ freely: each version
 *    has its own file.
 * 10. endpoint-not-identifiable: a schema with `apiEndpoint` but no string `id` (`Icon`,
 *    `MinMaxDataElement`, `ValidationResult` with a numeric id) gets a model but no resource entry.
 */
import type { SchemaDescriptor, SchemaDocument, SchemaProperty } from "./input.js";
import type { EnumDef, FieldDef, ModelDef, Quirk, TypeExpr, VersionIR } from "./ir.js";
import { assignNames, HELPER_TYPE_NAMES, pluralize, wireName } from "./naming.js";

const STRING_TYPES = new Set([
  "IDENTIFIER",
  "TEXT",
  "LONG_TEXT",
  "EMAIL",
  "PASSWORD",
  "URL",
  "PHONENUMBER",
  "COLOR",
  "DATE",
  "DATETIME",
  "GEOLOCATION",
  "POLYGON",
]);

const JAVA_SCALARS: Record<string, "string" | "number" | "boolean"> = {
  "java.lang.String": "string",
  "java.lang.Long": "number",
  "java.lang.Integer": "number",
  "java.lang.Short": "number",
  "java.lang.Double": "number",
  "java.lang.Float": "number",
  "java.math.BigDecimal": "number",
  "java.lang.Boolean": "boolean",
};

/** Non-schema classes DHIS2 serialises with a known JSON shape. */
const KNOWN_COMPLEX: Record<string, TypeExpr> = {
  "org.hisp.dhis.translation.Translation": { k: "helper", name: "Translation" },
  "org.hisp.dhis.attribute.AttributeValues": { k: "array", of: { k: "helper", name: "AttributeValue" } },
  "org.hisp.dhis.attribute.AttributeValue": { k: "helper", name: "AttributeValue" },
  "org.locationtech.jts.geom.Geometry": { k: "helper", name: "Geometry" },
  "org.hisp.dhis.period.PeriodType": { k: "string" },
  "java.util.Map": { k: "record" },
};

const isCollectionClass = (k?: string | null) => k === "java.util.List" || k === "java.util.Set";

interface Ctx {
  readonly byKlass: ReadonlyMap<string, SchemaDescriptor>;
  readonly identifiable: ReadonlySet<string>;
  readonly modelNames: ReadonlyMap<string, string>;
  readonly enumUse: Map<string, { constants: string[]; uses: number }>;
  readonly quirks: Quirk[];
}

function isIdentifiable(s: SchemaDescriptor): boolean {
  const id = s.properties.find((p) => wireName(p).name === "id");
  return !!id && (id.klass ?? "java.lang.String") === "java.lang.String";
}

function scalarOrEnum(
  type: string,
  klass: string | null | undefined,
  p: SchemaProperty,
  where: string,
  ctx: Ctx,
): TypeExpr | undefined {
  const java = klass ? JAVA_SCALARS[klass] : undefined;
  if (type === "CONSTANT" || (klass && p.constants && p.constants.length > 0 && !java)) {
    if (!klass || !p.constants || p.constants.length === 0) return { k: "string" };
    const e = ctx.enumUse.get(klass) ?? { constants: [], uses: 0 };
    const before = e.constants.length;
    for (const c of p.constants) if (!e.constants.includes(c)) e.constants.push(c);
    if (before > 0 && e.constants.length !== before) {
      ctx.quirks.push({
        kind: "enum-constants-differ",
        where,
        detail: `${klass}: union of constants emitted`,
      });
    }
    e.uses++;
    ctx.enumUse.set(klass, e);
    return { k: "enum", name: klass };
  }
  const expected: "string" | "number" | "boolean" | undefined = STRING_TYPES.has(type)
    ? "string"
    : type === "BOOLEAN"
      ? "boolean"
      : type === "INTEGER" || type === "NUMBER"
        ? "number"
        : undefined;
  if (expected === undefined) return undefined;
  if (java && java !== expected) {
    ctx.quirks.push({ kind: "type-klass-disagreement", where, detail: `${type} on ${klass}: typed ${java}` });
    return { k: java };
  }
  return { k: expected };
}

function objectType(klass: string | null | undefined, where: string, ctx: Ctx): TypeExpr {
  if (!klass) return { k: "unknown" };
  const model = ctx.modelNames.get(klass);
  if (model) return { k: "model", name: klass };
  const known = KNOWN_COMPLEX[klass];
  if (known) {
    if (klass === "org.hisp.dhis.period.PeriodType") {
      ctx.quirks.push({
        kind: "type-klass-disagreement",
        where,
        detail: `COMPLEX on ${klass}: typed ${known.k}`,
      });
    }
    return known;
  }
  return { k: "unknown" };
}

function refType(
  klass: string | null | undefined,
  where: string,
  ctx: Ctx,
): { type: TypeExpr; target?: string } {
  const schema = klass ? ctx.byKlass.get(klass) : undefined;
  if (schema && ctx.identifiable.has(schema.klass)) {
    return { type: { k: "ref", to: schema.klass }, target: schema.singular ?? schema.name };
  }
  if (schema) return { type: { k: "model", name: schema.klass } };
  ctx.quirks.push({ kind: "reference-to-non-schema", where, detail: `${klass}: typed Reference, no target` });
  return { type: { k: "ref" } };
}

function fieldOf(s: SchemaDescriptor, p: SchemaProperty, ctx: Ctx): FieldDef {
  const { name: wire, rule } = wireName(p);
  const where = `${s.klass}#${p.name}`;
  if (rule === "uid-to-id")
    ctx.quirks.push({ kind: "uid-to-id", where, detail: `${p.fieldName ?? p.name} -> id` });
  else if (wire !== p.name) {
    ctx.quirks.push({ kind: "wire-name-differs", where, detail: `${p.name} -> ${wire} (${rule})` });
  }
  const base = { wire, rule, source: p };
  const collection =
    !!p.collection || p.propertyType === "COLLECTION" || isCollectionClass(p.klass) || !!p.itemPropertyType;
  if (collection) {
    if (p.propertyType !== "COLLECTION" || !p.collection) {
      ctx.quirks.push({
        kind: "type-klass-disagreement",
        where,
        detail: `${p.propertyType} on ${p.klass} (collection: ${p.collection}): typed as an array`,
      });
    }
    const itemType = p.itemPropertyType ?? (p.propertyType === "COLLECTION" ? "COMPLEX" : p.propertyType);
    if (itemType === "REFERENCE") {
      const r = refType(p.itemKlass, where, ctx);
      return {
        ...base,
        type: { k: "array", of: r.type },
        target: r.target,
        reference: true,
        collection: true,
      };
    }
    const item = scalarOrEnum(itemType, p.itemKlass, p, where, ctx) ?? objectType(p.itemKlass, where, ctx);
    return { ...base, type: { k: "array", of: item }, reference: false, collection: true };
  }
  if (p.propertyType === "REFERENCE") {
    const r = refType(p.klass, where, ctx);
    return { ...base, type: r.type, target: r.target, reference: true, collection: false };
  }
  const type = scalarOrEnum(p.propertyType, p.klass, p, where, ctx) ?? objectType(p.klass, where, ctx);
  return { ...base, type, reference: false, collection: false };
}

const rank = (p: SchemaProperty) => (p.persisted ? 0 : 2) + (p.writable ? 0 : 1);

/** Normalises `apiEndpoint`: live servers may answer an absolute URL. */
function endpointOf(s: SchemaDescriptor): string | undefined {
  if (s.apiEndpoint) {
    const path = /^https?:\/\//.test(s.apiEndpoint) ? new URL(s.apiEndpoint).pathname : s.apiEndpoint;
    const i = path.indexOf("/api/");
    return i >= 0 ? path.slice(i) : path;
  }
  return s.relativeApiEndpoint ? `/api${s.relativeApiEndpoint}` : undefined;
}

/**
 * Analyses a schemas document into the IR.
 *
 * @example
 * const ir = analyze(await loadSchemaFile("v42.json"));
 * ir.resources.length; // 83
 */
export function analyze(doc: SchemaDocument): VersionIR {
  const quirks: Quirk[] = [];
  const schemas = [...doc.schemas]
    .filter((s) => {
      // v41 has a schema for AttributeValue; it is the shared helper type (same wire shape).
      const helper = KNOWN_COMPLEX[s.klass];
      if (helper?.k === "helper") {
        quirks.push({
          kind: "model-renamed",
          where: s.klass,
          detail: `emitted as the shared ${helper.name} type`,
        });
      }
      return helper?.k !== "helper";
    })
    .sort((a, b) => cmp(a.klass, b.klass));
  const byKlass = new Map<string, SchemaDescriptor>();
  for (const s of schemas) {
    if (byKlass.has(s.klass))
      throw new Error(`${doc.versionKey}: klass ${s.klass} appears twice in /api/schemas`);
    byKlass.set(s.klass, s);
  }
  const byName = new Map<string, string[]>();
  for (const s of schemas) byName.set(s.name, [...(byName.get(s.name) ?? []), s.klass]);
  for (const [name, klasses] of byName) {
    if (klasses.length > 1) {
      quirks.push({
        kind: "repeated-schema-name",
        where: name,
        detail: `${klasses.length} classes: ${klasses.join(", ")}`,
      });
    }
  }
  const identifiable = new Set(schemas.filter(isIdentifiable).map((s) => s.klass));
  const { names: modelNames, renamed } = assignNames(
    schemas.map((s) => s.klass),
    HELPER_TYPE_NAMES,
  );
  for (const r of renamed)
    quirks.push({ kind: "model-renamed", where: r.klass, detail: `${r.wanted} -> ${r.name}` });
  const ctx: Ctx = { byKlass, identifiable, modelNames, enumUse: new Map(), quirks };

  const models: ModelDef[] = schemas.map((s) => {
    const singular = s.singular ?? s.name;
    if (s.plural !== pluralize(singular)) {
      quirks.push({ kind: "irregular-plural", where: s.klass, detail: `${singular} -> ${s.plural} (kept)` });
    }
    const endpoint = endpointOf(s);
    if (endpoint && endpoint.slice(endpoint.lastIndexOf("/") + 1) !== s.plural) {
      quirks.push({
        kind: "endpoint-not-plural",
        where: s.klass,
        detail: `${endpoint} vs plural ${s.plural}`,
      });
    }
    const props = [...s.properties].sort((a, b) => rank(a) - rank(b) || cmp(a.name, b.name));
    const fields = new Map<string, FieldDef>();
    for (const p of props) {
      const f = fieldOf(s, p, ctx);
      const prev = fields.get(f.wire);
      if (prev) {
        quirks.push({
          kind: "duplicate-wire-name",
          where: `${s.klass}#${f.wire}`,
          detail: `kept ${prev.source.name}, dropped ${p.name}`,
        });
        continue;
      }
      fields.set(f.wire, f);
    }
    if (endpoint && !identifiable.has(s.klass)) {
      quirks.push({
        kind: "endpoint-not-identifiable",
        where: s.klass,
        detail: `${endpoint}: no resource entry`,
      });
    }
    return {
      klass: s.klass,
      name: modelNames.get(s.klass)!,
      schemaName: s.name,
      singular,
      plural: s.plural,
      endpoint,
      metadata: !!s.metadata,
      identifiable: identifiable.has(s.klass),
      fields: [...fields.values()].sort((a, b) => cmp(a.wire, b.wire)),
    };
  });

  const enumOrder = [...ctx.enumUse.entries()]
    .sort(([ka, a], [kb, b]) => b.uses - a.uses || cmp(ka, kb))
    .map(([k]) => k);
  const taken = new Set([...HELPER_TYPE_NAMES, ...modelNames.values()]);
  const { names: enumNames, renamed: enumRenamed } = assignNames(enumOrder, taken);
  for (const r of enumRenamed)
    quirks.push({ kind: "enum-renamed", where: r.klass, detail: `${r.wanted} -> ${r.name}` });
  const enums: EnumDef[] = enumOrder
    .map((klass) => ({ klass, name: enumNames.get(klass)!, constants: ctx.enumUse.get(klass)!.constants }))
    .sort((a, b) => cmp(a.name, b.name));

  const resources = models
    .filter((m) => m.endpoint && m.identifiable)
    .sort((a, b) => cmp(a.plural, b.plural));
  for (let i = 1; i < resources.length; i++) {
    if (resources[i]!.plural === resources[i - 1]!.plural) {
      throw new Error(`${doc.versionKey}: two resources share the plural "${resources[i]!.plural}"`);
    }
  }
  return { versionKey: doc.versionKey, rawVersion: doc.rawVersion, models, enums, resources, quirks };
}

/** Code-point order: the same on every machine and locale (localeCompare is not). */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Counts quirks by kind, for reports and the generated README. */
export function quirkSummary(quirks: readonly Quirk[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const q of quirks) out[q.kind] = (out[q.kind] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => cmp(a, b)));
}
