/**
 * The Gist API's query language (dhis2-core `org.hisp.dhis.gist`: `GistQuery`, `GistParams`,
 * `GistPlanner`, `GistLogic`, `GistAutoType`, `Gist.Transform`; the same in 2.41.8.1, 2.42.4.1
 * and 2.43.0 for what the emulator covers): parsing `fields`, `filter` and `order`, and planning
 * the fields (presets, exclusions, `[...]`, `displayName` -> `name`, `collection.prop` as pluck,
 * the effective transformation per property, the `apiEndpoints` member).
 */
import type { ResourceDef, ResourceProperty } from "@dhis2w/client";
import { HttpError } from "../web-message.js";
import type { SchemaIndex } from "./schema-index.js";

export type Transform =
  | "AUTO"
  | "NONE"
  | "IS_EMPTY"
  | "IS_NOT_EMPTY"
  | "SIZE"
  | "MEMBER"
  | "NOT_MEMBER"
  | "IDS"
  | "ID_OBJECTS"
  | "PLUCK"
  | "FROM";
const TRANSFORMS: readonly Transform[] = [
  "AUTO",
  "NONE",
  "IS_EMPTY",
  "IS_NOT_EMPTY",
  "SIZE",
  "MEMBER",
  "NOT_MEMBER",
  "IDS",
  "ID_OBJECTS",
  "PLUCK",
  "FROM",
];

/** `GistAutoType`: the default transformation and the property types `*` includes. */
export const AUTO_TYPES = {
  XL: { transform: "ID_OBJECTS", excludes: ["PASSWORD"] },
  L: { transform: "IDS", excludes: ["PASSWORD"] },
  M: { transform: "SIZE", excludes: ["PASSWORD"] },
  S: { transform: "NONE", excludes: ["PASSWORD", "COMPLEX"] },
  XS: { transform: "NONE", includes: ["IDENTIFIER", "TEXT", "EMAIL"] },
} as const satisfies Record<string, { transform: Transform; excludes?: string[]; includes?: string[] }>;
export type AutoType = keyof typeof AUTO_TYPES;

/** `schema.PropertyType` in declaration order (the order `*` lists properties in). */
const PROPERTY_TYPE_ORDER = [
  "IDENTIFIER",
  "TEXT",
  "NUMBER",
  "INTEGER",
  "BOOLEAN",
  "USERNAME",
  "EMAIL",
  "PASSWORD",
  "URL",
  "DATE",
  "PHONENUMBER",
  "GEOLOCATION",
  "COLOR",
  "CONSTANT",
  "COMPLEX",
  "COLLECTION",
  "REFERENCE",
  "DEFAULT",
];

/** One field of a query, as `GistQuery.Field`. */
export interface GistField {
  path: string;
  transform: Transform;
  alias: string;
  arg?: string;
}

export const REFS_PATH = "__refs__";
export const fieldName = (f: GistField) => (f.alias === "" ? f.path : f.alias);

/**
 * `GistQuery.FIELD_SPLIT` (`,(?![^\[\]]*\]|[^\(\)]*\)|([a-zA-Z0-9]+,?)+\))`): the commas outside
 * `[...]` and `(...)`, found by depth (the regex backtracks catastrophically in JavaScript).
 */
export function splitList(value: string | null | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of value) {
    if (ch === "[" || ch === "(") depth++;
    else if ((ch === "]" || ch === ")") && depth > 0) depth--;
    if (ch === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out.filter((s) => s !== "");
}

function parseTransform(part: string): Transform {
  const open = part.indexOf("(");
  const name = (open < 0 ? part : part.slice(0, open)).replace(/[-+]/g, "");
  return TRANSFORMS.find((t) => t.replace(/_/g, "").toLowerCase() === name.toLowerCase()) ?? "AUTO";
}

const argumentOf = (part: string) => part.slice(part.indexOf("(") + 1, part.lastIndexOf(")"));

/** `GistQuery.Field.parse`: `name`, `name::size`, `name~rename(n)`, `children::pluck(name)`. */
export function parseField(text: string): GistField {
  const parts = text.split(/(?:::|~|@)(?![^[\]]*\])/);
  if (parts.length === 1) return { path: text, transform: "AUTO", alias: "" };
  const f: GistField = { path: parts[0]!, transform: "AUTO", alias: "" };
  for (const part of parts.slice(1)) {
    if (part.startsWith("rename")) f.alias = argumentOf(part);
    else {
      f.transform = parseTransform(part);
      if (part.includes("(")) f.arg = argumentOf(part);
    }
  }
  return f;
}

