/**
 * `@dhis2w/codegen`: DHIS2 `/api/schemas` -> per-version TypeScript (models, enums, resource
 * table, lazy zod validators) in `@dhis2w/client`'s `src/generated/`.
 *
 * @example
 * import { generate, loadSchemaFile, writeGenerated } from "@dhis2w/codegen";
 * const files = generate([await loadSchemaFile("../shared/dhis2/schemas/v42.json")]);
 * await writeGenerated("out", files);
 */
export { analyze, quirkSummary } from "./analyze.js";
export {
  diffDocuments,
  diffSchemas,
  formatSchemaDiff,
  type PropertyAspectChange,
  type PropertyChange,
  type PropertySummary,
  type SchemaChange,
  type SchemaDiff,
  type SchemaSummary,
} from "./diff.js";
export { headerLine, REGENERATE_COMMAND } from "./emit-common.js";
export { type GeneratedFiles, generate, generateVersion, listGenerated, writeGenerated } from "./generate.js";
export {
  fetchSchemaDocument,
  type LiveSource,
  loadSchemaFile,
  parseSchemaDocument,
  type SchemaDescriptor,
  type SchemaDocument,
  SchemaInputError,
  type SchemaProperty,
  versionKeyOf,
} from "./input.js";
export type { EnumDef, FieldDef, ModelDef, Quirk, QuirkKind, TypeExpr, VersionIR } from "./ir.js";
export { assignNames, pascal, pluralize, simpleClassName, type WireNameRule, wireName } from "./naming.js";
export {
  generateSnapshots,
  SNAPSHOT_DIR,
  snapshotFiles,
  snapshotText,
  staleSnapshots,
  writeSnapshots,
} from "./snapshot.js";
