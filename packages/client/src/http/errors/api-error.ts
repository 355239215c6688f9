import { WebMessageResponse } from "../../envelopes/web-message.js";
import { Dhis2ClientError } from "../../errors.js";

/** What the pipeline knows about a failed response. */
export interface Dhis2ApiErrorInit {
  readonly statusCode: number;
  /** The server's own words (a WebMessage `message`, or a readable digest of an HTML page). */
  readonly serverMessage: string;
  /** The parsed JSON body, or the text body when it was not JSON; secrets already redacted. */
  readonly body: unknown;
  readonly method: string;
  /** The request URL with secret query parameters redacted. */
  readonly url: string;
}

/**
 * DHIS2 answered with a status >= 400. `message` reads
 * `"<server message> (GET https://host/api/... -> HTTP 404)"`; `serverMessage` is the first part.
 *
 * @example
 * ```ts
 * try { await client.getRaw("/api/dataElements/nope"); }
 * catch (e) { if (e instanceof Dhis2ApiError) console.log(e.statusCode, e.webMessage?.message); }
 * ```
 */
export class Dhis2ApiError extends Dhis2ClientError {
  override readonly name: string = "Dhis2ApiError";
  readonly statusCode: number;
  readonly serverMessage: string;
  readonly body: unknown;
  readonly method: string;
  readonly url: string;
  #webMessage: WebMessageResponse | null | undefined;

  constructor(init: Dhis2ApiErrorInit, options?: ErrorOptions) {
    super(`${init.serverMessage} (${init.method} ${init.url} -> HTTP ${init.statusCode})`, options);
    this.statusCode = init.statusCode;
    this.serverMessage = init.serverMessage;
    this.body = init.body;
    this.method = init.method;
    this.url = init.url;
  }

  /** The body as a {@link WebMessageResponse}, parsed on first access; `undefined` when it is not one. */
  get webMessage(): WebMessageResponse | undefined {
    if (this.#webMessage === undefined) this.#webMessage = WebMessageResponse.safeParse(this.body) ?? null;
    return this.#webMessage ?? undefined;
  }
}
