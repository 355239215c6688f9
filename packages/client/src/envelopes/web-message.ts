import { Dhis2ClientError } from "../errors.js";
import { isObject } from "../is-object.js";
import { Conflict, ImportCount, ImportReport, type TaskRef, WebMessage } from "./schemas.js";

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

// "/api/system/tasks/ANALYTICS_TABLE/Ab1cD2eF3gH" (relativeNotifierEndpoint of a job kick-off).
const NOTIFIER_RE = /\/system\/tasks\/([A-Z0-9_]+)\/([A-Za-z0-9]+)\/?$/;
// Tracker async imports answer { response: { id, location: ".../api/tracker/jobs/<id>" } }.
const TRACKER_JOB_RE = /\/tracker\/jobs\/([A-Za-z0-9]+)\/?$/;

/**
 * The UID at the end of a `Location` header (`.../api/messageConversations/<uid>`): DHIS2's
 * `WebMessageControllerAdvice` sets it from `WebMessage.location`, and a few endpoints (message
 * conversations, feedback) report the new UID only there, with no `response.uid`.
 *
 * @example
 * ```ts
 * uidFromLocation("https://dhis2.example.org/api/messageConversations/Ab1cD2eF3gH"); // "Ab1cD2eF3gH"
 * ```
 */
export function uidFromLocation(location: string | null | undefined): string | undefined {
  const last = location
    ?.replace(/[?#].*$/, "")
    .replace(/\/+$/, "")
    .split("/")
    .pop();
  return last && /^[A-Za-z][A-Za-z0-9]{10}$/.test(last) ? last : undefined;
}

/**
 * DHIS2's write envelope, with helpers that find the parts whichever shape the endpoint used.
 * Tolerant of unknown keys; the raw object stays on `.raw`.
 *
 * @example
 * ```ts
 * const msg = WebMessageResponse.parse(await client.postRaw("/api/dataValueSets", payload));
 * console.log(msg.status, msg.importCount()?.imported);
 * for (const c of msg.conflicts()) console.log(c.errorCode, c.value);
 * ```
 */
export class WebMessageResponse {
  readonly raw: Readonly<Json>;
  /** `OK`, `WARNING` or `ERROR`. */
  readonly status: string | undefined;
  /** e.g. `"OK"`, `"Conflict"`. */
  readonly httpStatus: string | undefined;
  readonly httpStatusCode: number | undefined;
  readonly message: string | undefined;
  readonly devMessage: string | undefined;
  readonly errorCode: string | undefined;
  /** The endpoint-specific payload (ObjectReport, ImportSummary, ImportReport, job ...). */
  readonly response: Readonly<Json> | undefined;

  readonly #location: string | undefined;

  private constructor(raw: Json, parsed: WebMessage, location?: string | null) {
    this.raw = raw;
    this.#location = location ?? undefined;
    this.status = parsed.status;
    this.httpStatus = parsed.httpStatus;
    this.httpStatusCode = parsed.httpStatusCode;
    this.message = parsed.message;
    this.devMessage = parsed.devMessage;
    this.errorCode = parsed.errorCode;
    this.response = parsed.response;
  }

  /**
   * Parses a raw envelope; throws a {@link Dhis2ClientError} saying what is wrong when it is not one.
   * Pass the answer's `Location` header so {@link createdUid} can fall back to it.
   */
  static parse(raw: unknown, options: { location?: string | null } = {}): WebMessageResponse {
    if (!isObject(raw)) {
      throw new Dhis2ClientError(
        `WebMessageResponse.parse expected a JSON object, got ${Array.isArray(raw) ? "an array" : typeof raw}`,
      );
    }
    const parsed = WebMessage.safeParse(raw);
    if (!parsed.success) {
      const where = parsed.error.issues
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; ");
      throw new Dhis2ClientError(`WebMessageResponse.parse: not a DHIS2 WebMessage (${where})`);
    }
    return new WebMessageResponse(raw, parsed.data, options.location);
  }

  /** Like {@link parse}, but returns `undefined` for anything that does not look like an envelope. */
  static safeParse(raw: unknown, options: { location?: string | null } = {}): WebMessageResponse | undefined {
    if (!isObject(raw)) return undefined;
    const keys = ["httpStatus", "httpStatusCode", "status", "message", "response", "importCount"];
    if (!keys.some((k) => k in raw)) return undefined;
    const parsed = WebMessage.safeParse(raw);
    return parsed.success ? new WebMessageResponse(raw, parsed.data, options.location) : undefined;
  }

  /**
   * The UID of a created object: `response.uid` (ObjectReport), `response.id` where DHIS2 used
   * that, else the end of the `Location` header given to {@link parse} (message conversations).
   */
  get createdUid(): string | undefined {
    return str(this.response?.uid) ?? str(this.response?.id) ?? uidFromLocation(this.#location);
  }

  /**
   * The import counts, wherever the endpoint put them: `response.importCount` (2.38+),
   * a top-level `importCount` (older ImportSummary answers without the envelope), or counts
   * inline in `response`.
   */
  importCount(): ImportCount | undefined {
    const candidates = [this.response?.importCount, this.raw.importCount];
    for (const c of candidates) if (isObject(c)) return ImportCount.parse(c);
    const r = this.response;
    if (r && ["imported", "updated", "ignored", "deleted"].some((k) => typeof r[k] === "number")) {
      return ImportCount.parse(r);
    }
    return undefined;
  }

  /** Per-row rejections (`conflicts[]`) of a data-value or tracker import; `[]` when none. */
  conflicts(): Conflict[] {
    const list = this.#fromSummary("conflicts");
    if (!Array.isArray(list)) return [];
    const out: Conflict[] = [];
    for (const item of list) {
      const parsed = Conflict.safeParse(item);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  /** Payload-array positions DHIS2 refused (`rejectedIndexes`); `[]` when none. */
  rejectedIndexes(): number[] {
    const list = this.#fromSummary("rejectedIndexes");
    return Array.isArray(list) ? list.filter((i): i is number => Number.isInteger(i)) : [];
  }

  /** The typed `ImportReport` of a `/api/metadata` answer; `undefined` for other envelopes. */
  importReport(): ImportReport | undefined {
    for (const c of [this.response, this.raw]) {
      if (isObject(c) && (c.responseType === "ImportReport" || Array.isArray(c.typeReports))) {
        return ImportReport.parse(c);
      }
    }
    return undefined;
  }

  /**
   * `{ jobType, id }` of a job kick-off (`response: { id, jobType, relativeNotifierEndpoint }`), or
   * of a tracker async import (`response.location` ends in `/tracker/jobs/{id}`); else `undefined`.
   */
  taskRef(): TaskRef | undefined {
    const r = this.response;
    if (!r) return undefined;
    const jobType = str(r.jobType);
    const id = str(r.id);
    if (jobType && id) return { jobType, id };
    const notifier = str(r.relativeNotifierEndpoint)?.match(NOTIFIER_RE);
    if (notifier?.[1] && notifier[2]) return { jobType: notifier[1], id: notifier[2] };
    const tracker = str(r.location)?.match(TRACKER_JOB_RE);
    if (tracker?.[1]) return { jobType: "TRACKER_IMPORT_JOB", id: tracker[1] };
    return undefined;
  }

  #fromSummary(key: string): unknown {
    return this.response && key in this.response ? this.response[key] : this.raw[key];
  }
}
