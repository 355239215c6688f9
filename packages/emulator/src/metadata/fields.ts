/**
 * The `fields` parameter: parsing (`id,name,children[id,name]`, `:owner`, `!href`,
 * `name~rename(n)`) and rendering objects through it.
 *
 * Semantics follow dhis2-core `FieldFilterParser` / `FieldPathHelper` / `FieldPreset`
 * (dhis2/dhis2-core dhis-2/dhis-services/dhis-service-field-filtering): `*` and `:all` are every
 * property; `:identifiable` = id,name,code,created,lastUpdated,lastUpdatedBy; `:nameable` =
 * id,name,shortName,description,code,created,lastUpdated; `:owner`, `:persisted`, `:simple` select
 * by the schema's flags; a reference without sub-fields renders as `{ id }` (the default
 * association preset), an embedded object without sub-fields renders all of its properties;
 * exclusions (`!x`) win over inclusions; unknown names are ignored.
 */
import type { ResourceDef, ResourceProperty } from "@dhis2w/client";
import type { ReadContext } from "./resolve.js";
import { isSimple, type JsonObject } from "./schema-index.js";

/** One parsed entry of a `fields` expression. */
export interface FieldSpec {
  readonly name: string;
  readonly children?: readonly FieldSpec[];
  readonly exclude?: boolean;
  /** `~rename(x)`, `~size`, `~isEmpty`, `~isNotEmpty`, `~pluck(prop)` (also spelled `::`). */
  readonly transformers?: readonly { readonly name: string; readonly arg?: string }[];
}

/** Splits on top-level commas (not inside `[...]`, `(...)`). */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "[" || ch === "(") depth++;
    else if (ch === "]" || ch === ")") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== "");
}

function parseTransformers(s: string): FieldSpec["transformers"] {
  const list: { name: string; arg?: string }[] = [];
  for (const part of s.split(/~|::/).filter((x) => x !== "")) {
    const m = /^(\w+)(?:\((.*)\))?$/.exec(part.trim());
    if (m) list.push(m[2] === undefined ? { name: m[1]! } : { name: m[1]!, arg: m[2] });
  }
  return list;
}

