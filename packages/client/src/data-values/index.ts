export {
  createDataValues,
  type DataValueKey,
  DataValues,
  type DataValuesExportQuery,
  exportParams,
} from "./data-values.js";
export {
  DataValuesImportError,
  type DataValuesImportOptions,
  type DataValuesImportProgress,
  type DataValuesImportResult,
  type FailedChunk,
  importDataValues,
} from "./import.js";
export { awaitImportJob, type JobPollOptions, type JobRef, jobRefOf } from "./jobs.js";
export {
  DataValue,
  DataValueImportSummary,
  DataValueSet,
  type DataValueSetHeader,
  findImportSummary,
  IdScheme,
  ImportStrategy,
} from "./schemas.js";
export { chunked, type DataValueSource, type DataValueStream, pickHeader } from "./sources.js";
export {
  type DataValuesTextOptions,
  type DataValueText,
  dataValuesFromText,
} from "./text-source.js";
export type { DataValuesHttp, DataValuesParams, DataValuesRequestOptions } from "./transport.js";
