/** The intermediate representation the emitters read: one per DHIS2 version. */
import type { SchemaProperty } from "./input.js";
import type { WireNameRule } from "./naming.js";

/**
 * A TypeScript/zod type, small enough to print both ways. For `enum` and `model`, `name` is the
 * Java klass; the emitters look up its unique TypeScript name.
 */
export type TypeExpr =
  | { readonly k: "string" | "number" | "boolean" | "unknown" | "record" }
  /** A reference (`{ id, ... }`); `to` is the klass of the target model when it has a schema. */
  | { readonly k: "ref"; readonly to?: string }
  | { readonly k: "enum"; readonly name: string }
  | { readonly k: "model"; readonly name: string }
  | { readonly k: "helper"; readonly name: "Translation" | "AttributeValue" | "Geometry" }
  | { readonly k: "array"; readonly of: TypeExpr };

export interface FieldDef {
  /** The JSON key on the wire. */
  readonly wire: string;
  readonly rule: WireNameRule;
  readonly type: TypeExpr;
  readonly source: SchemaProperty;
  /** Singular name of the referenced identifiable schema, for REFERENCE and collections of them. */
  readonly target?: string;
  /** True when the items are references (REFERENCE or collection of REFERENCE). */
  readonly reference: boolean;
  readonly collection: boolean;
}

export interface ModelDef {
  readonly klass: string;
  /** Unique TypeScript name. */
  readonly name: string;
  readonly schemaName: string;
  readonly singular: string;
  readonly plural: string;
  readonly endpoint?: string;
  readonly metadata: boolean;
  readonly identifiable: boolean;
  /** Sorted by wire name. */
  readonly fields: readonly FieldDef[];
}

export interface EnumDef {
  readonly klass: string;
  readonly name: string;
  readonly constants: readonly string[];
}

/** One irregularity of `/api/schemas`, found while analysing, with what the generator did. */
export interface Quirk {
  readonly kind: QuirkKind;
  readonly where: string;
  readonly detail: string;
}

export type QuirkKind =
  | "repeated-schema-name"
  | "irregular-plural"
  | "endpoint-not-plural"
  | "type-klass-disagreement"
  | "wire-name-differs"
  | "uid-to-id"
  | "model-renamed"
  | "enum-renamed"
  | "enum-constants-differ"
  | "duplicate-wire-name"
  | "reference-to-non-schema"
  | "endpoint-not-identifiable";

export interface VersionIR {
  readonly versionKey: string;
  readonly rawVersion: string;
  /** Sorted by klass. */
  readonly models: readonly ModelDef[];
  /** Sorted by name. */
  readonly enums: readonly EnumDef[];
  /** Models that get a resource-table entry (endpoint + identifiable), sorted by plural. */
  readonly resources: readonly ModelDef[];
  readonly quirks: readonly Quirk[];
}
