import { STATUS_TEXT } from "./http-status.js";

/**
 * DHIS2's error and status envelope. Shape from dhis2-core `org.hisp.dhis.dxf2.webmessage.WebMessage`
 * (`httpStatus` is the reason phrase, `status` is OK / WARNING / ERROR); `null` members are left
 * out on the wire, as Jackson does there.
 */
export interface WebMessage {
  httpStatus: string;
  httpStatusCode: number;
  status: "OK" | "WARNING" | "ERROR";
  message?: string;
  errorCode?: string;
  devMessage?: string;
  response?: unknown;
  [key: string]: unknown;
}

/** The reason phrase DHIS2 puts in `httpStatus` ("Not Found", "Conflict", ...). */
export function reasonPhrase(status: number): string {
  // Spring's HttpStatus names differ from Node's table in a few places.
  if (status === 413) return "Payload Too Large";
  if (status === 422) return "Unprocessable Entity";
  return STATUS_TEXT[status] ?? "Unknown";
}

/**
 * Builds a WebMessage. `status` defaults to OK below 400 and ERROR from 400 up; `extra` can set
 * `status: "WARNING"`, `errorCode`, `response`, ...
 *
 * @example
 * webMessageBody(404, "DataElement with id x could not be found.", { errorCode: "E1005" });
 */
export function webMessageBody(
  httpStatusCode: number,
  message?: string,
  extra?: Partial<WebMessage>,
): WebMessage {
  const body: WebMessage = {
    httpStatus: reasonPhrase(httpStatusCode),
    httpStatusCode,
    status: httpStatusCode >= 400 ? "ERROR" : "OK",
  };
  if (message !== undefined) body.message = message;
  if (extra) {
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) body[k] = v;
  }
  return body;
}

/**
 * Thrown by a handler (or by `ctx.readJson()`) to answer with a WebMessage. The dispatcher turns
 * it into the response, so handlers can bail out from deep helpers.
 *
 * @example
 * throw new HttpError(409, "Property `code` with value `X` ... already exists", { errorCode: "E5003" });
 */
export class HttpError extends Error {
  override readonly name = "HttpError" as const;
  readonly status: number;
  readonly extra: Partial<WebMessage> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    status: number,
    message: string,
    extra?: Partial<WebMessage>,
    headers?: Record<string, string>,
  ) {
    super(message);
    this.status = status;
    this.extra = extra;
    this.headers = headers;
  }
}

/**
 * Apache Tomcat's error page, which DHIS2 answers outside its API controllers (unknown non-API
 * paths, and `/api/analytics/rawData` without a `.json` suffix; see QUIRKS.md).
 */
export function tomcatErrorPage(status: number): string {
  const reason = reasonPhrase(status);
  const description =
    status === 404
      ? "The origin server did not find a current representation for the target resource or is not willing to disclose that one exists."
      : "The server cannot or will not process the request.";
  return (
    `<!doctype html><html lang="en"><head><title>HTTP Status ${status} – ${reason}</title>` +
    `<style type="text/css">body {font-family:Tahoma,Arial,sans-serif;} h1 {font-size:22px;} ` +
    `.line {height:1px;background-color:#525D76;border:none;}</style></head><body>` +
    `<h1>HTTP Status ${status} – ${reason}</h1><hr class="line" /><p><b>Type</b> Status Report</p>` +
    `<p><b>Description</b> ${description}</p><hr class="line" /><h3>Apache Tomcat/9.0.91</h3></body></html>`
  );
}
