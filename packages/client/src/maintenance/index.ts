export {
  createMaintenance,
  type IntegrityChecksSelection,
  type IntegrityReportOptions,
  Maintenance,
  type MaintenanceHttp,
  type RefreshAnalyticsOptions,
} from "./maintenance.js";
export {
  IntegrityCheck,
  IntegrityCheckResult,
  IntegrityIssue,
  type IntegrityIssueRow,
  type IntegrityReport,
  parseIntegrityReport,
} from "./schemas.js";
