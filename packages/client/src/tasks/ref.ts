import type { TaskRef } from "../envelopes/schemas.js";
import { Dhis2ClientError } from "../errors.js";

/** A job reference: `{ jobType, id }` (what `WebMessageResponse.taskRef()` gives) or `"JOB_TYPE/uid"`. */
export type TaskRefInput = TaskRef | string;

const JOB_TYPE_RE = /^[A-Z][A-Z0-9_]*$/;
const JOB_ID_RE = /^[A-Za-z0-9_-]+$/;

/**
 * Normalises a {@link TaskRefInput}; a malformed one throws a {@link Dhis2ClientError} saying what
 * is wrong.
 *
 * @example
 * ```ts
 * parseTaskRef("ANALYTICS_TABLE/Ab1cD2eF3gH"); // { jobType: "ANALYTICS_TABLE", id: "Ab1cD2eF3gH" }
 * ```
 */
export function parseTaskRef(ref: TaskRefInput): TaskRef {
  let jobType: unknown;
  let id: unknown;
  if (typeof ref === "string") {
    const parts = ref
      .trim()
      .replace(/^\/+|\/+$/g, "")
      .split("/");
    if (parts.length !== 2) {
      throw new Dhis2ClientError(
        `task ref ${JSON.stringify(ref)} is malformed: expected "JOB_TYPE/uid" (e.g. "ANALYTICS_TABLE/Ab1cD2eF3gH")`,
      );
    }
    [jobType, id] = parts;
  } else if (ref && typeof ref === "object") {
    ({ jobType, id } = ref as { jobType?: unknown; id?: unknown });
  } else {
    throw new Dhis2ClientError(
      `task ref must be { jobType, id } or "JOB_TYPE/uid", got ${ref === null ? "null" : typeof ref}`,
    );
  }
  if (typeof jobType !== "string" || !JOB_TYPE_RE.test(jobType)) {
    throw new Dhis2ClientError(
      `task ref: jobType ${JSON.stringify(jobType)} is not a DHIS2 job type (upper case, e.g. "ANALYTICS_TABLE")`,
    );
  }
  if (typeof id !== "string" || !JOB_ID_RE.test(id)) {
    throw new Dhis2ClientError(
      `task ref: id ${JSON.stringify(id)} is not a job id (a UID such as "Ab1cD2eF3gH")`,
    );
  }
  return { jobType, id };
}

/** `"JOB_TYPE/uid"`. */
export function formatTaskRef(ref: TaskRef): string {
  return `${ref.jobType}/${ref.id}`;
}
