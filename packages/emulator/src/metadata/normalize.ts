/**
 * Turning an incoming object into its stored shape: references cut down to `{ id }`, non-owner
 * sides dropped (DHIS2 only writes the owning side of an association:
 * `IdentifiableObjectManager.resetNonOwnerProperties`), embedded items given their back-reference,
 * defaults for the category model filled in, and the merge rules of PUT.
 */
import type { ResourceDef, ResourceProperty } from "@dhis2w/client";
import { refId } from "./resolve.js";
import type { JsonObject, SchemaIndex } from "./schema-index.js";

/**
 * DHIS2's built-in "default" category model (the same UIDs on every server); references to them
 * are always valid, as dhis2-core's `ReferencesCheck` skips `preheat.isDefault(...)`.
 */
export const DEFAULT_UIDS: Readonly<Record<string, string>> = {
  categoryCombo: "bjDvmb4bfuf",
  category: "GLevLNI9wkl",
  categoryOption: "xYerKDKCefk",
  categoryOptionCombo: "HllvX50cXC0",
};

const DEFAULT_ID_SET = new Set(Object.values(DEFAULT_UIDS));

/**
 * Keys people send that DHIS2 drops without a word: its ObjectMapper ignores unknown properties
 * (`FAIL_ON_UNKNOWN_PROPERTIES` off in dhis2-core `JacksonObjectMapperConfig`), so a category combo
 * written with the old plural `categorys` is saved with no categories and no error (QUIRKS.md).
 */
const SILENTLY_IGNORED = new Set(["categoryCombos.categorys"]);

/** True for the default category model's UIDs. */
export function isDefaultUid(id: string): boolean {
  return DEFAULT_ID_SET.has(id);
}

function normalizeRef(v: unknown): unknown {
  const id = refId(v);
  return id !== undefined ? { id } : v;
}

/** The stored shape of `input` (a deep copy; `input` is not modified). */
export function normalizeObject(
  idx: SchemaIndex,
  def: ResourceDef,
  input: JsonObject,
  owner?: { def: ResourceDef; id: string },
): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(input)) {
    const p = def.properties[key];
    if (!p) {
      if (SILENTLY_IGNORED.has(`${def.plural}.${key}`)) continue;
      // Unknown to the schema (e.g. a field only a newer version has): keep it as sent.
      out[key] = structuredClone(value);
      continue;
    }
    if (p.owner !== true || value === undefined) continue;
    out[key] = normalizeValue(idx, p, value, def, input);
  }
  if (owner) {
    for (const p of Object.values(def.properties)) {
      if (!p.collection && out[p.name] === undefined && idx.isReference(p) && idx.targetOf(p) === owner.def) {
        out[p.name] = { id: owner.id };
      }
    }
  }
  return out;
}

function normalizeValue(
  idx: SchemaIndex,
  p: ResourceProperty,
  value: unknown,
  def: ResourceDef,
  parent: JsonObject,
): unknown {
  if (value === null) return null;
  if (idx.isReference(p)) {
    return Array.isArray(value) ? value.map(normalizeRef) : normalizeRef(value);
  }
  if (p.collection && p.klass && !idx.targetOf(p) && Array.isArray(value)) {
    return value.map((v) => withBackReference(def, p, v, parent));
  }
  if (idx.isEmbedded(p)) {
    const target = idx.targetOf(p)!;
    const ownerRef = typeof parent.id === "string" ? { def, id: parent.id } : undefined;
    const one = (v: unknown) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? normalizeObject(idx, target, v as JsonObject, ownerRef)
        : v;
    return Array.isArray(value) ? value.map(one) : one(value);
  }
  return structuredClone(value);
}

/**
 * Embedded items no schema describes (dataSetElements, programStageDataElements) name their
 * owner by its singular (`dataSet: { id }`) in DHIS2's export; add it when the sender left it out,
 * so paths like `dataSetElements.dataSet.id` and the inverse `dataElement.dataSetElements` work.
 */
