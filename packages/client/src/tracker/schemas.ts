/**
 * Typed tracker objects as `/api/tracker` reads and writes them (DHIS2 2.41+ names: `trackedEntity`,
 * `enrolledAt`, `occurredAt`, ...). Field lists follow the "Tracker objects" tables of the Web API
 * docs (dhis2/dhis2-docs src/developer/web-api/tracker.md, "Tracker objects"). Every object is
 * loose: unknown keys are kept, so a newer server never breaks parsing. The shapes are the same on
 * 2.41, 2.42 and 2.43; what differs between versions (2.41's flat paging fields, its leftover
 * 2.40 parameter names) is in the version table (`versions.ts`), not in copies of these schemas.
 */
import * as z from "zod";

/**
 * Status of an event (`EventStatus.COMPLETED === "COMPLETED"`): use the constants or the bare strings.
 *
 * @example
 * ```ts
 * const done = events.filter((e) => e.status === EventStatus.COMPLETED);
 * ```
 */
export const EventStatus = {
  ACTIVE: "ACTIVE",
  COMPLETED: "COMPLETED",
  VISITED: "VISITED",
  SCHEDULE: "SCHEDULE",
  OVERDUE: "OVERDUE",
  SKIPPED: "SKIPPED",
} as const;
export type EventStatus = (typeof EventStatus)[keyof typeof EventStatus];

/** Status of an enrollment (`EnrollmentStatus.ACTIVE === "ACTIVE"`). */
export const EnrollmentStatus = {
  ACTIVE: "ACTIVE",
  COMPLETED: "COMPLETED",
  CANCELLED: "CANCELLED",
} as const;
export type EnrollmentStatus = (typeof EnrollmentStatus)[keyof typeof EnrollmentStatus];

/** Organisation unit selection modes of the tracker exporters ("Organisation unit scopes"). */
export const OrgUnitMode = {
  SELECTED: "SELECTED",
  CHILDREN: "CHILDREN",
  DESCENDANTS: "DESCENDANTS",
  ACCESSIBLE: "ACCESSIBLE",
  CAPTURE: "CAPTURE",
  ALL: "ALL",
} as const;
export type OrgUnitMode = (typeof OrgUnitMode)[keyof typeof OrgUnitMode];

// A status the server added later must not make a whole page unreadable: known values are typed,
// anything else passes as a string.
const eventStatus = z.union([z.enum(EventStatus), z.string()]) as z.ZodType<EventStatus | (string & {})>;
const enrollmentStatus = z.union([z.enum(EnrollmentStatus), z.string()]) as z.ZodType<
  EnrollmentStatus | (string & {})
>;
const str = z.string();
const opt = <T extends z.ZodType>(s: T) => s.optional();
// When the server and the client (offline capture) created and last updated an object.
const clientStamps = {
  createdAt: opt(str),
  createdAtClient: opt(str),
  updatedAt: opt(str),
  updatedAtClient: opt(str),
};

/** The user stamp on `createdBy` / `updatedBy`. */
export const TrackerUser = z.looseObject({
  uid: opt(str),
  username: opt(str),
  firstName: opt(str),
  surname: opt(str),
});
export type TrackerUser = z.infer<typeof TrackerUser>;

/** A GeoJSON geometry (`{ type: "Point", coordinates: [lng, lat] }`). */
export const TrackerGeometry = z.looseObject({ type: str, coordinates: z.unknown() });
export type TrackerGeometry = z.infer<typeof TrackerGeometry>;

/** A tracked entity attribute value (`attributes[]` of tracked entities and enrollments). */
export const TrackerAttribute = z.looseObject({
  attribute: opt(str),
  code: opt(str),
  displayName: opt(str),
  createdAt: opt(str),
  updatedAt: opt(str),
  storedBy: opt(str),
  valueType: opt(str),
  value: opt(z.string().nullable()),
});
export type TrackerAttribute = z.infer<typeof TrackerAttribute>;

/** A data value of an event (`dataValues[]`). */
export const TrackerDataValue = z.looseObject({
  dataElement: opt(str),
  value: opt(z.string().nullable()),
  providedElsewhere: opt(z.boolean()),
  createdAt: opt(str),
  updatedAt: opt(str),
  storedBy: opt(str),
  createdBy: opt(TrackerUser),
  updatedBy: opt(TrackerUser),
});
export type TrackerDataValue = z.infer<typeof TrackerDataValue>;

/** A note on an enrollment or event (create-only). */
export const TrackerNote = z.looseObject({
  note: opt(str),
  value: opt(str),
  storedAt: opt(str),
  storedBy: opt(str),
  createdBy: opt(TrackerUser),
});
export type TrackerNote = z.infer<typeof TrackerNote>;

/** One side of a relationship: exactly one of `trackedEntity`, `enrollment`, `event`. */
export const TrackerRelationshipItem = z.looseObject({
  trackedEntity: opt(z.looseObject({ trackedEntity: opt(str) })),
  enrollment: opt(z.looseObject({ enrollment: opt(str) })),
  event: opt(z.looseObject({ event: opt(str) })),
});
export type TrackerRelationshipItem = z.infer<typeof TrackerRelationshipItem>;

