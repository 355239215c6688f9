export {
  Analytics,
  type AnalyticsHttp,
  type AnalyticsOutputFormat,
  type AnalyticsParams,
  type AnalyticsQuery,
  type AnalyticsResult,
  type AnalyticsShape,
  type AnalyticsStreamOptions,
  type AnalyticsStreamResult,
  analyticsExportPath,
  analyticsParams,
  createAnalytics,
} from "./analytics.js";
export {
  type AnalyticsDimensions,
  InvalidDimensionError,
  isDimensionUid,
  normaliseDimensions,
} from "./dimensions.js";
export {
  AnalyticsMetaData,
  AnalyticsMetaDataItem,
  Grid,
  GridHeader,
  type GridRecord,
  gridToRecords,
} from "./schemas.js";
