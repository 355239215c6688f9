export {
  createDataStores,
  DataStore,
  type DataStoreCallOptions,
  type DataStoreHttp,
  type DataStoreQueryEntry,
  type DataStoreSetResult,
} from "./data-store.js";
export { DataStoreInputError } from "./errors.js";
export type { DataStoreQueryOptions } from "./query.js";
export { DataStoreEntryMetaData } from "./schemas.js";
export { checkName as checkDataStoreName, jsonText as dataStoreJsonText } from "./validate.js";
