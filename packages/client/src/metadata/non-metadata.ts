/**
 * Bundle keys that DHIS2 itself writes into a metadata export but does not import as metadata.
 * `POST /api/metadata` reads the bundle in `DefaultRenderService.fromMetadata` (dhis2/dhis2-core,
 * `dhis-service-node`): a key that names no identifiable schema is skipped ("Skipping unknown
 * property"), and a schema with `metadata: false` is skipped too ("Skipping non-metadata
 * property"). The exports that carry such keys are `DefaultMetadataExportService`'s:
 * `getMetadataAsNode` writes a `system` block (`id`, `rev`, `version`, `date`), the export with
 * dependencies (`/api/dashboards/{id}/metadata`, ...) writes `Legend` objects as `legends` and
 * `Interpretation`s as `interpretations` (and, in older releases, a top-level `date`).
 *
 * These keys go through an import by default: the header keys unchanged (DHIS2 reads neither),
 * the non-metadata types left out and listed in the report's `skippedTypes`. A key in neither
 * list that is no metadata type of the connected version (a typo such as `dataElement`) is
 * refused, because DHIS2 would drop it without a word.
 */

/** An export's header keys: what `DefaultMetadataExportService` writes besides objects. */
export const EXPORT_HEADER_KEYS: readonly string[] = ["system", "date"];

/**
 * Every plural of a DHIS2 2.41-2.43 schema with `metadata: false` (`/api/schemas`; the same on
 * every version that has it, and none of them is a metadata type on another version). The test
 * `metadata-non-metadata.test.ts` checks this list against the schemas of each version.
 */
export const NON_METADATA_TYPES: readonly string[] = [
  "accesses",
  "analyticsPeriodBoundaries",
  "attributeValues",
  "axes",
  "categoryDimensions",
  "categoryOptionGroupSetDimensions",
  "dashboardItems",
  "dataElementDimensions",
  "dataElementGroupSetDimensions",
  "dataElementOperands",
  "dataInputPeriods",
  "dataSetElements",
  "dataStores",
  "eventRepetitions",
  "expressions",
  "externalFileResources",
  "fileResources",
  "icons",
  "interpretationComments",
  "interpretations",
  "itemConfigs",
  "legendDefinitions",
  "legends",
  "messageConversations",
  "metadataVersions",
  "minMaxDataElements",
  "objectStyles",
  "organisationUnitGroupSetDimensions",
  "outlierAnalysis",
  "programDataElements",
  "programInstances",
  "programStageDataElements",
  "programStageInstances",
  "programTrackedEntityAttributeDimensionItems",
  "programTrackedEntityAttributes",
  "proposals",
  "relationshipConstraints",
  "relationshipItems",
  "relationships",
  "reportingRates",
  "seriesKeys",
  "sharings",
  "trackedEntityAttributeValues",
  "trackedEntityDataElementDimensions",
  "trackedEntityInstances",
  "trackedEntityTypeAttributes",
  "userAccesses",
  "userCredentials",
  "userGroupAccesses",
  "validationResults",
];

const nonMetadata = new Set(NON_METADATA_TYPES);

/** True for a plural DHIS2 knows as a type but does not import as metadata (`interpretations`). */
export function isNonMetadataType(key: string): boolean {
  return nonMetadata.has(key);
}
