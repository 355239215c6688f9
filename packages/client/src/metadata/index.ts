export * from "./import-report.js";
export * from "./metadata.js";
