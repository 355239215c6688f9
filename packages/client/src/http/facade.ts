import type { RequestOptions } from "../client-options.js";
import { Dhis2ApiError } from "./errors/api-error.js";

/** What the toolkit's facades need from a client; `Dhis2Client` satisfies it. */
export interface FacadeHttp {
  request<T extends object = Record<string, unknown>>(
    method: string,
    path: string,
    options?: RequestOptions & { body?: unknown },
  ): Promise<T>;
  fetchResponse(
    method: string,
    path: string,
    options?: RequestOptions & { body?: unknown },
  ): Promise<Response>;
}

/** Options every facade call takes. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** The error code of a DHIS2 WebMessage error (`E4307`), if any. */
export function errorCodeOf(err: unknown): string | undefined {
  if (!(err instanceof Dhis2ApiError)) return undefined;
  const body = err.body as { errorCode?: unknown } | undefined;
  return typeof body?.errorCode === "string" ? body.errorCode : undefined;
}

export const enc = encodeURIComponent;
