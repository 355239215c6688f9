/**
 * The shape of the per-version resource table that `@dhis2w/codegen` writes to
 * `src/generated/vNN/resources.gen.ts`. One generic accessor on the client, and the emulator's
 * generic metadata store, are both driven by this table: versions are data, not copies.
 */

/** DHIS2's `propertyType` values as `/api/schemas` reports them. */
export type PropertyType =
  | "IDENTIFIER"
  | "TEXT"
  | "LONG_TEXT"
  | "BOOLEAN"
  | "INTEGER"
  | "NUMBER"
  | "DATE"
  | "DATETIME"
  | "EMAIL"
  | "PASSWORD"
  | "URL"
  | "PHONENUMBER"
  | "GEOLOCATION"
  | "POLYGON"
  | "COLOR"
  | "CONSTANT"
  | "REFERENCE"
  | "COLLECTION"
  | "COMPLEX"
  | (string & {});

/** One property of a resource, as it travels on the wire. */
export interface ResourceProperty {
  /** The name on the wire (the schema's `uid` is `id`; collections use their plural wire name). */
  readonly name: string;
  readonly propertyType: PropertyType;
  /** For collections: the type of each item. */
  readonly itemPropertyType?: PropertyType;
  /** For references, and collections of references: the target schema's singular name ("categoryCombo"). */
  readonly target?: string;
  /** The Java class (for COMPLEX / non-identifiable references), kept for tools that need it. */
  readonly klass?: string;
  readonly collection?: boolean;
  /** True on the owning side of an association (only the owner writes it). */
  readonly owner?: boolean;
  readonly required?: boolean;
  readonly unique?: boolean;
  readonly writable?: boolean;
  readonly persisted?: boolean;
  /** Allowed values of a CONSTANT property (or of a collection of constants). */
  readonly constants?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

/** One metadata resource of one DHIS2 version. */
export interface ResourceDef {
  /** Singular schema name, e.g. "dataElement". */
  readonly singular: string;
  /** Plural, the key of `client.resources` and of metadata bundles, e.g. "dataElements". */
  readonly plural: string;
  /** The Java class DHIS2 reports; unique where names repeat. */
  readonly klass: string;
  /** Path under the server root, e.g. "/api/dataElements". */
  readonly endpoint: string;
  /** True when the resource takes part in `/api/metadata` import/export. */
  readonly metadata: boolean;
  /** True when objects have a UID (`id`) of their own. */
  readonly identifiable: boolean;
  readonly properties: Readonly<Record<string, ResourceProperty>>;
}

/** A version's resource table, keyed by plural. */
export type ResourceTable = Readonly<Record<string, ResourceDef>>;

/** Marks a {@link Ref} with its target type (type-level only: no such key exists at run time). */
export declare const refTarget: unique symbol;

/**
 * A reference to an identifiable object of model `T`, as DHIS2 embeds it: `{ id }` at least, and
 * whichever of `T`'s properties a `fields` selection asked for (`categoryCombo[id,name]`), so a
 * nested selection narrows to the target's properties. Assignable from `{ id }`, from a
 * `Reference` and from a full object of `T` that has an `id`. Without `fields` (DHIS2's `*`)
 * a reference comes as `{ id }` only, and `get(uid)` types it so (see `Select`).
 *
 * @example
 * ```ts
 * import type { DataElement, Ref, CategoryCombo } from "@dhis2w/client/v43";
 * const categoryCombo: Ref<CategoryCombo> = { id: "bjDvmb4bfuf" };
 * const de: DataElement = { name: "ANC 1st visit", categoryCombo };
 * ```
 */
export type Ref<T> = RefBase & Omit<T, keyof RefBase> & { readonly [refTarget]?: T };

/** What every reference has (the generated `Reference`, which a `Ref<T>` also accepts). */
interface RefBase {
  id: string;
  code?: string | null;
  name?: string;
  displayName?: string;
}

/** A property as the generated tables write it: its `name` is its key. */
export type PropertySpec = Omit<ResourceProperty, "name">;
/** Properties by name, as the generated tables write them. */
export type PropertySpecs = Readonly<Record<string, PropertySpec>>;
/** A resource as the generated tables write it. */
export type ResourceSpec = Omit<ResourceDef, "properties"> & { readonly properties: PropertySpecs };

/**
 * Builds a version's {@link ResourceTable} from the generated entries: each property gets its
 * `name` (its key in the entry), and each entry's properties are put in name order, the order
 * readers rely on (the emulator's `*`), since an entry lists blocks shared with other versions
 * before its own properties (`{ ...dataElementsProps, attributeValues: ... }`). Called once per
 * version, when its table is first loaded; used by the generated code only.
 */
export function resourceTableOf(entries: Readonly<Record<string, ResourceSpec>>): ResourceTable {
  const out: Record<string, ResourceDef> = {};
  for (const [plural, spec] of Object.entries(entries)) {
    const names = Object.keys(spec.properties).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const properties: Record<string, ResourceProperty> = {};
    for (const name of names) properties[name] = { name, ...spec.properties[name]! };
    out[plural] = { ...spec, properties };
  }
  return out;
}
