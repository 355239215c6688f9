/**
 * Lookups over one version's resource table: by plural, singular and klass, plus the inverse side
 * of every non-owner association (so that `organisationUnit.dataSets` can be derived from
 * `dataSet.organisationUnits`, which is the side DHIS2 stores).
 */
import type { ResourceDef, ResourceProperty, ResourceTable } from "@dhis2w/client";

/** A plain JSON object as stored. */
export type JsonObject = Record<string, unknown>;

/**
 * How a non-owner property is derived from the owning side.
 * - `ref`: objects of `sourcePlural` whose `sourceProp` (reference or collection) points at us.
 * - `embedded`: items of `sourcePlural.sourceProp` (embedded objects) whose `itemProp` points at us.
 */
export type InverseSpec =
  | { readonly kind: "ref"; readonly sourcePlural: string; readonly sourceProp: string }
  | {
      readonly kind: "embedded";
      readonly sourcePlural: string;
      readonly sourceProp: string;
      readonly itemProp: string;
    };

const SIMPLE_TYPES = new Set(["REFERENCE", "COLLECTION", "COMPLEX"]);

/** True for properties with a scalar value (text, numbers, dates, booleans, constants, ...). */
export function isSimple(p: ResourceProperty): boolean {
  return !p.collection && !SIMPLE_TYPES.has(p.propertyType);
}

/**
 * Classes dhis2-core marks `EmbeddedObject` (dhis-api): their owner carries them whole (a map's
 * `mapViews`, a legend set's `legends`), even where the type also has an endpoint of its own.
 */
const EMBEDDED_KLASSES = new Set([
  "AnalyticsPeriodBoundary",
  "CategoryDimension",
  "CategoryOptionGroupSetDimension",
  "DashboardItem",
  "DataElementGroupSetDimension",
  "DataElementOperand",
  "DataInputPeriod",
  "DataSetElement",
  "EventRepetition",
  "Expression",
  "Legend",
  "MapView",
  "ObjectStyle",
  "OrganisationUnitGroupSetDimension",
  "ProgramCategoryMapping",
  "ProgramStageDataElement",
  "ProgramTrackedEntityAttribute",
  "RelationshipConstraint",
  "ReportingRate",
  "TrackedEntityTypeAttribute",
]);

/** True for types stored on their own (an identifiable metadata type with an API endpoint). */
export function isStandalone(def: ResourceDef): boolean {
  return (
    def.identifiable &&
    def.metadata &&
    !!def.endpoint &&
    !EMBEDDED_KLASSES.has(def.klass.slice(def.klass.lastIndexOf(".") + 1))
  );
}

/** The indexes the query engine and the write path share. Build once per version. */
export class SchemaIndex {
  readonly table: ResourceTable;
  readonly #bySingular = new Map<string, ResourceDef>();
  readonly #byKlass = new Map<string, ResourceDef>();
  readonly #inverse = new Map<string, InverseSpec | null>();
  readonly #shadow = new Map<string, ResourceDef | null>();

  constructor(table: ResourceTable) {
    this.table = table;
    for (const def of Object.values(table)) {
      this.#byKlass.set(def.klass, def);
      const seen = this.#bySingular.get(def.singular);
      // Names repeat across klasses (QUIRKS); prefer the one with an endpoint.
      if (!seen || (!seen.endpoint && def.endpoint)) this.#bySingular.set(def.singular, def);
    }
  }

  byPlural(plural: string): ResourceDef | undefined {
    return Object.hasOwn(this.table, plural) ? this.table[plural] : undefined;
  }

  /**
   * The def a metadata bundle's key stands for. Beyond the table (which holds the types with an
   * endpoint) this knows the embedded types other types hold by that name (`legends` of a legend
   * set): they import as they come, with a klass guessed from their holder's package.
   */
  bundleDef(plural: string): ResourceDef | undefined {
    const own = this.byPlural(plural);
    if (own) return own;
    const cached = this.#shadow.get(plural);
    if (cached !== undefined) return cached ?? undefined;
    let found: ResourceDef | null = null;
    for (const holder of Object.values(this.table)) {
      const p = holder.properties[plural];
      if (!p?.collection || !p.target || this.bySingular(p.target)) continue;
      const pkg = holder.klass.slice(0, holder.klass.lastIndexOf("."));
      const simple = p.target.charAt(0).toUpperCase() + p.target.slice(1);
      found = {
        singular: p.target,
        plural,
        klass: `${pkg}.${simple}`,
        endpoint: "",
        metadata: true,
        identifiable: true,
        properties: {},
      };
      break;
    }
    this.#shadow.set(plural, found);
    return found ?? undefined;
  }