/** `GistQuery.Comparison` by symbol. */
const COMPARISONS: Readonly<Record<string, string>> = {
  null: "NULL",
  "!null": "NOT_NULL",
  eq: "EQ",
  ieq: "IEQ",
  "!eq": "NE",
  ne: "NE",
  neq: "NE",
  lt: "LT",
  le: "LE",
  lte: "LE",
  gt: "GT",
  ge: "GE",
  gte: "GE",
  in: "IN",
  "!in": "NOT_IN",
  empty: "EMPTY",
  "!empty": "NOT_EMPTY",
  like: "LIKE",
  "!like": "NOT_LIKE",
  $like: "STARTS_LIKE",
  "!$like": "NOT_STARTS_LIKE",
  like$: "ENDS_LIKE",
  "!like$": "NOT_ENDS_LIKE",
  ilike: "ILIKE",
  "!ilike": "NOT_ILIKE",
  $ilike: "STARTS_WITH",
  startswith: "STARTS_WITH",
  "!$ilike": "NOT_STARTS_WITH",
  "!startswith": "NOT_STARTS_WITH",
  ilike$: "ENDS_WITH",
  endswith: "ENDS_WITH",
  "!ilike$": "NOT_ENDS_WITH",
  "!endswith": "NOT_ENDS_WITH",
  canread: "CAN_READ",
  canwrite: "CAN_WRITE",
  candataread: "CAN_DATA_READ",
  candatawrite: "CAN_DATA_WRITE",
  canaccess: "CAN_ACCESS",
};

export interface GistFilter {
  group: number;
  path: string;
  op: string;
  values: string[];
}

/** `GistQuery.Filter.parse`: `[group:]path:op[:value]`, `::` or `~` work as `:`; `[a,b]` lists. */
export function parseFilter(text: string): GistFilter {
  const m = /^(?:(\d+)[:~@]{1,2})?([^:~@]+)[:~@]{1,2}([^:~@]+)(?:[:~@]{1,2}(.*))?$/.exec(text);
  if (!m) throw new HttpError(400, `Not a valid filter expression: ${text}`);
  const op = COMPARISONS[m[3]!.toLowerCase()];
  if (!op) throw new HttpError(400, `Unsupported operator: ${m[3]}`);
  const value = m[4] ?? "";
  const values =
    value === ""
      ? []
      : value.startsWith("[") && value.endsWith("]")
        ? value.slice(1, -1).split(",")
        : [value];
  return { group: m[1] ? Number(m[1]) : -1, path: m[2]!, op, values };
}

export interface GistOrder {
  path: string;
  desc: boolean;
}

/** `GistQuery.Order.parse`: `name`, `name:desc`, `name::desc`. */
export function parseOrder(text: string): GistOrder {
  const parts = text.split(/::|:|~|@/);
  if (parts.length === 1) return { path: text, desc: false };
  const dir = parts[1]!.toUpperCase();
  if (parts.length > 2 || (dir !== "ASC" && dir !== "DESC")) {
    throw new HttpError(400, `Not a valid order expression: ${text}`);
  }
  return { path: parts[0]!, desc: dir === "DESC" };
}

/** Resolves a property path (`categoryCombo.name`) to its property, or throws DHIS2's 400. */
export function resolveProperty(idx: SchemaIndex, home: ResourceDef, path: string): ResourceProperty {
  let def: ResourceDef | undefined = home;
  let prop: ResourceProperty | undefined;
  for (const segment of path.split(".")) {
    prop = def?.properties[segment];
    if (!def || !prop) {
      throw new HttpError(400, `Property \`${path}\` does not exist in ${(def ?? home).singular}`);
    }
    def = idx.targetOf(prop);
  }
  return prop!;
}

const parentPath = (path: string) => (path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "");

function included(p: ResourceProperty, auto: AutoType): boolean {
  const spec = AUTO_TYPES[auto] as { includes?: readonly string[]; excludes?: readonly string[] };
  const ok = (t: string | undefined) =>
    t !== undefined && (spec.includes ? spec.includes.includes(t) : !spec.excludes!.includes(t));
  return ok(p.propertyType) && (!p.collection || ok(p.itemPropertyType)) && p.persisted === true;
}

function typeOrder(a: ResourceProperty, b: ResourceProperty): number {
  const rank = (t: string | undefined) => PROPERTY_TYPE_ORDER.indexOf(t ?? "DEFAULT");
  const ta = a.collection && b.collection ? a.itemPropertyType : a.propertyType;
  const tb = a.collection && b.collection ? b.itemPropertyType : b.propertyType;
  if (ta === "COLLECTION" && tb !== "COLLECTION") return 1;
  if (tb === "COLLECTION" && ta !== "COLLECTION") return -1;
  return rank(ta) - rank(tb);
}

const IDENTIFIABLE = ["id", "code", "name", "created", "lastUpdated", "lastUpdatedBy", "createdBy"];
const NAMEABLE = [...IDENTIFIABLE, "shortName", "description"];

