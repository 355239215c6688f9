/**
 * Reading property values off stored objects, the way DHIS2 presents them: `displayName` and
 * friends derived from `name`, non-owner associations derived from the owning side
 * (`organisationUnit.dataSets` from `dataSet.organisationUnits`, `organisationUnit.children` from
 * `parent`), `href` from the base URL. One `ReadContext` lives for one request, so the inverse
 * indexes it builds (one scan of the owning type each) are reused across all objects of a list.
 */
import type { ResourceDef, ResourceProperty } from "@dhis2w/client";
import type { MetadataStore } from "../metadata-store.js";
import type { DefaultValue } from "./default-values.gen.js";
import type { InverseSpec, JsonObject, SchemaIndex } from "./schema-index.js";

/** `displayX` -> the stored property it falls back to (DHIS2's `getDisplayX()` without a locale). */
const DISPLAY_FALLBACK: Readonly<Record<string, readonly string[]>> = {
  displayName: ["name"],
  displayShortName: ["shortName", "name"],
  displayDescription: ["description"],
  displayFormName: ["formName", "name"],
};

function asObject(v: unknown): JsonObject | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** The `id` of a reference value (`{ id }`), if it has one. */
export function refId(v: unknown): string | undefined {
  const o = asObject(v);
  return o && typeof o.id === "string" ? o.id : undefined;
}

/** DataElementOperand: embedded, its `id` not persisted but derived from what it combines. */
const isOperand = (def: ResourceDef): boolean => def.klass.endsWith(".DataElementOperand");

/**
 * An operand's `id` (and `dimensionItem`) as DHIS2 shows it: `<dataElement>.<categoryOptionCombo>`,
 * or the data element alone (the real 2.42/2.43 exports in ../shared/dhis2/play carry
 * `"id": "I78gJm4KBo7.psbwp3CQEhs"` on every `compulsoryDataElementOperands` and `greyedFields`
 * item, equal to its `dimensionItem`; dhis2-core `DataElementOperand.getDimensionItem`).
 */
function operandId(obj: JsonObject): string | undefined {
  const de = refId(obj.dataElement);
  if (de === undefined) return undefined;
  const coc = refId(obj.categoryOptionCombo);
  return coc === undefined ? de : `${de}.${coc}`;
}

/** Per-request reader over the store. */
export class ReadContext {
  readonly idx: SchemaIndex;
  readonly store: MetadataStore;
  /** e.g. `http://127.0.0.1:8080/api`; used for `href`. */
  readonly apiBase: string;
  /** Per schema class, what DHIS2 sends for a property never set (`default-values.gen.ts`). */
  readonly defaults: Readonly<Record<string, Readonly<Record<string, DefaultValue>>>>;
  /** Per schema class, read-only members a server computes (`JobConfiguration.nextExecutionTime`). */
  readonly derived: Readonly<Record<string, Readonly<Record<string, (obj: JsonObject) => unknown>>>>;
  readonly #inverse = new Map<string, Map<string, unknown[]>>();

  constructor(
    idx: SchemaIndex,
    store: MetadataStore,
    apiBase: string,
    defaults: Readonly<Record<string, Readonly<Record<string, DefaultValue>>>> = {},
    derived: Readonly<Record<string, Readonly<Record<string, (obj: JsonObject) => unknown>>>> = {},
  ) {
    this.idx = idx;
    this.store = store;
    this.apiBase = apiBase;
    this.defaults = defaults;
    this.derived = derived;
  }

  /** The value of `p` on `obj` as the API shows it (references stay `{ id }`-shaped). */
  value(def: ResourceDef, obj: JsonObject, p: ResourceProperty): unknown {
    const derive = this.derived[def.klass]?.[p.name];
    if (derive) return derive(obj);
    const own = obj[p.name];
    const fallback = DISPLAY_FALLBACK[p.name];
    if (fallback && own === undefined) {
      for (const f of fallback) if (obj[f] !== undefined && obj[f] !== "") return obj[f];
      return undefined;
    }
    if (own === undefined && (p.name === "id" || p.name === "dimensionItem") && isOperand(def)) {
      return operandId(obj);
    }
    if (p.name === "href" && def.endpoint && typeof obj.id === "string") {
      return `${this.apiBase}${def.endpoint.replace(/^\/api/, "")}/${obj.id}`;
    }
    const inv = this.idx.inverseOf(def, p);
    if (inv && typeof obj.id === "string") {
      const found = this.#inverseIndex(inv).get(obj.id) ?? [];
      return p.collection ? found : found[0];
    }
    if (p.name === "ancestors" && typeof obj.path === "string") {
      return obj.path
        .split("/")
        .filter((s) => s !== "" && s !== obj.id)
        .map((id) => ({ id }));
    }
    if (own === undefined && p.collection && p.persisted === true) return [];
    // Java primitives and initialised fields are never null on a real server, so `fields=*` (and
    // filters, and exports) always see them: `DataSet.version` 0, `TrackedEntityType.featureType`
    // NONE, ... even on objects written without them.
    if (own === undefined) return this.defaults[def.klass]?.[p.name];
    return own;
  }

  /** Follows a reference value to the stored object it names (or the embedded object itself). */
  deref(p: ResourceProperty, v: unknown): { def: ResourceDef | undefined; obj: JsonObject } | undefined {
    const o = asObject(v);
    if (!o) return undefined;
    const target = this.idx.targetOf(p);
    if (target && this.idx.isReference(p) && typeof o.id === "string") {
      const stored = this.store.get(target.plural, o.id);
      return { def: target, obj: stored ?? o };
    }
    return { def: target, obj: o };
  }

  #inverseIndex(spec: InverseSpec): Map<string, unknown[]> {
    const key =
      spec.kind === "ref"
        ? `r\u0000${spec.sourcePlural}\u0000${spec.sourceProp}`
        : `e\u0000${spec.sourcePlural}\u0000${spec.sourceProp}\u0000${spec.itemProp}`;
    let index = this.#inverse.get(key);
    if (index) return index;
    index = new Map();
    const push = (id: string | undefined, v: unknown) => {
      if (id === undefined) return;
      const arr = index!.get(id);
      if (arr) arr.push(v);
      else index!.set(id, [v]);
    };
    for (const src of this.store.bucket(spec.sourcePlural).values()) {
      const val = src[spec.sourceProp];
      if (spec.kind === "ref") {
        const ref = { id: src.id };
        if (Array.isArray(val)) for (const item of val) push(refId(item), ref);
        else push(refId(val), ref);
      } else if (Array.isArray(val)) {
        for (const item of val) push(refId(asObject(item)?.[spec.itemProp]), item);
      }
    }
    this.#inverse.set(key, index);
    return index;
  }
}
