/**
 * Tracker list options -> query parameters, and list answers -> `{ pager, items }`.
 *
 * Callers use DHIS2 2.41+'s parameter names, which every supported version takes. Per endpoint,
 * on every version, some are renamed on the way out: the trackedEntities exporter calls the
 * enrollment date filter `enrollmentEnrolledAfter`, the events exporter takes a single
 * `orgUnit`, the relationships exporter a single `trackedEntity`/`enrollment`/`event` (Web API
 * docs, "Tracker export", dhis2/dhis2-docs src/developer/web-api/tracker.md). What differs per
 * version (2.41's flat paging fields, its leftover 2.40 names) is in the version table
 * (`tracker` of `SUPPORTED_VERSIONS`); the client needs none of it to ask.
 */
import { Dhis2ClientError } from "../errors.js";
import type { QueryValue } from "../http/params.js";
import { isObject } from "../is-object.js";
import type { EnrollmentStatus, EventStatus, OrgUnitMode, TrackerPager } from "./schemas.js";

/** The four tracker exporters. */
export type TrackerKind = "trackedEntities" | "enrollments" | "events" | "relationships";

/** Options every tracker list takes (2.41+ names; arrays are joined with commas). */
export interface TrackerListOptions {
  /** Field filter: `"trackedEntity,attributes[attribute,value]"` or a list of entries. */
  readonly fields?: string | readonly string[];
  /** `["createdAt:desc", "trackedEntity"]` or `"createdAt:desc"`. */
  readonly order?: string | readonly string[];
  readonly page?: number;
  /** Default 50 on the server. */
  readonly pageSize?: number;
  /** Ask for `pager.total` / `pager.pageCount` (costly on large servers). */
  readonly totalPages?: boolean;
  /** `false` returns every row in one answer. */
  readonly paging?: boolean;
  readonly orgUnits?: readonly string[];
  readonly orgUnitMode?: OrgUnitMode;
  readonly program?: string;
  readonly updatedAfter?: string;
  readonly updatedBefore?: string;
  readonly includeDeleted?: boolean;
  readonly followUp?: boolean;
  readonly signal?: AbortSignal;
  /** Anything else, sent as it is (`{ idScheme: "CODE" }`). */
  readonly extraParams?: Readonly<Record<string, QueryValue>>;
}

/** Options of `client.tracker.trackedEntities.list`. */
export interface TrackedEntityListOptions extends TrackerListOptions {
  readonly trackedEntityType?: string;
  readonly trackedEntities?: readonly string[];
  readonly programStage?: string;
  /** Enrollment status in `program` (sent as `enrollmentStatus`). */
  readonly status?: EnrollmentStatus;
  /** Enrollment dates in `program` (sent as `enrollmentEnrolledAfter`/`Before`). */
  readonly enrolledAfter?: string;
  readonly enrolledBefore?: string;
  /** Event dates in `program` (sent as `eventOccurredAfter`/`Before`). */
  readonly occurredAfter?: string;
  readonly occurredBefore?: string;
  readonly eventStatus?: EventStatus;
  /** Attribute filters `"<attribute>:<op>:<value>"` (`"w75KJ2mc4zz:eq:John"`). */
  readonly filter?: string | readonly string[];
  readonly potentialDuplicate?: boolean;
}

/** Options of `client.tracker.enrollments.list`. */
export interface EnrollmentListOptions extends TrackerListOptions {
  readonly status?: EnrollmentStatus;
  readonly trackedEntity?: string;
  readonly enrollments?: readonly string[];
  readonly enrolledAfter?: string;
  readonly enrolledBefore?: string;
}

/** Options of `client.tracker.events.list`. The events exporter takes ONE org unit. */
export interface EventListOptions extends TrackerListOptions {
  readonly programStage?: string;
  readonly status?: EventStatus;
  readonly trackedEntity?: string;
  readonly enrollments?: readonly string[];
  readonly events?: readonly string[];
  readonly occurredAfter?: string;
  readonly occurredBefore?: string;
  readonly scheduledAfter?: string;
  readonly scheduledBefore?: string;
  readonly enrollmentStatus?: EnrollmentStatus;
  readonly enrolledAfter?: string;
  readonly enrolledBefore?: string;
  /** Data element filters `"<dataElement>:<op>:<value>"`. */
  readonly filter?: string | readonly string[];
}

