// `@dhis2w/client/node`: the helpers that take file paths (and use Node's streams). The root entry
// stays isomorphic: it takes web streams, Blobs and (async) iterables, and never opens a file.

export { type AnalyticsFileResult, streamAnalyticsTo } from "./analytics-stream.js";
export {
  type ExportToFileOptions,
  exportDataValuesToFile,
  type StreamingHttp,
} from "./data-values-export.js";
export { type DataValuesFileOptions, dataValuesFromFile } from "./data-values-files.js";
export { type FileSource, fileSource, saveResponseTo } from "./files.js";
