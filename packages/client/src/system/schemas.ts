import * as z from "zod";

/**
 * `/api/system/info` (the fields most callers use; every other field is kept). `version` looks
 * like "2.42.4", "2.42.4.1", "2.43.0" or "2.41-SNAPSHOT".
 */
export const SystemInfo = z.looseObject({
  version: z.string(),
  revision: z.string().optional(),
  buildTime: z.string().optional(),
  serverDate: z.string().optional(),
  serverTimeZoneId: z.string().optional(),
  contextPath: z.string().optional(),
  systemId: z.string().optional(),
  systemName: z.string().optional(),
  instanceBaseUrl: z.string().optional(),
  calendar: z.string().optional(),
  dateFormat: z.string().optional(),
  /** When the last full analytics table run STARTED (2.42+ send the epoch before any run; 2.41 leave it out). */
  lastAnalyticsTableSuccess: z.string().optional(),
  /** Time since then, e.g. "2 h, 5 m, 3 s". */
  intervalSinceLastAnalyticsTableSuccess: z.string().optional(),
  /** How long that run took, "HH:mm:ss.SSS" ("" on 2.42+ before any run). */
  lastAnalyticsTableRuntime: z.string().optional(),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

/** A reference the server sends as `{ id, ... }` or, on some fields, as a bare UID. */
export const MeRef = z.preprocess(
  (v) => (typeof v === "string" ? { id: v } : v),
  z.looseObject({
    id: z.string(),
    name: z.string().optional(),
    displayName: z.string().optional(),
    code: z.string().optional(),
    path: z.string().optional(),
    level: z.number().optional(),
  }),
);
export type MeRef = z.infer<typeof MeRef>;

/** A list of UIDs the server sends bare (`/api/me` `programs`, `dataSets`), or as `{ id }` objects. */
const uidList = z.array(
  z.preprocess((v) => (typeof v === "object" && v !== null && "id" in v ? v.id : v), z.string()),
);

/** Drops `null` members: DHIS2's mapper omits nulls (`Include.NON_NULL`), but proxies and older builds send them. */
const withoutNulls = (v: unknown): unknown =>
  typeof v === "object" && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null))
    : v;

/**
 * `/api/me`: the authenticated user. Tolerant of extra fields and of `null` on optional ones
 * (`email: null` for a user created without one); `programs` and `dataSets` are UIDs (DHIS2
 * returns them bare), org units and groups are `{ id, ... }` references.
 */
const MeObject = z.looseObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string().optional(),
  name: z.string().optional(),
  firstName: z.string().optional(),
  surname: z.string().optional(),
  email: z.string().optional(),
  authorities: z.array(z.string()).optional(),
  organisationUnits: z.array(MeRef).optional(),
  dataViewOrganisationUnits: z.array(MeRef).optional(),
  teiSearchOrganisationUnits: z.array(MeRef).optional(),
  userGroups: z.array(MeRef).optional(),
  userRoles: z.array(MeRef).optional(),
  programs: uidList.optional(),
  dataSets: uidList.optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});
/** `/api/me` as the client validates it (see `MeObject`): `null` members count as absent. */
export const Me = z.preprocess(withoutNulls, MeObject);
export type Me = z.infer<typeof MeObject>;