  bySingular(singular: string | undefined): ResourceDef | undefined {
    return singular === undefined ? undefined : this.#bySingular.get(singular);
  }

  byKlass(klass: string): ResourceDef | undefined {
    return this.#byKlass.get(klass);
  }

  /** The definition a property points at (its item type for collections). */
  targetOf(p: ResourceProperty): ResourceDef | undefined {
    return this.bySingular(p.target) ?? (p.klass ? this.byKlass(p.klass) : undefined);
  }

  /**
   * True when the property holds references (`{ id }`) to objects that live on their own
   * endpoint. Identifiable types without one (programStageDataElements) travel embedded, as in
   * DHIS2's metadata export.
   */
  isReference(p: ResourceProperty): boolean {
    const target = this.#objectTarget(p);
    return target !== undefined && isStandalone(target);
  }

  /** True when the property holds embedded objects described by another def (dataSetElements). */
  isEmbedded(p: ResourceProperty): boolean {
    const target = this.#objectTarget(p);
    return target !== undefined && !isStandalone(target);
  }

  #objectTarget(p: ResourceProperty): ResourceDef | undefined {
    const t = p.collection ? p.itemPropertyType : p.propertyType;
    if (t !== "REFERENCE" && t !== "COMPLEX") return undefined;
    return this.targetOf(p);
  }

  /** The simple class name DHIS2 prints in messages ("DataElement"). */
  static simpleName(def: ResourceDef): string {
    return def.klass.slice(def.klass.lastIndexOf(".") + 1);
  }

  /**
   * The owning side of a non-owner association, or null when there is none to derive from (then
   * the stored value, if any, is used as is).
   */
  inverseOf(def: ResourceDef, p: ResourceProperty): InverseSpec | null {
    const key = `${def.plural}\u0000${p.name}`;
    const cached = this.#inverse.get(key);
    if (cached !== undefined) return cached;
    const spec = this.#findInverse(def, p);
    this.#inverse.set(key, spec);
    return spec;
  }

  #findInverse(def: ResourceDef, p: ResourceProperty): InverseSpec | null {
    // The generated table marks only the owning side (`owner: true`); absent means not owner.
    if (p.owner === true || p.persisted !== true) return null;
    const target = this.targetOf(p);
    if (target) {
      const candidates = Object.values(target.properties).filter(
        (q) => q.owner === true && q.persisted === true && this.isReference(q) && this.targetOf(q) === def,
      );
      const pick =
        candidates.length === 1
          ? candidates[0]
          : (candidates.find((q) => q.name === def.plural || q.name === def.singular) ??
            candidates.find((q) => q.collection === true));
      return pick ? { kind: "ref", sourcePlural: target.plural, sourceProp: pick.name } : null;
    }
    // Embedded items (dataSetElements) live inside their owner (a dataSet) and name us by our
    // singular (`dataElement`); the owner holds a collection of the same name and klass.
    if (!p.collection || !p.klass) return null;
    for (const owner of Object.values(this.table)) {
      if (owner === def) continue;
      const holder = owner.properties[p.name];
      if (holder?.owner === true && holder.collection === true && holder.klass === p.klass) {
        return {
          kind: "embedded",
          sourcePlural: owner.plural,
          sourceProp: holder.name,
          itemProp: def.singular,
        };
      }
    }
    return null;
  }
}

const indexes = new WeakMap<ResourceTable, SchemaIndex>();

/** The (cached) index of a table. */
export function schemaIndexFor(table: ResourceTable): SchemaIndex {
  let idx = indexes.get(table);
  if (!idx) {
    idx = new SchemaIndex(table);
    indexes.set(table, idx);
  }
  return idx;
}
