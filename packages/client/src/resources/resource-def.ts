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
