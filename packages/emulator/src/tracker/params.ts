/**
 * The existence checks of the tracker export endpoints, in the order dhis2-core runs them, with
 * its exact messages (400 `BadRequestException` -> WebMessage without `errorCode`). Read at
 * 2.41.8.1, 2.42.4.1 and 2.43.0: `OperationsParamsValidator` (program, tracked entity, tracked
 * entity type, org units), `EventOperationParamsMapper` (2.41, 2.42) /
 * `TrackerEventOperationParamsMapper` + `SingleEventOperationParamsMapper` (2.43; the program is
 * a required `@RequestParam` of `EventsExportController.getEvents`, checked there first),
 * `EnrollmentOperationParamsMapper`, `TrackedEntityOperationParamsMapper`.
 *
 * | endpoint | parameter | message |
 * |---|---|---|
 * | events | program | "Program is specified but does not exist: <uid>" (2.43: none -> Spring's 400) |
 * | events | programStage | "Program stage is specified but does not exist: <uid>" |
 * | events | trackedEntity | "Tracked entity is specified but does not exist: <uid>" (2.43: tracker programs only) |
 * | events | orgUnit | 2.41 "Org unit is specified but does not exist: <uid>"; 2.42+ "Organisation unit is specified but does not exist: <uid>" |
 * | enrollments, trackedEntities | program | as above, then "Program specified is not a tracker program: <uid>" for an event program |
 * | enrollments (2.41, 2.42), trackedEntities | trackedEntityType | "Tracked entity type is specified but does not exist: <uid>" |
 * | enrollments (2.41: one uid only; 2.42) | trackedEntity | "Tracked entity is specified but does not exist: <uid>" |
 * | trackedEntities | programStage | "Program does not contain the specified programStage: <uid>" |
 * | enrollments, trackedEntities | orgUnits | "Organisation unit does not exist: <uid>" |
 */
import type { Ctx } from "../ctx.js";
import { HttpError } from "../web-message.js";
import { multi } from "./query.js";
import type { TrackerStore } from "./store.js";

type Kind = "trackedEntities" | "enrollments" | "events" | "relationships";

const bad = (message: string): never => {
  throw new HttpError(400, message);
};

/**
 * Throws DHIS2's 400 for the first parameter naming something that does not exist. Returns
 * `"missing-program"` for 2.43's `/api/tracker/events` without `program`: Spring's
 * `MissingServletRequestParameterException` is a `ServletException`, which `CrudControllerAdvice`
 * rethrows, so the container answers its own 400 page (the caller sends Tomcat's).
 *
 * What differs per version is the `tracker` part of the version's row (`eventsSplitByProgramType`,
 * `enrollmentChecks`, `eventOrgUnitNotFound`, `legacyParamNames`).
 *
 * @example
 * if (validateTrackerParams(ctx, "events", store)) return ctx.tomcatError(400);
 */
export function validateTrackerParams(
  ctx: Ctx,
  kind: Kind,
  store: TrackerStore,
): "missing-program" | undefined {
  const q = ctx.query;
  const md = ctx.state.metadata;
  const row = ctx.state.behaviour.tracker;
  const program = q.get("program") || undefined;
  const programObj = program ? md.get("programs", program) : undefined;
  const programExists = () => {
    if (program && !programObj) bad(`Program is specified but does not exist: ${program}`);
  };
  const trackerProgram = () => {
    programExists();
    if (programObj && programObj.programType === "WITHOUT_REGISTRATION") {
      bad(`Program specified is not a tracker program: ${program}`);
    }
  };
  const trackedEntityExists = (uid: string | undefined) => {
    const te = uid ? store.get("TRACKED_ENTITY", uid) : undefined;
    if (uid && (!te || (te.deleted === true && q.get("includeDeleted") !== "true"))) {
      bad(`Tracked entity is specified but does not exist: ${uid}`);
    }
  };
  const typeExists = () => {
    const tet = q.get("trackedEntityType") || undefined;
    if (tet && !md.get("trackedEntityTypes", tet)) {
      bad(`Tracked entity type is specified but does not exist: ${tet}`);
    }
  };
  const orgUnitsExist = (names: string[]) => {
    for (const ou of multi(q, ...names)) {
      if (!md.get("organisationUnits", ou)) bad(`Organisation unit does not exist: ${ou}`);
    }
  };
  const ouNames = row.legacyParamNames ? ["orgUnits", "orgUnit"] : ["orgUnits"];

  if (kind === "events") {
    if (row.eventsSplitByProgramType && !program) return "missing-program";
    programExists();
    const singleEvent = row.eventsSplitByProgramType && programObj?.programType === "WITHOUT_REGISTRATION";
    const stage = q.get("programStage") || undefined;
    if (!singleEvent && stage && !md.get("programStages", stage)) {
      bad(`Program stage is specified but does not exist: ${stage}`);
    }
    if (!singleEvent) trackedEntityExists(q.get("trackedEntity") || undefined);
    const ou = q.get("orgUnit") || undefined;
    if (ou && !md.get("organisationUnits", ou)) bad(row.eventOrgUnitNotFound(ou));
    return undefined;
  }
  if (kind === "enrollments") {
    trackerProgram();
    if (row.enrollmentChecks !== "none") {
      typeExists();
      const tes = multi(q, "trackedEntity", "trackedEntities");
      // 2.41 validates a single uid only ("multiple items indicate an internal call").
      if (row.enrollmentChecks === "type-and-entities" || tes.length === 1) {
        for (const te of tes) trackedEntityExists(te);
      }
    }
    orgUnitsExist(ouNames);
    return undefined;
  }
  if (kind === "trackedEntities") {
    trackerProgram();
    const stage = q.get("programStage") || undefined;
    if (stage) {
      const owner = (md.get("programStages", stage)?.program as { id?: string } | undefined)?.id;
      if (!program || owner !== program) bad(`Program does not contain the specified programStage: ${stage}`);
    }
    typeExists();
    orgUnitsExist(ouNames);
  }
  return undefined;
}