function parseOne(raw: string): FieldSpec {
  let s = raw;
  const exclude = s.startsWith("!");
  if (exclude) s = s.slice(1);
  // name[children] or name(children), then optional transformers
  let name = s;
  let children: FieldSpec[] | undefined;
  let rest = "";
  const open = s.search(/[[(]/);
  const tIdx = s.search(/~|::/);
  if (open >= 0 && (tIdx < 0 || open < tIdx)) {
    const closeCh = s[open] === "[" ? "]" : ")";
    let depth = 0;
    let close = -1;
    for (let i = open; i < s.length; i++) {
      if (s[i] === "[" || s[i] === "(") depth++;
      else if (s[i] === "]" || s[i] === ")") {
        depth--;
        if (depth === 0) {
          close = i;
          break;
        }
      }
    }
    if (close < 0 || s[close] !== closeCh) close = s.length;
    name = s.slice(0, open);
    children = parseFields(s.slice(open + 1, close));
    rest = s.slice(close + 1);
  } else if (tIdx >= 0) {
    name = s.slice(0, tIdx);
    rest = s.slice(tIdx);
  }
  const spec: { -readonly [K in keyof FieldSpec]: FieldSpec[K] } = { name: name.trim() };
  if (children) spec.children = children;
  if (exclude) spec.exclude = true;
  if (rest.trim() !== "") spec.transformers = parseTransformers(rest);
  return spec;
}

/**
 * Parses a `fields` expression (several `fields=` parameters are joined with commas first).
 *
 * @example
 * parseFields("id,name,children[id,name],!href");
 */
export function parseFields(expr: string): FieldSpec[] {
  return splitTop(expr).map(parseOne);
}

const IDENTIFIABLE = ["id", "name", "code", "created", "lastUpdated", "lastUpdatedBy"];
const NAMEABLE = ["id", "name", "shortName", "description", "code", "created", "lastUpdated"];

function presetProps(def: ResourceDef, preset: string): ResourceProperty[] | undefined {
  const all = Object.values(def.properties);
  switch (preset) {
    case "*":
    case ":all":
      return all;
    case ":owner":
      return all.filter((p) => p.owner === true);
    case ":persisted":
      return all.filter((p) => p.persisted === true);
    case ":simple":
      return all.filter(isSimple);
    case ":identifiable":
      return all.filter((p) => IDENTIFIABLE.includes(p.name));
    case ":nameable":
      return all.filter((p) => NAMEABLE.includes(p.name));
    case ":id":
      return all.filter((p) => p.name === "id");
    case ":code":
      return all.filter((p) => p.name === "code");
    case ":idName":
      return all.filter((p) => p.name === "id" || p.name === "displayName");
    default:
      return undefined;
  }
}

/** Renders one object through a parsed field list. */
export function renderObject(
  ctx: ReadContext,
  def: ResourceDef,
  obj: JsonObject,
  fields: readonly FieldSpec[],
): JsonObject {
  // name -> explicit sub-fields (null = defaults); insertion order = output order
  const included = new Map<string, FieldSpec | null>();
  for (const f of fields) {
    if (f.exclude) continue;
    const preset = presetProps(def, f.name);
    if (preset && (f.name.startsWith(":") || f.name === "*")) {
      for (const p of preset) if (!included.has(p.name)) included.set(p.name, null);
    } else {
      included.set(f.name, f);
    }
  }
  for (const f of fields) if (f.exclude) included.delete(f.name);

  const out: JsonObject = {};
  for (const [name, spec] of included) {
    const p = def.properties[name];
    if (!p) continue; // DHIS2 silently drops unknown fields
    let value = ctx.value(def, obj, p);
    if (value === undefined || value === null) {
      if (!spec?.transformers?.length) continue;
    } else {
      value = renderValue(ctx, p, value, spec?.children);
    }
    applyTransformers(out, name, value, spec?.transformers, (x, prop) => ctx.deref(p, x)?.obj[prop]);
  }
  return out;
}

/**
 * Renders a value no schema describes (`/api/me`'s `MeDto`, settings, ...) through a field list:
 * `*`/`:all` keep every key, names pick, `!x` drops, `name[...]` recurses (arrays item by item),
 * transformers apply as on metadata. `nested(key, value, children)` may render a sub-selection
 * itself (e.g. references resolved through the metadata store); `undefined` falls back to plain.
 *
 * @example
 * renderPlain({ id: "a", name: "b", x: 1 }, parseFields("id,name~rename(n)")); // { id: "a", n: "b" }
 */
export function renderPlain(
  obj: JsonObject,
  fields: readonly FieldSpec[],
  nested?: (key: string, value: unknown, children: readonly FieldSpec[]) => unknown,
): JsonObject {
  const included = new Map<string, FieldSpec | null>();
  for (const f of fields) {
    if (f.exclude) continue;
    if (f.name === "*" || f.name === ":all") {
      for (const k of Object.keys(obj)) if (!included.has(k)) included.set(k, null);
    } else included.set(f.name, f);
  }
  for (const f of fields) if (f.exclude) included.delete(f.name);
  const out: JsonObject = {};
  for (const [name, spec] of included) {
    let value = obj[name];
    if (value === undefined || value === null) {
      if (!spec?.transformers?.length) continue;
    } else if (spec?.children && spec.children.length > 0) {
      const children = spec.children;
      const sub = nested?.(name, value, children);
      value =
        sub !== undefined
          ? sub
          : Array.isArray(value)
            ? value.map((v) => (isPlainObject(v) ? renderPlain(v, children) : v))
            : isPlainObject(value)
              ? renderPlain(value, children)
              : value;
    }
    applyTransformers(out, name, value, spec?.transformers, (x, prop) =>
      isPlainObject(x) ? x[prop] : undefined,
    );
  }
  return out;
}

function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function renderValue(
  ctx: ReadContext,
  p: ResourceProperty,
  value: unknown,
  children: readonly FieldSpec[] | undefined,
): unknown {
  if (Array.isArray(value)) return value.map((v) => renderItem(ctx, p, v, children));
  return renderItem(ctx, p, value, children);
}

function renderItem(
  ctx: ReadContext,
  p: ResourceProperty,
  v: unknown,
  children: readonly FieldSpec[] | undefined,
): unknown {
  if (v === null || typeof v !== "object") return v;
  const isRef = ctx.idx.isReference(p);
  const isEmb = !isRef && ctx.idx.isEmbedded(p);
  if (!isRef && !isEmb) return children ? pickPlain(v as JsonObject, children) : v;
  const target = ctx.deref(p, v);
  if (!target?.def) return v;
  if (children && children.length > 0) return renderObject(ctx, target.def, target.obj, children);
  if (isRef) {
    const id = (v as JsonObject).id;
    return typeof id === "string" ? { id } : v;
  }
  return renderObject(ctx, target.def, target.obj, [{ name: "*" }]);
}

/** Sub-field selection on a value no schema describes (sharing, access, ...). */
function pickPlain(v: JsonObject, children: readonly FieldSpec[]): JsonObject {
  if (children.some((c) => c.name === "*" || c.name === ":all")) return v;
  const out: JsonObject = {};
  for (const c of children) if (!c.exclude && c.name in v) out[c.name] = v[c.name];
  return out;
}

function applyTransformers(
  out: JsonObject,
  name: string,
  value: unknown,
  transformers: FieldSpec["transformers"],
  pluckOf: (item: unknown, prop: string) => unknown,
): void {
  let key = name;
  let v = value;
  for (const t of transformers ?? []) {
    switch (t.name) {
      case "rename":
        if (t.arg) key = t.arg;
        break;
      case "size":
        v = Array.isArray(v) ? v.length : typeof v === "string" ? v.length : 0;
        break;
      case "isEmpty":
        v = v === undefined || v === null || (Array.isArray(v) && v.length === 0) || v === "";
        break;
      case "isNotEmpty":
        v = !(v === undefined || v === null || (Array.isArray(v) && v.length === 0) || v === "");
        break;
      case "pluck": {
        const prop = t.arg ?? "id";
        const pick = (x: unknown) => pluckOf(x, prop);
        v = Array.isArray(v) ? v.map(pick) : pick(v);
        break;
      }
      default:
        break;
    }
  }
  if (v !== undefined) out[key] = v;
}
