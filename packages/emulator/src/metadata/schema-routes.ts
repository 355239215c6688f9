/**
 * `GET /api/schemas`, `/api/schemas/{type}`, `/api/schemas/{type}/{property}`: every schema of the
 * emulated version (not only those with an endpoint), from the derived snapshot the generator
 * writes (`packages/emulator/schemas/vNN.gen.json`: what the generator reads of the real
 * `/api/schemas`), read on the first request, never at start. The snapshot leaves out false flags,
 * nulls and a `fieldName` equal to `name`; the answer puts them back as DHIS2 sends them
 * (`Include.NON_NULL`: nulls stay out). So `dhis2w-codegen --url <emulator>` regenerates the
 * committed code byte for byte.
 *
 * As dhis2-core `SchemaController` (dhis-web-api): both GETs take `fields` (default `*`) through
 * the field filter; `{type}` is the singular name (`getSchemaBySingularName`), else 404
 * "Type X does not exist."; `{type}/{property}` 404s "Property P does not exist on type T.".
 * Schemas are listed in klass order (DHIS2 lists them in its metadata import order).
 */

import type { VersionKey } from "@dhis2w/client";
import type { EmulatorApp } from "../app.js";
import { HttpError } from "../web-message.js";
import { type FieldSpec, parseFields } from "./fields.js";
import { joined } from "./runtime.js";
import type { JsonObject } from "./schema-index.js";

const SCHEMA_FLAGS = ["metadata"] as const;
const PROPERTY_FLAGS = ["collection", "required", "owner", "unique", "writable", "persisted"] as const;

/** A property of the snapshot with what it leaves out put back. */
function fullProperty(p: JsonObject): JsonObject {
  const out: JsonObject = { ...p, fieldName: p.fieldName ?? p.name };
  for (const f of PROPERTY_FLAGS) out[f] = p[f] === true;
  return out;
}

function fullSchema(s: JsonObject): JsonObject {
  const { properties, ...head } = s;
  const out: JsonObject = { klass: s.klass, name: s.name, singular: s.singular ?? s.name, ...head };
  for (const f of SCHEMA_FLAGS) out[f] = s[f] === true;
  out.properties = (properties as JsonObject[]).map(fullProperty);
  return out;
}

/**
 * Each version's derived snapshot (`schemas/vNN.gen.json`, written by the generator), loaded on
 * first use. Static specifiers, so bundlers (the browser entry) include them as lazy chunks; a new
 * version is a new row (the type requires one per version key).
 */
const SNAPSHOTS: Record<VersionKey, () => Promise<{ default: unknown }>> = {
  v41: () => import("../../schemas/v41.gen.json", { with: { type: "json" } }),
  v42: () => import("../../schemas/v42.gen.json", { with: { type: "json" } }),
  v43: () => import("../../schemas/v43.gen.json", { with: { type: "json" } }),
};

const loaded = new Map<VersionKey, Promise<JsonObject[]>>();

/** The version's schemas, read once per process on first use. */
function schemasOf(version: VersionKey): Promise<JsonObject[]> {
  let p = loaded.get(version);
  if (!p) {
    p = (async () => {
      const doc = (await SNAPSHOTS[version]()).default as { schemas: JsonObject[] };
      return doc.schemas.map(fullSchema);
    })();
    p.catch(() => loaded.delete(version));
    loaded.set(version, p);
  }
  return p;
}

/**
 * Field filtering of plain JSON as DHIS2's field filter does it for non-identifiable objects:
 * `*` / `:all` every key, names pick keys, `name[...]` filters nested objects (and each item of
 * an array), `!name` excludes; unknown names are left out without a word.
 */
export function filterJson(value: unknown, specs: readonly FieldSpec[]): unknown {
  if (Array.isArray(value)) return value.map((v) => filterJson(v, specs));
  if (value === null || typeof value !== "object") return value;
  const obj = value as JsonObject;
  const out: JsonObject = {};
  const all = specs.some((s) => !s.exclude && (s.name === "*" || s.name === ":all"));
  const excluded = new Set(specs.filter((s) => s.exclude).map((s) => s.name));
  const picked = new Map(
    specs.filter((s) => !s.exclude && !s.name.startsWith(":") && s.name !== "*").map((s) => [s.name, s]),
  );
  for (const [k, v] of Object.entries(obj)) {
    if (excluded.has(k) || v === undefined) continue;
    const spec = picked.get(k);
    if (spec?.children && spec.children.length > 0) out[k] = filterJson(v, spec.children);
    else if (spec || all) out[k] = v;
  }
  return out;
}

const fieldsOf = (q: URLSearchParams): FieldSpec[] => parseFields(joined(q, "fields") ?? "*");

/** Registers the schema routes. */
export function installSchemaRoutes(app: EmulatorApp): void {
  const version = app.state.version;
  const find = async (type: string) => {
    const s = (await schemasOf(version)).find((x) => x.singular === type);
    if (!s) throw new HttpError(404, `Type ${type} does not exist.`);
    return s;
  };
  app.get("/api/schemas", async (ctx) => {
    const specs = fieldsOf(ctx.query);
    ctx.json(200, { schemas: (await schemasOf(version)).map((s) => filterJson(s, specs)) });
  });
  app.get("/api/schemas/:type", async (ctx) => {
    ctx.json(200, filterJson(await find(ctx.params.type!), fieldsOf(ctx.query)));
  });
  app.get("/api/schemas/:type/:property", async (ctx) => {
    const type = ctx.params.type!;
    const name = ctx.params.property!;
    const p = ((await find(type)).properties as JsonObject[]).find((x) => x.name === name);
    if (!p) throw new HttpError(404, `Property ${name} does not exist on type ${type}.`);
    ctx.json(200, p);
  });
}
