/**
 * Flattening and validation of a `POST /api/tracker` payload. Error codes and messages are dhis2-core's
 * `org.hisp.dhis.tracker.imports.validation.ValidationCode` (E1xxx, E4xxx, E5000); which check fires
 * when follows the Web API docs, "Tracker import" > "Validation" (dhis2/dhis2-docs
 * src/developer/web-api/tracker.md).
 */
import type { MetadataStore } from "../metadata-store.js";
import { generateUid } from "../uid.js";
import { type Json, relationshipItemUid, type TrackerStore, type TrackerType, UID_KEY } from "./store.js";

/** One object of the payload, flattened. */
export interface Item {
  readonly type: TrackerType;
  readonly uid: string;
  /** The object without its nested children, parent links filled in. */
  readonly obj: Json;
  /** Position among the flattened objects of its type. */
  readonly index: number;
  /** The payload parent it was nested in, or the one it references by UID. */
  parent?: { type: TrackerType; uid: string };
  action?: "CREATE" | "UPDATE" | "DELETE";
}

/** An error report as DHIS2 serialises it. */
export interface ErrorReport {
  message: string;
  errorCode: string;
  trackerType: TrackerType;
  uid: string;
  args: string[];
}

const MESSAGES: Readonly<Record<string, string>> = {
  E1002: "TrackedEntity: `{0}`, already exists.",
  E1005: "Could not find TrackedEntityType: `{0}`.",
  E1006: "Attribute: `{0}` does not exist.",
  E1007: "Error validating attribute value type: `{0}`; Error: `{1}`.",
  E1009: "File resource: `{0}` has already been assigned to another object.",
  E1010: "Could not find Program: `{0}`, linked to Event.",
  E1011: "Could not find OrganisationUnit: `{0}`, linked to Event.",
  E1013: "Could not find ProgramStage: `{0}`, linked to Event.",
  E1014:
    "Provided Program: `{0}` is a Program without registration. An Enrollment cannot be created into Program without registration.",
  E1025: "Property enrolledAt is null.",
  E1030: "Event: `{0}` already exists.",
  E1031: "Event occurredAt date is missing.",
  E1032: "Event: `{0}` do not exist.",
  E1033: "Event: `{0}` Enrollment value is null.",
  E1049: "Could not find OrganisationUnit: `{0}` linked to TrackedEntity.",
  E1050: "Event ScheduledAt date is missing.",
  E1063: "TrackedEntity: `{0}`, does not exist.",
  E1068: "Could not find TrackedEntity: `{0}` linked to Enrollment.",
  E1069: "Could not find Program: `{0}` linked to Enrollment.",
  E1070: "Could not find OrganisationUnit: `{0}` linked to Enrollment.",
  E1075: "Attribute: `{0}` UID is missing.",
  E1080: "Enrollment: `{0}` already exists.",
  E1081: "Enrollment: `{0}` do not exist.",
  E1082: "Event: `{0}` is already deleted and cannot be modified.",
  E1089: "Event: `{0}` references ProgramStage `{1}` which do not belong to Program `{2}`.",
  E1113: "Enrollment: `{0}` is already deleted and cannot be modified.",
  E1114: "TrackedEntity: `{0}` is already deleted and cannot be modified.",
  E1121: "Missing required trackedEntity property: `{0}`.",
  E1122: "Missing required enrollment property: `{0}`.",
  E1123: "Missing required event property: `{0}`.",
  E1124: "Missing required relationship property: `{0}`.",
  E1304: "DataElement `{0}` is not a valid DataElement.",
  E1305: "DataElement `{0}` is not part of ProgramStage `{1}`.",
  E4000: "Relationship: `{0}` cannot link to itself.",
  E4001:
    "RelationshipItem `{0}` for Relationship `{1}` is invalid as an item must be associated with exactly one of TrackedEntity, Enrollment, Event.",
  E4006: "Could not find RelationshipType: `{0}`.",
  E4012: "Could not find `{0}`: `{1}`, linked to relationship.",
  E4015: "Relationship: `{0}` already exists.",
  E4016: "Relationship: `{0}` do not exist.",
  E4017: "Relationship: `{0}` is already deleted and cannot be modified.",
  E5000: "{0} `{1}` cannot be created because {2} `{3}` referenced by it could not be created.",
};