function preset(path: string, auto: AutoType): ((p: ResourceProperty) => boolean) | undefined {
  if (path === "*" || path === ":*" || path === ":all") return (p) => included(p, auto);
  if (path === ":identifiable") return (p) => p.persisted === true && IDENTIFIABLE.includes(p.name);
  if (path === ":nameable") return (p) => p.persisted === true && NAMEABLE.includes(p.name);
  if (path === ":persisted") return (p) => p.persisted === true;
  if (path === ":owner") return (p) => p.persisted === true && p.owner === true;
  if (path.startsWith(":"))
    throw new HttpError(409, `Field not supported: \`${path}\``, { errorCode: "E2038" });
  return undefined;
}

/** What the planner needs to know of the query. */
export interface PlanContext {
  idx: SchemaIndex;
  def: ResourceDef;
  auto: AutoType;
  references: boolean;
}

/** True for a reference to an object with an endpoint of its own (its id is shown, linked). */
export function isIdentifiableReference(idx: SchemaIndex, p: ResourceProperty): boolean {
  return !p.collection && idx.isReference(p) && Boolean(idx.targetOf(p)?.endpoint);
}

/** A collection of embedded objects (dataSetElements): described by a def without endpoint, or by none. */
export const isEmbeddedCollection = (idx: SchemaIndex, p: ResourceProperty): boolean =>
  p.collection === true && (idx.isEmbedded(p) || p.itemPropertyType === "COMPLEX");

/** `GistLogic.effectiveTransform`. */
function effective(idx: SchemaIndex, p: ResourceProperty, fallback: Transform, target: Transform): Transform {
  let t = target === "AUTO" ? fallback : target;
  if ((t === "IDS" || t === "ID_OBJECTS") && isEmbeddedCollection(idx, p)) return "SIZE";
  if (t === "NONE" && p.collection) return "SIZE";
  if (t === "AUTO") t = "NONE";
  return t;
}

/** `GistPlanner.planFields`: the fields the answer will have, in order. */
export function planFields(ctx: PlanContext, requested: readonly GistField[]): GistField[] {
  const { idx, def, auto } = ctx;
  let fields =
    requested.length === 0 ? [{ path: "*", transform: "NONE" as Transform, alias: "" }] : [...requested];
  // presets and exclusions
  const explicit = new Set(fields.map((f) => f.path));
  const expanded: GistField[] = [];
  for (const f of fields) {
    const filter = f.path.startsWith(":") || f.path === "*" ? preset(f.path, auto) : undefined;
    if (filter) {
      for (const p of Object.values(def.properties).filter(filter).sort(typeOrder)) {
        if (!explicit.has(p.name) && !explicit.has(`-${p.name}`) && !explicit.has(`!${p.name}`)) {
          expanded.push({ path: p.name, transform: "AUTO", alias: "" });
        }
      }
    } else if (f.path.startsWith("-") || f.path.startsWith("!")) {
      const name = f.path.slice(1);
      for (let i = expanded.length - 1; i >= 0; i--) if (expanded[i]!.path === name) expanded.splice(i, 1);
    } else expanded.push(f);
  }
  fields = expanded;
  // displayName / displayShortName are the (translated) name / shortName
  fields = fields.map((f) => {
    const m = /(^|\.)(displayName|displayShortName)$/.exec(f.path);
    if (!m) return f;
    const base = m[2] === "displayName" ? "name" : "shortName";
    return { ...f, alias: fieldName(f), path: `${f.path.slice(0, m.index)}${m[1]}${base}` };
  });
  // inner fields: a[b,c] -> a.b, a.c
  fields = fields.flatMap((f) => {
    const open = f.path.indexOf("[");
    if (open < 0) return [f];
    const outer = f.path.slice(0, open);
    const inner = f.path.slice(open + 1, f.path.lastIndexOf("]"));
    return splitList(inner).map((text) => {
      const child = parseField(text);
      return {
        ...child,
        path: `${outer}.${child.path}`,
        alias: `${f.alias === "" ? outer : f.alias}.${fieldName(child)}`,
      };
    });
  });
  // collection.prop -> a transformation of the collection
  fields = fields.map((f) => {
    const parent = parentPath(f.path);
    if (parent === "" || !resolveProperty(idx, def, parent).collection) return f;
    const prop = f.path.slice(f.path.lastIndexOf(".") + 1);
    const collection = resolveProperty(idx, def, parent);
    if (prop === "id" && idx.isReference(collection))
      return { ...f, path: parent, alias: f.path, transform: "IDS" };
    return { path: parent, alias: f.path, transform: "PLUCK", arg: prop };
  });
  const fallback = AUTO_TYPES[auto].transform;
  fields = fields.map((f) => ({
    ...f,
    transform: effective(idx, resolveProperty(idx, def, f.path), fallback, f.transform),
  }));
  if (ctx.references) {
    const linked = fields.some((f) => {
      const p = resolveProperty(idx, def, f.path);
      return (
        isIdentifiableReference(idx, p) ||
        (p.collection === true &&
          p.persisted === true &&
          (idx.isReference(p) || isEmbeddedCollection(idx, p)))
      );
    });
    if (linked) fields.push({ path: REFS_PATH, transform: "NONE", alias: "apiEndpoints" });
  }
  return fields;
}
