/**
 * A recording {@link RawSurface} for unit tests of the resource accessors: every call is kept in
 * `calls` and answered by `answer`, so tests see what would go over the wire without HTTP.
 */
import type { RawSurface } from "../../src/resources/index.js";

/** One recorded call. */
export interface Call {
  method: string;
  path: string;
  body?: unknown;
  params?: Record<string, unknown>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A RawSurface that records calls and answers from `answer` (default: `{}`). */
export function stub(answer: (call: Call) => unknown = () => ({})): RawSurface & { calls: Call[] } {
  const calls: Call[] = [];
  const record = async (call: Call) => {
    calls.push(call);
    return answer(call);
  };
  return {
    calls,
    getRaw: (path, o) => record({ method: "GET", path, ...o }),
    postRaw: (path, body, o) => record({ method: "POST", path, body, ...o }),
    putRaw: (path, body, o) => record({ method: "PUT", path, body, ...o }),
    patchRaw: (path, body, o) => record({ method: "PATCH", path, body, ...o }),
    deleteRaw: (path, o) => record({ method: "DELETE", path, ...o }),
  };
}