function withBackReference(def: ResourceDef, p: ResourceProperty, v: unknown, parent: JsonObject): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return structuredClone(v);
  const item = structuredClone(v) as JsonObject;
  const itemSimple = p.klass!.slice(p.klass!.lastIndexOf(".") + 1);
  const ownerSimple = def.klass.slice(def.klass.lastIndexOf(".") + 1);
  if (
    itemSimple.startsWith(ownerSimple) &&
    item[def.singular] === undefined &&
    typeof parent.id === "string"
  ) {
    item[def.singular] = { id: parent.id };
  }
  for (const [k, x] of Object.entries(item)) {
    const id = refId(x);
    if (id !== undefined && k !== "id" && Object.keys(x as object).length > 1) item[k] = { id };
  }
  return item;
}

/**
 * Required properties whose Java field has an initializer, so DHIS2 never sees them missing
 * (dhis2-core `ProgramRuleAction.programRuleActionEvaluationTime = ALWAYS`).
 */
const JAVA_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  programRuleActions: { evaluationTime: "ALWAYS" },
};

/**
 * Fills what DHIS2 fills when absent: the Java defaults of the class (`javaDefaults`, one class's
 * entry of `default-values.gen.ts`: primitives and initialised fields, which Jackson leaves at
 * their default when the body does not name them, so they are stored and validated as set),
 * required references to the category model get the defaults, required booleans are `false`.
 */
export function applyDefaults(
  idx: SchemaIndex,
  def: ResourceDef,
  obj: JsonObject,
  javaDefaults: Readonly<Record<string, unknown>> = {},
): void {
  for (const [name, value] of Object.entries(javaDefaults)) {
    if (def.properties[name] && (obj[name] === undefined || obj[name] === null)) obj[name] = value;
  }
  for (const p of Object.values(def.properties)) {
    if (!p.required || p.collection || (obj[p.name] !== undefined && obj[p.name] !== null)) continue;
    if (p.propertyType === "BOOLEAN") {
      obj[p.name] = false;
      continue;
    }
    const javaDefault = JAVA_DEFAULTS[def.plural]?.[p.name];
    if (javaDefault !== undefined) {
      obj[p.name] = javaDefault;
      continue;
    }
    const target = idx.targetOf(p);
    const id = target ? DEFAULT_UIDS[target.singular] : undefined;
    if (id && idx.isReference(p)) obj[p.name] = { id };
  }
}

/**
 * PUT semantics (QUIRKS: "PUT replaces the object; nested collections are merged unless
 * `mergeMode=REPLACE`"): the new object replaces the stored one, except that a collection the
 * body leaves out keeps its stored items, unless `replace` is set. `created` survives.
 */
export function mergeForUpdate(
  def: ResourceDef,
  stored: JsonObject,
  incoming: JsonObject,
  mode: "REPLACE" | "MERGE" | "PUT",
): JsonObject {
  if (mode === "MERGE") {
    const out = { ...stored };
    for (const [k, v] of Object.entries(incoming)) if (v !== null && v !== undefined) out[k] = v;
    return out;
  }
  const out: JsonObject = { ...incoming };
  if (mode === "PUT") {
    for (const p of Object.values(def.properties)) {
      if (p.collection && out[p.name] === undefined && stored[p.name] !== undefined) {
        out[p.name] = stored[p.name];
      }
    }
  }
  if (stored.created !== undefined) out.created = stored.created;
  return out;
}

/** Org units: `path` and `level` follow from the parent (DHIS2 computes both on save). */
export function deriveHierarchy(
  def: ResourceDef,
  obj: JsonObject,
  lookupParent: (id: string) => JsonObject | undefined,
): void {
  if (def.plural !== "organisationUnits" || typeof obj.id !== "string") return;
  const parentId = refId(obj.parent);
  if (!parentId) {
    obj.path = `/${obj.id}`;
    obj.level = 1;
    return;
  }
  const parent = lookupParent(parentId);
  if (parent && typeof parent.path === "string") {
    obj.path = `${parent.path}/${obj.id}`;
    obj.level = parent.path.split("/").length;
  }
}
