export { type BinCommand, parseArgs, USAGE } from "./args.js";
export { Connection, type ConnectionOptions, type McpClientOpener } from "./connection.js";
export { type CreateServerOptions, createServer, Dhis2McpServer, SERVER_INFO, TOOL_NAMES } from "./server.js";
export { describeError } from "./tool.js";
export { gridRecords, MAX_ANALYTICS_ROWS } from "./tools/analytics.js";
export { MAX_DATA_VALUES } from "./tools/data-values.js";
export { MAX_JOB_WAIT_MS } from "./tools/maintenance.js";
export { MAX_METADATA_PAGE_SIZE } from "./tools/metadata.js";
export { MAX_TRACKER_PAGE_SIZE } from "./tools/tracker.js";
