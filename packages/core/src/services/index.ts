export * from "./analytics.js";
export * from "./data-values.js";
export * from "./maintenance.js";
export * from "./metadata.js";
export * from "./system.js";
export * from "./target.js";
export * from "./tracker.js";
export * from "./urls.js";