/** Options of `client.tracker.relationships.list`: exactly one of the three anchors. */
export interface RelationshipListOptions extends TrackerListOptions {
  readonly trackedEntity?: string;
  readonly enrollment?: string;
  readonly event?: string;
}

/** Option name -> wire name, per endpoint, on every version. */
const ENDPOINT_NAMES: Readonly<Record<TrackerKind, Readonly<Record<string, string>>>> = {
  trackedEntities: {
    status: "enrollmentStatus",
    enrolledAfter: "enrollmentEnrolledAfter",
    enrolledBefore: "enrollmentEnrolledBefore",
    occurredAfter: "eventOccurredAfter",
    occurredBefore: "eventOccurredBefore",
  },
  enrollments: {},
  events: {
    orgUnits: "orgUnit",
    enrolledAfter: "enrollmentEnrolledAfter",
    enrolledBefore: "enrollmentEnrolledBefore",
  },
  relationships: {},
};

/** Endpoint parameters (2.41+ names) that take one value: a list of more than one is a caller error. */
const SINGLE_VALUED = new Set(["orgUnit", "trackedEntity", "enrollment", "event"]);
const NOT_PARAMS = new Set(["signal", "extraParams"]);

function joinValue(value: unknown): QueryValue {
  if (Array.isArray(value)) return value.map(String).join(",");
  return value as QueryValue;
}

/**
 * The query parameters of a tracker list for one endpoint.
 *
 * @example
 * ```ts
 * trackerQueryParams("events", { orgUnits: ["a"], orgUnitMode: "DESCENDANTS" });
 * // { orgUnit: "a", orgUnitMode: "DESCENDANTS" }
 * ```
 */
export function trackerQueryParams(
  kind: TrackerKind,
  options: TrackerListOptions & Record<string, unknown>,
): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || NOT_PARAMS.has(key)) continue;
    const wire = ENDPOINT_NAMES[kind][key] ?? key;
    if (SINGLE_VALUED.has(wire) && Array.isArray(value) && value.length > 1) {
      throw new Dhis2ClientError(
        `tracker ${kind}: "${key}" takes one value on this endpoint (sent as "${wire}"), got ${value.length}: ${value.join(", ")}`,
      );
    }
    out[wire] = joinValue(value);
  }
  for (const [key, value] of Object.entries(options.extraParams ?? {})) out[key] = value;
  return out;
}

/** One page of a tracker list, whichever envelope the server used. */
export interface TrackerPage<T> {
  readonly pager: TrackerPager;
  readonly items: T[];
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/**
 * Normalises a list answer to `{ pager, items }` from `{ pager, <kind>: [...] }` (2.41 also
 * repeats `page`/`pageSize` flat; the pager wins).
 */
export function normalizeTrackerPage(
  kind: TrackerKind,
  raw: unknown,
  requested: { page?: number | undefined; pageSize?: number | undefined } = {},
): TrackerPage<unknown> {
  if (!isObject(raw))
    throw new Dhis2ClientError(`tracker ${kind}: expected a JSON object, got ${typeof raw}`);
  const list = Array.isArray(raw[kind]) ? raw[kind] : undefined;
  if (!list) {
    throw new Dhis2ClientError(
      `tracker ${kind}: the answer has no "${kind}" list; keys: ${Object.keys(raw).join(", ") || "(none)"}`,
    );
  }
  const source = isObject(raw.pager) ? raw.pager : raw;
  const page = num(source.page) ?? num(raw.page) ?? requested.page ?? 1;
  const pageSize = num(source.pageSize) ?? num(raw.pageSize) ?? requested.pageSize ?? list.length;
  const pager: { -readonly [K in keyof TrackerPager]: TrackerPager[K] } = { page, pageSize };
  const total = num(source.total) ?? num(raw.total);
  const pageCount = num(source.pageCount) ?? num(raw.pageCount);
  if (total !== undefined) pager.total = total;
  if (pageCount !== undefined) pager.pageCount = pageCount;
  else if (total !== undefined && pageSize > 0) pager.pageCount = Math.ceil(total / pageSize);
  if (typeof source.prevPage === "string") pager.prevPage = source.prevPage;
  if (typeof source.nextPage === "string") pager.nextPage = source.nextPage;
  return { pager, items: list as unknown[] };
}
