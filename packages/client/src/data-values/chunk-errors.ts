import { Dhis2ClientError } from "../errors.js";
import { errorBody } from "./transport.js";

/**
 * Turns the failure of one chunk into an error that says what to change, for the failures whose
 * fix is an import option:
 *
 * - HTTP 413: the body was over a limit (usually the proxy's `client_max_body_size`) -> a smaller
 *   `chunkSize`.
 * - E8002 (2.43+): no `dataSet` was given and the rows' data elements belong to more than one
 *   data set, so DHIS2 cannot infer it (dhis2-core `DefaultDataEntryService.autoTargetDataSet`)
 *   -> pass `dataSet`.
 *
 * Anything else comes back unchanged.
 */
export function explainChunkError(error: unknown, rows: number, chunkSize: number): Error {
  const base = error instanceof Error ? error : new Error(String(error));
  const answered = errorBody(error);
  if (answered?.status === 413) {
    return new Dhis2ClientError(
      `dataValues.import: the server or a proxy in front of it refused a chunk of ${rows} rows as too large (HTTP 413); pass a smaller chunkSize (now ${chunkSize})`,
      { cause: base },
    );
  }
  const body = answered?.body;
  if (body && typeof body === "object" && (body as { errorCode?: unknown }).errorCode === "E8002") {
    const message = (body as { message?: unknown }).message;
    return new Dhis2ClientError(
      `dataValues.import: DHIS2 could not tell which data set the values belong to (E8002: ${String(message ?? "found multiple sets")}); pass the data set's UID as the dataSet option`,
      { cause: base },
    );
  }
  return base;
}
