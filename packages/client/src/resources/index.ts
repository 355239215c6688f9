export * from "../data-sets/index.js";
// Codegen's registry: the emulator's metadata module and `bindMetadataAccessors` callers load tables with it.
export { loadResourceTable, type ModelMaps } from "../generated/registry.gen.js";
export * from "../metadata/index.js";
export * from "../routes/index.js";
export {
  type AccessorContext,
  type CollectionKeys,
  type CreateInput,
  createResourceAccessor,
  type GetOptions,
  type GetOptionsOf,
  type ListEnvelope,
  type ListOptionsOf,
  type MetadataPager,
  type ResourceAccessor,
  type UpdateInput,
  type UpdateOptions,
  type WriteOptions,
} from "./accessor.js";
export { bindMetadataAccessors, type MetadataAccessors, type MetadataAccessorsFor } from "./bind.js";
export { closeNames, QueryValidationError } from "./errors.js";
export {
  buildFieldsParam,
  FIELD_PRESETS,
  FIELD_TRANSFORMERS,
  type FieldNode,
  type FieldsContext,
  type FieldsOption,
  parseFields,
} from "./fields.js";
export type { CheckFields, DefaultListFields, IdOnly, ItemOf, Select } from "./fields-type.js";
export {
  buildFilterParams,
  FILTER_OPERATORS,
  type FilterOperator,
  type FilterSpec,
  type ParsedFilter,
  parseFilter,
  type ResourceFilter,
} from "./filters.js";
export { buildOrderParam, ORDER_DIRECTIONS, type OrderDirection, type OrderOption } from "./order.js";
export { buildListParams, DEFAULT_PAGE_SIZE, type ListOptions } from "./query.js";
export type { PropertyType, Ref, ResourceDef, ResourceProperty, ResourceTable } from "./resource-def.js";
export { type AnyResources, createResources, type ResourcesFor, type ResourcesOf } from "./resources.js";
export type { RawSurface } from "./surface.js";
