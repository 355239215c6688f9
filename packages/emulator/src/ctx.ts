import type { EmulatorApp } from "./app.js";
import { type PushStream, pushStream, type ResponseStream } from "./body-stream.js";
import { concatBytes, fromUtf8, utf8 } from "./bytes.js";
import { STATUS_TEXT } from "./http-status.js";
import type { NormalizedPath } from "./router.js";
import type { EmulatorState } from "./state.js";
import type { EmulatorUser } from "./users.js";
import { HttpError, tomcatErrorPage, type WebMessage, webMessageBody } from "./web-message.js";

export type { ResponseStream } from "./body-stream.js";

/** Content type DHIS2 sends with JSON (Spring's `APPLICATION_JSON_UTF8`). */
export const JSON_TYPE = "application/json;charset=UTF-8";

/** Statuses whose answers carry no body (the `Response` constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * One request and its one answer, shared by a {@link Ctx} and the contexts forwarded from it
 * (`app.forward`). The first answer wins; `answered` resolves with it. @internal
 */
export class Exchange {
  readonly request: Request;
  /** Headers every answer carries (CORS), set before routing. */
  readonly baseHeaders = new Headers();
  /** Called with the status once the answer is complete (the request stats read it). */
  onComplete: (status: number) => void = () => {};
  #body: Promise<Uint8Array> | undefined;
  #response: Response | undefined;
  #stream: PushStream | undefined;
  #resolve!: (r: Response) => void;
  readonly answered: Promise<Response>;

  constructor(request: Request) {
    this.request = request;
    this.answered = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get responded(): boolean {
    return this.#response !== undefined;
  }

  body(max: number): Promise<Uint8Array> {
    this.#body ??= readBody(this.request, max);
    return this.#body;
  }

  /** Records the answer; false when there already was one. */
  answer(response: Response, stream?: PushStream): boolean {
    if (this.#response) return false;
    this.#response = response;
    this.#stream = stream;
    this.#resolve(response);
    return true;
  }

  /** An error after a streamed answer started: the consumer sees the body break. */
  fail(error: unknown): void {
    this.#stream?.fail(error);
  }
}

/**
 * One request. Handlers read the request from it and answer through its helpers (or by throwing
 * an {@link HttpError}). Exactly one answer per request; later ones are ignored. The request is a
 * WHATWG `Request` and the answer a `Response`, whatever carried them (socket, `emu.fetch`,
 * Service Worker).
 */
export class Ctx {
  readonly app: EmulatorApp;
  /** The request as received. */
  readonly request: Request;
  /** Upper-case method (`GET`, ...). */
  readonly method: string;
  /** The normalised path routes match against (`/api/42/me.json` -> `/api/me`). */
  readonly path: string;
  /** The pathname as sent, before normalisation. */
  readonly rawPath: string;
  /** Numeric API version from `/api/<n>/...`, if present. */
  readonly apiVersion: number | undefined;
  /** Format extension stripped from the last API path segment (`json`, `csv`, ...). */
  readonly ext: string | undefined;
  /** Path parameters of the matched route (`:id`, `*rest`), URL-decoded. */
  params: Record<string, string> = {};
  /** The query string; use `getAll("filter")` for repeated keys. */
  readonly query: URLSearchParams;
  /** The request headers. */
  readonly headers: Headers;
  /** The authenticated user, or undefined (anonymous route, or before authentication). */
  user: EmulatorUser | undefined;
  /** How the user authenticated. */
  authScheme: "basic" | "apiToken" | "bearer" | undefined;
  /** The absolute URL of this request (over HTTP built from the Host header). */
  readonly url: URL;
  readonly #exchange: Exchange;

  /** @internal Built by the app for each request (and for each `forward`). */
  constructor(app: EmulatorApp, exchange: Exchange, url: URL, norm: NormalizedPath) {
    this.app = app;
    this.#exchange = exchange;
    this.request = exchange.request;
    this.method = exchange.request.method.toUpperCase();
    this.url = url;
    this.rawPath = url.pathname;
    this.path = norm.path;
    this.apiVersion = norm.apiVersion;
    this.ext = norm.ext;
    this.query = url.searchParams;
    this.headers = exchange.request.headers;
  }

  /** @internal The exchange this context answers (shared with forwarded contexts). */
  get exchange(): Exchange {
    return this.#exchange;
  }

  /** The emulator's state (users, tokens, settings, metadata). */
  get state(): EmulatorState {
    return this.app.state;
  }

  /** Scheme + host the client used (`http://127.0.0.1:8080`), for absolute links like `pager.nextPage`. */
  get origin(): string {
    return this.url.origin;
  }

  /** True once an answer has been started. */
  get responded(): boolean {
    return this.#exchange.responded;
  }

  /** One header value (repeated ones joined by ", "). */
  header(name: string): string | undefined {
    return this.headers.get(name) ?? undefined;
  }

  // ---- request body -------------------------------------------------------------------------

  /** The raw body, read once and cached; over `maxBodyBytes` it answers 413. */
  body(): Promise<Uint8Array> {
    return this.#exchange.body(this.app.options.maxBodyBytes);
  }

  /** The body as UTF-8 text. */
  async bodyText(): Promise<string> {
    return fromUtf8(await this.body());
  }

  /**
   * The body parsed as JSON. An empty body or malformed JSON throws an HttpError(400) whose
   * message says what and where, like DHIS2's "JSON parse error: ...".
   */
  async readJson<T = unknown>(): Promise<T> {
    const text = await this.bodyText();
    if (text.trim() === "") throw new HttpError(400, "Required request body is missing");
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      throw new HttpError(400, `JSON parse error: ${detail}`);
    }
  }

  // ---- responses ------------------------------------------------------------------------------

  #headers(extra: Record<string, string> | undefined): Headers {
    const h = new Headers(this.#exchange.baseHeaders);
    for (const [k, v] of Object.entries(extra ?? {})) h.set(k, v);
    return h;
  }

  #respond(status: number, body: Uint8Array | null, headers: Headers): void {
    if (this.responded) return;
    const init = { status, statusText: STATUS_TEXT[status] ?? "", headers };
    const payload = this.method === "HEAD" || NULL_BODY.has(status) ? null : body;
    if (this.#exchange.answer(new Response(payload as Uint8Array<ArrayBuffer> | null, init)))
      this.#exchange.onComplete(status);
  }

  #send(status: number, contentType: string, payload: string | Uint8Array, headers?: Record<string, string>) {
    const bytes = typeof payload === "string" ? utf8(payload) : payload;
    const h = this.#headers({ "Content-Type": contentType, ...headers });
    h.set("Content-Length", String(bytes.length));
    this.#respond(status, bytes, h);
  }