/** A relationship between two tracker objects. Import requires `relationshipType`, `from`, `to`. */
export const TrackerRelationship = z.looseObject({
  relationship: opt(str),
  relationshipType: opt(str),
  relationshipName: opt(str),
  bidirectional: opt(z.boolean()),
  createdAt: opt(str),
  createdAtClient: opt(str),
  updatedAt: opt(str),
  deleted: opt(z.boolean()),
  from: opt(TrackerRelationshipItem),
  to: opt(TrackerRelationshipItem),
});
export type TrackerRelationship = z.infer<typeof TrackerRelationship>;

/**
 * An event (of a tracker program, inside an enrollment; or of an event program). Import requires
 * `programStage`, `orgUnit`, `occurredAt` (`scheduledAt` for SCHEDULE) and, in tracker programs, `enrollment`.
 */
export const TrackerEvent = z.looseObject({
  event: opt(str),
  status: opt(eventStatus),
  program: opt(str),
  programStage: opt(str),
  enrollment: opt(str),
  trackedEntity: opt(str),
  orgUnit: opt(str),
  occurredAt: opt(str),
  scheduledAt: opt(str),
  storedBy: opt(str),
  followUp: opt(z.boolean()),
  deleted: opt(z.boolean()),
  ...clientStamps,
  completedAt: opt(str),
  completedBy: opt(str),
  attributeOptionCombo: opt(str),
  attributeCategoryOptions: opt(str),
  assignedUser: opt(TrackerUser),
  geometry: opt(TrackerGeometry.nullable()),
  dataValues: opt(z.array(TrackerDataValue)),
  notes: opt(z.array(TrackerNote)),
  relationships: opt(z.array(TrackerRelationship)),
});
export type TrackerEvent = z.infer<typeof TrackerEvent>;

/** An enrollment into a tracker program. Import requires `program`, `orgUnit`, `enrolledAt` and (when not nested) `trackedEntity`. */
export const TrackerEnrollment = z.looseObject({
  enrollment: opt(str),
  program: opt(str),
  trackedEntity: opt(str),
  status: opt(enrollmentStatus),
  orgUnit: opt(str),
  enrolledAt: opt(str),
  occurredAt: opt(str),
  completedAt: opt(str),
  completedBy: opt(str),
  followUp: opt(z.boolean()),
  deleted: opt(z.boolean()),
  ...clientStamps,
  storedBy: opt(str),
  geometry: opt(TrackerGeometry.nullable()),
  attributes: opt(z.array(TrackerAttribute)),
  events: opt(z.array(TrackerEvent)),
  relationships: opt(z.array(TrackerRelationship)),
  notes: opt(z.array(TrackerNote)),
});
export type TrackerEnrollment = z.infer<typeof TrackerEnrollment>;

/** Program ownership of a tracked entity. */
export const TrackerProgramOwner = z.looseObject({
  orgUnit: opt(str),
  trackedEntity: opt(str),
  program: opt(str),
});
export type TrackerProgramOwner = z.infer<typeof TrackerProgramOwner>;

/**
 * A tracked entity (a person, a commodity, ...), the root of the tracker model. Import requires
 * `trackedEntityType` and `orgUnit`. `client.tracker.trackedEntities` returns these already parsed;
 * use `.parse` on JSON from elsewhere (a file, `getRaw`).
 *
 * @example
 * ```ts
 * const raw = await client.getRaw("/api/tracker/trackedEntities", { params: { program: "IpHINAT79UW", pageSize: 10 } });
 * for (const item of (raw.trackedEntities ?? raw.instances ?? []) as unknown[]) {
 *   const te = TrackerTrackedEntity.parse(item);
 *   console.log(te.trackedEntity, te.trackedEntityType, te.orgUnit);
 * }
 * ```
 */
export const TrackerTrackedEntity = z.looseObject({
  trackedEntity: opt(str),
  trackedEntityType: opt(str),
  orgUnit: opt(str),
  ...clientStamps,
  inactive: opt(z.boolean()),
  deleted: opt(z.boolean()),
  potentialDuplicate: opt(z.boolean()),
  storedBy: opt(str),
  geometry: opt(TrackerGeometry.nullable()),
  attributes: opt(z.array(TrackerAttribute)),
  enrollments: opt(z.array(TrackerEnrollment)),
  relationships: opt(z.array(TrackerRelationship)),
  programOwners: opt(z.array(TrackerProgramOwner)),
});
export type TrackerTrackedEntity = z.infer<typeof TrackerTrackedEntity>;

/**
 * The payload of `POST /api/tracker`: nested (enrollments inside tracked entities, events inside
 * enrollments) or flat (each list at the top, linked by UIDs), or both.
 */
export const TrackerBundle = z.looseObject({
  trackedEntities: opt(z.array(TrackerTrackedEntity)),
  enrollments: opt(z.array(TrackerEnrollment)),
  events: opt(z.array(TrackerEvent)),
  relationships: opt(z.array(TrackerRelationship)),
});
export type TrackerBundle = z.infer<typeof TrackerBundle>;

/**
 * The pager of a tracker list, normalised: `total` and `pageCount` only when asked for with
 * `totalPages: true` (counting is expensive on the server).
 */
export const TrackerPager = z.looseObject({
  page: z.number().int(),
  pageSize: z.number().int(),
  total: opt(z.number().int()),
  pageCount: opt(z.number().int()),
  prevPage: opt(str),
  nextPage: opt(str),
});
export type TrackerPager = z.infer<typeof TrackerPager>;
