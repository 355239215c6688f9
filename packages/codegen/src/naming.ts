/**
 * Naming rules: wire names of properties, TypeScript names of schemas and enums.
 * See the quirk list at the top of `analyze.ts` for why each rule exists.
 */
import type { SchemaProperty } from "./input.js";

/**
 * English plural as DHIS2 spells its JSON collection names
 * ("category" -> "categories", "axis" -> "axes", "dataElementGroup" -> "dataElementGroups").
 */
export function pluralize(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/is$/.test(word)) return `${word.slice(0, -2)}es`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** "org.hisp.dhis.common.ValueType" -> "ValueType"; inner classes keep their own name ("A$B" -> "B"). */
export function simpleClassName(klass: string): string {
  const last = klass.slice(klass.lastIndexOf(".") + 1);
  return last.slice(last.lastIndexOf("$") + 1);
}

/** "org.hisp.dhis.eventvisualization.Attribute" -> "eventvisualization". */
export function packageSegment(klass: string): string {
  const parts = klass.split(".");
  return parts.length >= 2 ? (parts[parts.length - 2] ?? "") : "";
}

export const pascal = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/**
 * Collection properties whose JSON name is the Java getter name although the XML item name is
 * the singular of the item class (the general rule below would pluralise it). Verified against
 * dhis2-core sources (OrganisationUnit#getAncestors: `@JsonProperty("ancestors")` +
 * `@JacksonXmlProperty(localName = "organisationUnit")`) and the real export
 * (`visualizations[].optionalAxes` in play/metadata.json).
 */
export const FIELD_NAME_WIRE_OVERRIDES: ReadonlySet<string> = new Set(["ancestors", "optionalAxes"]);

/** How the wire name of a property was found (reported in the quirk list). */
export type WireNameRule =
  | "name"
  | "uid-to-id"
  | "collectionName"
  | "plural-of-item-name"
  | "already-plural"
  | "field-name"
  | "field-name-override";

/**
 * The JSON key of a property on the wire.
 *
 * DHIS2 builds a schema property's `name` from `@JsonProperty`, then overwrites it with the XML
 * item name (`@JacksonXmlProperty(localName)`) and keeps the XML wrapper name in
 * `collectionName` (dhis2-core `JacksonPropertyIntrospector#initFromJacksonXmlProperty` /
 * `#initFromJacksonXmlElementWrapper`). The shared snapshots lack `collectionName`, so for
 * collections whose `name` differs from the getter-derived `fieldName`:
 * - an XML item name equal to the item class ("dataElementGroup" for `DataElementGroup`,
 *   case-insensitively: "smsCode" for `SMSCode`) means the JSON name is its plural
 *   (`@JsonProperty("dataElementGroups") getGroups()`), unless overridden above;
 * - a made-up item name ("likeByUser", "sortingItem", "child") means `@JsonProperty` had no value,
 *   so the JSON name is the getter name (`likedBy`, `sorting`, `children`).
 *
 * @example
 * wireName({ name: "dataElementGroup", fieldName: "groups", propertyType: "COLLECTION",
 *   collection: true, itemKlass: "org.hisp.dhis.dataelement.DataElementGroup" }); // { name: "dataElementGroups", ... }
 */
export function wireName(p: SchemaProperty): { name: string; rule: WireNameRule } {
  if (p.name === "uid" || p.fieldName === "uid") return { name: "id", rule: "uid-to-id" };
  if (p.name === "id") return { name: "id", rule: "name" };
  if (!p.collection) return { name: p.name, rule: "name" };
  if (p.collectionName) return { name: p.collectionName, rule: "collectionName" };
  const field = p.fieldName ?? p.name;
  if (field === p.name) return { name: p.name, rule: "name" };
  if (FIELD_NAME_WIRE_OVERRIDES.has(field)) return { name: field, rule: "field-name-override" };
  const plural = pluralize(p.name);
  if (plural === field) return { name: field, rule: "plural-of-item-name" };
  if (/[^s]s$/.test(p.name)) return { name: p.name, rule: "already-plural" };
  const item = p.itemKlass ? simpleClassName(p.itemKlass) : "";
  if (item.toLowerCase() === p.name.toLowerCase()) return { name: plural, rule: "plural-of-item-name" };
  return { name: field, rule: "field-name" };
}

/**
 * Names the generated code declares or uses (helper types, TS utility types); a schema or enum
 * that wants one of them gets its package prefix instead.
 */
export const HELPER_TYPE_NAMES: ReadonlySet<string> = new Set([
  "Reference",
  "Translation",
  "AttributeValue",
  "Geometry",
  "ModelMap",
  "Record",
  "Array",
  "Partial",
  "Required",
  "Readonly",
  "Promise",
]);

/** JS/DOM globals a DHIS2 class name can shadow when imported by name (noted in the models header). */
export const SHADOWABLE_GLOBALS: ReadonlySet<string> = new Set([
  "Map",
  "Set",
  "Document",
  "Option",
  "Event",
  "Error",
  "Date",
  "Element",
  "Node",
  "Text",
  "Comment",
  "Range",
  "Location",
  "Attr",
  "Storage",
  "Selection",
  "Image",
  "File",
  "Blob",
  "Request",
  "Response",
  "Headers",
  "URL",
  "Object",
  "Function",
  "Symbol",
]);

/**
 * Picks unique TypeScript names for a set of Java classes. Every class wants its simple name;
 * `taken` names are off limits; among classes that want the same name the first in `order` keeps
 * it and the others get their package segment as a prefix ("mapping.EventStatus" ->
 * "MappingEventStatus"), then a number if that is still taken.
 */
export function assignNames(
  order: readonly string[],
  taken: ReadonlySet<string>,
): { names: Map<string, string>; renamed: { klass: string; name: string; wanted: string }[] } {
  const names = new Map<string, string>();
  const used = new Set(taken);
  const renamed: { klass: string; name: string; wanted: string }[] = [];
  for (const klass of order) {
    const wanted = pascal(simpleClassName(klass).replace(/[^A-Za-z0-9_]/g, "_"));
    let name = wanted;
    if (used.has(name)) {
      name = pascal(packageSegment(klass)) + wanted;
      for (let i = 2; used.has(name); i++) name = `${pascal(packageSegment(klass))}${wanted}${i}`;
      renamed.push({ klass, name, wanted });
    }
    used.add(name);
    names.set(klass, name);
  }
  return { names, renamed };
}
