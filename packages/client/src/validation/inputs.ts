/**
 * Input checks shared by `client.validation` and `client.predictors`: DHIS2 dates and UIDs,
 * refused before any request with the caller's error class, and existence checks of the objects
 * a run names.
 */
import { Dhis2ApiError } from "../http/errors/api-error.js";
import { isValidUid } from "../uid.js";
import { UnknownObjectError } from "./errors.js";

/** A date as DHIS2 takes it: `yyyy-MM-dd`, or a `Date` (its UTC day). */
export type DhisDate = string | Date;

type Fail = (message: string, field: string, value: unknown) => Error;

/**
 * `yyyy-MM-dd` of a date input, or `fail` with what is wrong: not a real calendar day (DHIS2's
 * lenient parser would turn 2024-02-30 into 2024-03-01, or read garbage as no date at all).
 */
export function checkDate(value: unknown, field: string, where: string, fail: Fail): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw fail(`${where}: ${field} is an invalid Date`, field, value);
    return value.toISOString().slice(0, 10);
  }
  if (typeof value !== "string" || value === "") {
    throw fail(
      `${where}: give ${field} as yyyy-MM-dd (got ${value === "" ? "an empty string" : String(value)})`,
      field,
      value,
    );
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw fail(
      `${where}: ${field} ${JSON.stringify(value)} is not a date (expected yyyy-MM-dd, a day that exists)`,
      field,
      value,
    );
  }
  return value;
}

/** Both dates, refusing an end before the start. */
export function checkDateRange(
  startDate: unknown,
  endDate: unknown,
  where: string,
  fail: Fail,
): { startDate: string; endDate: string } {
  const start = checkDate(startDate, "startDate", where, fail);
  const end = checkDate(endDate, "endDate", where, fail);
  if (end < start) throw fail(`${where}: endDate ${end} is before startDate ${start}`, "endDate", endDate);
  return { startDate: start, endDate: end };
}

/** A UID, or `fail`. */
export function checkUid(value: unknown, field: string, what: string, where: string, fail: Fail): string {
  if (typeof value !== "string" || !isValidUid(value)) {
    throw fail(
      `${where}: ${field} ${JSON.stringify(value)} is not a ${what} UID (11 letters and digits, a letter first)`,
      field,
      value,
    );
  }
  return value;
}

/** What an existence check needs from a client. */
export interface ExistenceHttp {
  getRaw(path: string, options?: { params?: Record<string, string>; signal?: AbortSignal }): Promise<unknown>;
}

/** Resolves when `/api/{resource}/{uid}` exists; else throws an {@link UnknownObjectError}. */
export async function requireObject(
  http: ExistenceHttp,
  resource: string,
  uid: string,
  what: string,
  where: string,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await http.getRaw(`/api/${resource}/${encodeURIComponent(uid)}`, {
      params: { fields: "id" },
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof Dhis2ApiError && error.statusCode === 404) {
      throw new UnknownObjectError(`${where}: there is no ${what} ${uid} on this server`, resource, uid, {
        cause: error,
      });
    }
    throw error;
  }
}
