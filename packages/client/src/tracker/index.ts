export { type ItemSchema, TrackerEndpoint, type TrackerGetOptions, type TrackerHttp } from "./endpoint.js";
export {
  awaitTrackerImport,
  parseTrackerImportReport,
  runTrackerImport,
  type TrackerAwaitOptions,
  type TrackerImportOptions,
  TrackerJobTimeoutError,
  trackerJobRefOf,
} from "./import.js";
export {
  type EnrollmentListOptions,
  type EventListOptions,
  normalizeTrackerPage,
  type RelationshipListOptions,
  type TrackedEntityListOptions,
  type TrackerKind,
  type TrackerListOptions,
  type TrackerPage,
  trackerQueryParams,
} from "./params.js";
export {
  isTrackerImportReport,
  TrackerErrorReport,
  TrackerImportReport,
  TrackerImportStats,
  type TrackerJobRef,
  TrackerObjectReport,
  TrackerType,
  TrackerTypeReport,
  trackerImportErrors,
} from "./report.js";
export {
  EnrollmentStatus,
  EventStatus,
  OrgUnitMode,
  TrackerAttribute,
  TrackerBundle,
  TrackerDataValue,
  TrackerEnrollment,
  TrackerEvent,
  TrackerGeometry,
  TrackerNote,
  TrackerPager,
  TrackerProgramOwner,
  TrackerRelationship,
  TrackerRelationshipItem,
  TrackerTrackedEntity,
  TrackerUser,
} from "./schemas.js";
export { createTracker, TrackerApi } from "./tracker.js";
