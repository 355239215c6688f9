// `@dhis2w/client/node`: helpers that need Node (files, streams). The root entry stays isomorphic.

export { streamAnalyticsTo } from "./analytics-stream.js";
export {
  type ExportToFileOptions,
  exportDataValuesToFile,
  type StreamingHttp,
} from "./data-values-export.js";
export { type DataValuesFileOptions, dataValuesFromFile } from "./data-values-files.js";
