import type { JsonPatchOp } from "../json-patch.js";

/**
 * The slice of `Dhis2Client` the metadata accessors need. Keeping it structural lets the accessors
 * be tested against a stub and bound to the client without importing it (no cycle).
 */

/** Query parameters as the accessors build them; arrays become repeated parameters. */
export type QueryParams = Record<string, string | readonly string[]>;

/** Per-request options every raw call takes. */
export interface RawRequestOptions {
  params?: QueryParams;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sees the headers of a successful answer (`Location` of a created object). */
  onHeaders?: (headers: Headers) => void;
}

/** The raw HTTP methods of `Dhis2Client` (paths start with `/api/`). */
export interface RawSurface {
  getRaw(path: string, options?: RawRequestOptions): Promise<unknown>;
  postRaw(path: string, body?: unknown, options?: RawRequestOptions): Promise<unknown>;
  putRaw(path: string, body?: unknown, options?: RawRequestOptions): Promise<unknown>;
  patchRaw(path: string, body?: unknown, options?: RawRequestOptions): Promise<unknown>;
  deleteRaw(path: string, options?: RawRequestOptions): Promise<unknown>;
}

/** RFC 6902 JSON Patch operation: the client's own `JsonPatchOp` (`replaceOp(path, value)`, ...). */
export type JsonPatchOperation = JsonPatchOp;

/** Reads the UID DHIS2 put in a WebMessage's `response.uid` (ObjectReport), if any. */
export function createdUidOf(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const response = (raw as { response?: unknown }).response;
  if (typeof response === "object" && response !== null) {
    const uid = (response as { uid?: unknown }).uid;
    if (typeof uid === "string" && uid !== "") return uid;
  }
  return undefined;
}

/** A duck-typed view of the client's `Dhis2ApiError` (status code and parsed body). */
export function apiErrorParts(error: unknown): { statusCode: number; body: unknown } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { statusCode?: unknown; status?: unknown; body?: unknown };
  const statusCode =
    typeof e.statusCode === "number" ? e.statusCode : typeof e.status === "number" ? e.status : undefined;
  return statusCode === undefined ? undefined : { statusCode, body: e.body };
}