export function errorReport(
  code: string,
  type: TrackerType,
  uid: string,
  args: readonly string[],
): ErrorReport {
  const template = MESSAGES[code] ?? code;
  const message = template.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)] ?? "");
  return { message, errorCode: code, trackerType: type, uid, args: [...args] };
}

const NAME: Readonly<Record<TrackerType, string>> = {
  TRACKED_ENTITY: "TrackedEntity",
  ENROLLMENT: "Enrollment",
  EVENT: "Event",
  RELATIONSHIP: "Relationship",
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const list = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter((x): x is Json => typeof x === "object" && x !== null) : [];
const refId = (v: unknown): string | undefined =>
  str(v) ?? (typeof v === "object" && v !== null ? str((v as Json).id) : undefined);

/** Splits a nested/flat payload into one list of objects, children after their parents. */
export function flattenBundle(bundle: Json): Item[] {
  const byType: Record<TrackerType, Item[]> = {
    TRACKED_ENTITY: [],
    ENROLLMENT: [],
    EVENT: [],
    RELATIONSHIP: [],
  };
  const add = (type: TrackerType, raw: Json, extra: Json, parent?: Item["parent"]): string => {
    const key = UID_KEY[type];
    const { enrollments: _e, events: _v, relationships: _r, ...rest } = raw;
    const uid = str(raw[key]) ?? generateUid();
    const obj: Json = { ...rest, ...extra, [key]: uid };
    const item: Item = { type, uid, obj, index: byType[type].length };
    if (parent) item.parent = parent;
    byType[type].push(item);
    for (const rel of list(raw.relationships)) add("RELATIONSHIP", rel, {});
    return uid;
  };
  const addEvent = (ev: Json, extra: Json, parent?: Item["parent"]) => add("EVENT", ev, extra, parent);
  const addEnrollment = (en: Json, extra: Json, parent?: Item["parent"]) => {
    const uid = add("ENROLLMENT", en, extra, parent);
    const program = str(en.program);
    const te = str(extra.trackedEntity) ?? str(en.trackedEntity);
    for (const ev of list(en.events)) {
      addEvent(
        ev,
        { enrollment: uid, ...(program ? { program } : {}), ...(te ? { trackedEntity: te } : {}) },
        {
          type: "ENROLLMENT",
          uid,
        },
      );
    }
  };
  for (const te of list(bundle.trackedEntities)) {
    const uid = add("TRACKED_ENTITY", te, {});
    for (const en of list(te.enrollments))
      addEnrollment(en, { trackedEntity: uid }, { type: "TRACKED_ENTITY", uid });
  }
  for (const en of list(bundle.enrollments)) addEnrollment(en, {});
  for (const ev of list(bundle.events)) addEvent(ev, {});
  for (const rel of list(bundle.relationships)) add("RELATIONSHIP", rel, {});
  return [...byType.TRACKED_ENTITY, ...byType.ENROLLMENT, ...byType.EVENT, ...byType.RELATIONSHIP];
}

/** What validation needs to see. */
export interface ValidationEnv {
  readonly metadata: MetadataStore;
  readonly store: TrackerStore;
  readonly strategy: "CREATE" | "UPDATE" | "CREATE_AND_UPDATE" | "DELETE";
  /** Uploaded file resources (the files module), for FILE_RESOURCE and IMAGE attribute values. */
  readonly files?: FileLookup;
}

/** What attribute validation needs to know of a file resource. */
export interface FileLookup {
  get(id: string): { assigned: boolean; owner?: string } | undefined;
}

const EXISTS_CODE: Record<TrackerType, [exists: string, missing: string, deleted: string]> = {
  TRACKED_ENTITY: ["E1002", "E1063", "E1114"],
  ENROLLMENT: ["E1080", "E1081", "E1113"],
  EVENT: ["E1030", "E1032", "E1082"],
  RELATIONSHIP: ["E4015", "E4016", "E4017"],
};

/**
 * Validates each item and decides its action; returns the errors by `TYPE/uid`. Children of an
 * invalid payload parent get E5000 (dhis2-core reports them so with both atomic modes).
 */
export function validateItems(
  items: readonly Item[],
  env: ValidationEnv,
  failFast: boolean,
): Map<string, ErrorReport[]> {
  const errors = new Map<string, ErrorReport[]>();
  const inPayload = new Map<string, Item>();
  for (const item of items) inPayload.set(`${item.type}/${item.uid}`, item);
  const { metadata: md, store } = env;
  const live = (type: TrackerType, uid: string | undefined) => {
    if (!uid) return false;
    const stored = store.get(type, uid);
    return (stored !== undefined && stored.deleted !== true) || inPayload.has(`${type}/${uid}`);
  };

  for (const item of items) {
    const out: ErrorReport[] = [];
    const fail = (code: string, ...args: string[]) => out.push(errorReport(code, item.type, item.uid, args));
    const o = item.obj;
    const stored = store.get(item.type, item.uid);
    const [existsCode, missingCode, deletedCode] = EXISTS_CODE[item.type];
    if (stored?.deleted === true) fail(deletedCode, item.uid);
    else if (env.strategy === "CREATE" && stored) fail(existsCode, item.uid);
    else if ((env.strategy === "UPDATE" || env.strategy === "DELETE") && !stored) fail(missingCode, item.uid);
    item.action = env.strategy === "DELETE" ? "DELETE" : stored ? "UPDATE" : "CREATE";

    if (env.strategy !== "DELETE" && out.length === 0) {
      if (item.type === "TRACKED_ENTITY") {
        const tet = str(o.trackedEntityType);
        if (!tet) fail("E1121", "trackedEntityType");
        else if (!md.has("trackedEntityTypes", tet)) fail("E1005", tet);
        const ou = str(o.orgUnit);
        if (!ou) fail("E1121", "orgUnit");
        else if (!md.has("organisationUnits", ou)) fail("E1049", ou);
        checkAttributes(o, md, fail, env.files, item.uid);
      } else if (item.type === "ENROLLMENT") {
        const program = str(o.program);
        const p = program ? md.get("programs", program) : undefined;
        if (!program) fail("E1122", "program");
        else if (!p) fail("E1069", program);
        else if (p.programType === "WITHOUT_REGISTRATION") fail("E1014", program);
        const ou = str(o.orgUnit);
        if (!ou) fail("E1122", "orgUnit");
        else if (!md.has("organisationUnits", ou)) fail("E1070", ou);
        const te = str(o.trackedEntity);
        if (!te) fail("E1122", "trackedEntity");
        else if (!live("TRACKED_ENTITY", te)) fail("E1068", te);
        else if (!item.parent) item.parent = { type: "TRACKED_ENTITY", uid: te };
        if (!str(o.enrolledAt)) fail("E1025");
        checkAttributes(o, md, fail, env.files, item.uid);
      } else if (item.type === "EVENT") {
        validateEvent(item, md, live, fail);
      } else {
        const type = str(o.relationshipType);
        if (!type) fail("E1124", "relationshipType");
        else if (!md.has("relationshipTypes", type)) fail("E4006", type);
        const ends: (string | undefined)[] = [];
        for (const side of ["from", "to"] as const) {
          const end = o[side];
          if (typeof end !== "object" || end === null) {
            fail("E1124", side);
            continue;
          }
          const keys = ["trackedEntity", "enrollment", "event"].filter((k) => (end as Json)[k] != null);
          if (keys.length !== 1) {
            fail("E4001", side, item.uid);
            continue;
          }
          const uid = relationshipItemUid(end);
          ends.push(uid);
          const t = ({ trackedEntity: "TRACKED_ENTITY", enrollment: "ENROLLMENT", event: "EVENT" } as const)[
            keys[0] as "trackedEntity"
          ];
          if (!live(t, uid)) fail("E4012", NAME[t], uid ?? "");
        }
        if (ends.length === 2 && ends[0] === ends[1]) fail("E4000", item.uid);
      }
    }
    if (out.length > 0) {
      errors.set(`${item.type}/${item.uid}`, out);
      if (failFast) return errors;
    }
  }

  // Children of payload parents that failed cannot be created either.
  for (const item of items) {
    const p = item.parent;
    if (!p || errors.has(`${item.type}/${item.uid}`) || !errors.has(`${p.type}/${p.uid}`)) continue;
    if (store.get(p.type, p.uid)) continue;
    errors.set(`${item.type}/${item.uid}`, [
      errorReport("E5000", item.type, item.uid, [NAME[item.type], item.uid, NAME[p.type], p.uid]),
    ]);
  }
  return errors;
}

function checkAttributes(
  o: Json,
  md: MetadataStore,
  fail: (code: string, ...args: string[]) => void,
  files: FileLookup | undefined,
  owner: string,
): void {
  for (const a of list(o.attributes)) {
    const id = str(a.attribute);
    if (!id) fail("E1075", String(a.code ?? a.displayName ?? ""));
    else if (!md.has("trackedEntityAttributes", id)) fail("E1006", id);
    else checkFileValue(md.get("trackedEntityAttributes", id)?.valueType, a.value, files, owner, fail);
  }
}

/**
 * dhis2-core `ValidationUtils.validateValueType` / `validateFileNotAlreadyAssigned`: a
 * FILE_RESOURCE or IMAGE value names an existing file resource (E1007) not taken by another
 * object (E1009).
 */
function checkFileValue(
  valueType: unknown,
  value: unknown,
  files: FileLookup | undefined,
  owner: string,
  fail: (code: string, ...args: string[]) => void,
): void {
  if ((valueType !== "FILE_RESOURCE" && valueType !== "IMAGE") || typeof value !== "string" || value === "")
    return;
  const file = files?.get(value);
  if (!file) fail("E1007", valueType, `File resource \`${value}\` could not be found.`);
  else if (file.assigned && file.owner !== owner) fail("E1009", value);
}

function validateEvent(
  item: Item,
  md: MetadataStore,
  live: (type: TrackerType, uid: string | undefined) => boolean,
  fail: (code: string, ...args: string[]) => void,
): void {
  const o = item.obj;
  const stageId = str(o.programStage);
  const stage = stageId ? md.get("programStages", stageId) : undefined;
  if (!stageId) fail("E1123", "programStage");
  else if (!stage) fail("E1013", stageId);
  const stageProgram = refId(stage?.program);
  const programId = str(o.program) ?? stageProgram;
  const program = programId ? md.get("programs", programId) : undefined;
  if (programId && !program) fail("E1010", programId);
  if (stage && programId && stageProgram && stageProgram !== programId)
    fail("E1089", item.uid, stageId ?? "", programId);
  const ou = str(o.orgUnit);
  if (!ou) fail("E1123", "orgUnit");
  else if (!md.has("organisationUnits", ou)) fail("E1011", ou);
  if (program?.programType === "WITH_REGISTRATION") {
    const enrollment = str(o.enrollment);
    if (!enrollment) fail("E1033", item.uid);
    else if (!live("ENROLLMENT", enrollment)) fail("E1081", enrollment);
    else if (!item.parent) item.parent = { type: "ENROLLMENT", uid: enrollment };
  }
  const status = str(o.status) ?? "ACTIVE";
  if (status === "SCHEDULE" || status === "SKIPPED" || status === "OVERDUE") {
    if (!str(o.scheduledAt)) fail("E1050");
  } else if (!str(o.occurredAt)) fail("E1031");
  const stageElements = Array.isArray(stage?.programStageDataElements)
    ? new Set((stage.programStageDataElements as Json[]).map((p) => refId(p.dataElement)).filter(Boolean))
    : undefined;
  for (const dv of list(o.dataValues)) {
    const de = str(dv.dataElement);
    if (!de || !md.has("dataElements", de)) fail("E1304", de ?? "");
    else if (stageElements && stageElements.size > 0 && !stageElements.has(de))
      fail("E1305", de, stageId ?? "");
  }
}
