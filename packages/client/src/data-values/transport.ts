/**
 * The slice of `Dhis2Client` that the data value facade needs. Keeping it structural lets the
 * facade (and its tests) run over any object with these methods, e.g. a stub with an injected fetch.
 */

/** Query parameters: arrays are sent as repeated keys (`orgUnit=a&orgUnit=b`). */
export type DataValuesParams = Record<string, string | number | boolean | readonly string[] | undefined>;

/** Options every raw call takes. */
export interface DataValuesRequestOptions {
  params?: DataValuesParams;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** What `createDataValues` needs from a client. `Dhis2Client` satisfies it. */
export interface DataValuesHttp {
  getRaw(path: string, options?: DataValuesRequestOptions): Promise<unknown>;
  postRaw(path: string, body: unknown, options?: DataValuesRequestOptions): Promise<unknown>;
  deleteRaw(path: string, options?: DataValuesRequestOptions): Promise<unknown>;
}

/**
 * The body of an HTTP error thrown by the client (`Dhis2ApiError.body`), found by shape so this
 * module does not depend on the error class: a 409 whose body is an ImportSummary is a result.
 */
export function errorBody(error: unknown): { status?: number; body: unknown } | undefined {
  if (!error || typeof error !== "object" || !("body" in error)) return undefined;
  const e = error as { body: unknown; statusCode?: unknown; status?: unknown };
  const status =
    typeof e.statusCode === "number" ? e.statusCode : typeof e.status === "number" ? e.status : undefined;
  return status === undefined ? { body: e.body } : { status, body: e.body };
}

/** True when the error is the caller's abort (not a chunk failure to report and skip). */
export function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  return error instanceof Error && error.name === "AbortError";
}