  /** Answers JSON (any JSON value: objects, arrays, bare `true`). */
  json(status: number, body: unknown, headers?: Record<string, string>): void {
    this.#send(status, JSON_TYPE, JSON.stringify(body), headers);
  }

  /** Answers text (default content type `text/plain`). */
  text(
    status: number,
    body: string,
    contentType = "text/plain;charset=UTF-8",
    headers?: Record<string, string>,
  ): void {
    this.#send(status, contentType, body, headers);
  }

  /** Answers HTML. */
  html(status: number, body: string, headers?: Record<string, string>): void {
    this.#send(status, "text/html;charset=UTF-8", body, headers);
  }

  /** Answers bytes with a content type. */
  bytes(status: number, body: Uint8Array, contentType: string, headers?: Record<string, string>): void {
    this.#send(status, contentType, body, headers);
  }

  /** Answers with no body (204, 304...). */
  empty(status = 204, headers?: Record<string, string>): void {
    this.#respond(status, null, this.#headers(headers));
  }

  /** A redirect (302 unless told otherwise): a real 3xx answer, never followed here. */
  redirect(location: string, status = 302): void {
    this.#respond(status, null, this.#headers({ Location: location, "Content-Length": "0" }));
  }

  /**
   * Answers DHIS2's WebMessage `{ httpStatus, httpStatusCode, status, message, ...extra }`.
   *
   * @example
   * ctx.webMessage(409, "Conflict", { status: "WARNING", response: importSummary });
   */
  webMessage(
    status: number,
    message?: string,
    extra?: Partial<WebMessage>,
    headers?: Record<string, string>,
  ): void {
    this.json(status, webMessageBody(status, message, extra), headers);
  }

  /**
   * DHIS2's 404 for a missing object: `"<Type> with id <uid> could not be found."`, `E1005`
   * (dhis2-core `ErrorCode.E1005` via `NotFoundException`).
   *
   * @example
   * return ctx.notFound("DataElement", uid);
   */
  notFound(type: string, uid: string): void {
    this.webMessage(404, `${type} with id ${uid} could not be found.`, { errorCode: "E1005" });
  }

  /** Tomcat's HTML error page (non-API paths). */
  tomcatError(status = 404): void {
    this.html(status, tomcatErrorPage(status));
  }

  /**
   * Starts a streamed answer (no Content-Length; chunked over HTTP) for large bodies: each
   * `write` waits while the consumer is behind, so memory stays flat. Write chunks, then `end()`.
   *
   * @example
   * const out = ctx.stream(200, "text/csv");
   * for (const row of rows) await out.write(row + "\n");
   * await out.end();
   */
  stream(status: number, contentType: string, headers?: Record<string, string>): ResponseStream {
    const h = this.#headers({ "Content-Type": contentType, ...headers });
    const init = { status, statusText: STATUS_TEXT[status] ?? "", headers: h };
    if (this.method === "HEAD") {
      if (this.#exchange.answer(new Response(null, init))) this.#exchange.onComplete(status);
      return { write: async () => {}, end: async () => {} };
    }
    const push = pushStream(this.app.streams, () => this.#exchange.onComplete(status));
    if (!this.#exchange.answer(new Response(push.stream, init), push)) {
      return { write: async () => {}, end: async () => {} };
    }
    return push.sink;
  }
}

/** Reads a request body up to `max` bytes; past it, an HttpError(413) and the rest is left unread. */
async function readBody(request: Request, max: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      // Cancelling tells the adapter to discard the rest (the socket stays usable for the 413).
      void reader.cancel().catch(() => {});
      throw new HttpError(413, `Request body larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}
