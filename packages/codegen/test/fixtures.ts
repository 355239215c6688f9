/** Small handmade `/api/schemas` fragments for the codegen unit tests. */
import type { SchemaDescriptor, SchemaProperty } from "@dhis2w/codegen";

export const prop = (p: Partial<SchemaProperty> & { name: string }): SchemaProperty => ({
  propertyType: "TEXT",
  klass: "java.lang.String",
  fieldName: p.name,
  collection: false,
  persisted: true,
  writable: true,
  ...p,
});

export const uid = prop({ name: "id", fieldName: "uid", propertyType: "IDENTIFIER", max: 11, min: 11 });

export const schema = (s: Partial<SchemaDescriptor> & { klass: string; name: string }): SchemaDescriptor => ({
  plural: `${s.name}s`,
  singular: s.name,
  metadata: true,
  properties: [uid],
  ...s,
});

/** A miniature DHIS2: data elements with groups, a user role with a misspelled plural, enum clashes. */
export function miniSchemas(): SchemaDescriptor[] {
  return [
    schema({
      klass: "org.hisp.dhis.dataelement.DataElement",
      name: "dataElement",
      apiEndpoint: "/api/dataElements",
      properties: [
        uid,
        prop({ name: "name", required: true, min: 1, max: 230 }),
        prop({
          name: "valueType",
          propertyType: "CONSTANT",
          klass: "org.hisp.dhis.common.ValueType",
          constants: ["NUMBER", "TEXT"],
          required: true,
        }),
        prop({
          name: "dataElementGroup",
          fieldName: "groups",
          propertyType: "COLLECTION",
          klass: "java.util.Set",
          collection: true,
          itemPropertyType: "REFERENCE",
          itemKlass: "org.hisp.dhis.dataelement.DataElementGroup",
        }),
        prop({
          name: "status",
          propertyType: "CONSTANT",
          klass: "org.hisp.dhis.event.EventStatus",
          constants: ["ACTIVE"],
        }),
        prop({ name: "size", propertyType: "TEXT", klass: "java.lang.Long" }),
        prop({
          name: "dimension",
          propertyType: "REFERENCE",
          klass: "org.hisp.dhis.common.DimensionalObject",
        }),
        prop({ name: "style", propertyType: "COMPLEX", klass: "org.hisp.dhis.common.ObjectStyle" }),
      ],
    }),
    schema({
      klass: "org.hisp.dhis.dataelement.DataElementGroup",
      name: "dataElementGroup",
      apiEndpoint: "/api/dataElementGroups",
      properties: [
        uid,
        prop({
          name: "dataElement",
          fieldName: "members",
          propertyType: "COLLECTION",
          klass: "java.util.Set",
          collection: true,
          itemPropertyType: "REFERENCE",
          itemKlass: "org.hisp.dhis.dataelement.DataElement",
        }),
      ],
    }),
    schema({
      klass: "org.hisp.dhis.common.ObjectStyle",
      name: "objectStyle",
      properties: [prop({ name: "color" })],
    }),
    schema({
      klass: "org.hisp.dhis.user.UserRole",
      name: "identifiableObject",
      singular: "userRole",
      plural: "authoritys",
      apiEndpoint: "/api/userRoles",
      properties: [
        uid,
        prop({
          name: "status",
          propertyType: "CONSTANT",
          klass: "org.hisp.dhis.mapping.EventStatus",
          constants: ["X"],
        }),
      ],
    }),
    schema({
      klass: "org.hisp.dhis.mapping.MapView",
      name: "identifiableObject",
      singular: "mapView",
      plural: "mapViews",
      properties: [
        uid,
        prop({
          name: "kind",
          propertyType: "CONSTANT",
          klass: "org.hisp.dhis.mapping.ObjectStyle",
          constants: ["A", "B"],
        }),
        prop({
          name: "kind2",
          propertyType: "CONSTANT",
          klass: "org.hisp.dhis.mapping.ObjectStyle",
          constants: ["B", "C"],
        }),
        prop({
          name: "status",
          propertyType: "CONSTANT",
          klass: "org.hisp.dhis.event.EventStatus",
          constants: ["ACTIVE"],
        }),
      ],
    }),
    schema({
      klass: "org.hisp.dhis.icon.Icon",
      name: "icon",
      apiEndpoint: "/api/icons",
      properties: [prop({ name: "key" })],
    }),
  ];
}
