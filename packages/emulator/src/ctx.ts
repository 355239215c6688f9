import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorApp } from "./app.js";
import type { NormalizedPath } from "./router.js";
import type { EmulatorState } from "./state.js";
import type { EmulatorUser } from "./users.js";
import { HttpError, tomcatErrorPage, type WebMessage, webMessageBody } from "./web-message.js";

/** Content type DHIS2 sends with JSON (Spring's `APPLICATION_JSON_UTF8`). */
export const JSON_TYPE = "application/json;charset=UTF-8";

/** A chunked response in progress (see {@link Ctx.stream}). */
export interface ResponseStream {
  /** Writes a chunk, waiting for the socket to drain when its buffer is full. */
  write(chunk: string | Uint8Array): Promise<void>;
  end(): Promise<void>;
  readonly raw: ServerResponse;
}

/**
 * One request. Handlers read the request from it and answer through its helpers (or by throwing
 * an {@link HttpError}). Exactly one answer per request; later ones are ignored.
 */
export class Ctx {
  readonly app: EmulatorApp;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
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
  readonly headers: IncomingHttpHeaders;
  /** The authenticated user, or undefined (anonymous route, or before authentication). */
  user: EmulatorUser | undefined;
  /** How the user authenticated. */
  authScheme: "basic" | "apiToken" | "bearer" | undefined;
  /** The absolute URL of this request, built from the Host header. */
  readonly url: URL;
  #body: Promise<Buffer> | undefined;
  #responded = false;

  constructor(app: EmulatorApp, req: IncomingMessage, res: ServerResponse, url: URL, norm: NormalizedPath) {
    this.app = app;
    this.req = req;
    this.res = res;
    this.method = (req.method ?? "GET").toUpperCase();
    this.url = url;
    this.rawPath = url.pathname;
    this.path = norm.path;
    this.apiVersion = norm.apiVersion;
    this.ext = norm.ext;
    this.query = url.searchParams;
    this.headers = req.headers;
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
    return this.#responded || this.res.headersSent;
  }

  /** One header value (the first when repeated). */
  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  // ---- request body -------------------------------------------------------------------------

  /** The raw body, read once and cached; over `maxBodyBytes` it answers 413. */
  body(): Promise<Buffer> {
    this.#body ??= readBody(this.req, this.app.options.maxBodyBytes);
    return this.#body;
  }

  /** The body as UTF-8 text. */
  async bodyText(): Promise<string> {
    return (await this.body()).toString("utf8");
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

  #begin(status: number, headers: Record<string, string | number | readonly string[]>): boolean {
    if (this.responded) return false;
    this.#responded = true;
    this.res.statusCode = status;
    for (const [k, v] of Object.entries(headers)) this.res.setHeader(k, v);
    return true;
  }

  #send(
    status: number,
    contentType: string,
    payload: string | Buffer,
    headers?: Record<string, string>,
  ): void {
    const buf = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
    if (!this.#begin(status, { "Content-Type": contentType, "Content-Length": buf.length, ...headers }))
      return;
    this.res.end(this.method === "HEAD" ? undefined : buf);
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
  bytes(status: number, body: Buffer, contentType: string, headers?: Record<string, string>): void {
    this.#send(status, contentType, body, headers);
  }

  /** Answers with no body (204, 304...). */
  empty(status = 204, headers?: Record<string, string>): void {
    if (!this.#begin(status, { ...headers })) return;
    this.res.end();
  }

  /** A redirect (302 unless told otherwise). */
  redirect(location: string, status = 302): void {
    if (!this.#begin(status, { Location: location, "Content-Length": 0 })) return;
    this.res.end();
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
   * Starts a chunked response for large bodies; write chunks, then `end()`.
   *
   * @example
   * const out = ctx.stream(200, "text/csv");
   * for (const row of rows) await out.write(row + "\n");
   * await out.end();
   */
  stream(status: number, contentType: string, headers?: Record<string, string>): ResponseStream {
    const res = this.res;
    this.#begin(status, { "Content-Type": contentType, ...headers });
    const head = this.method === "HEAD";
    return {
      raw: res,
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          if (head) return resolve();
          if (res.destroyed) return reject(new Error("The client closed the connection"));
          if (res.write(chunk)) resolve();
          else {
            const onDrain = () => {
              res.off("close", onClose);
              resolve();
            };
            const onClose = () => {
              res.off("drain", onDrain);
              reject(new Error("The client closed the connection"));
            };
            res.once("drain", onDrain);
            res.once("close", onClose);
          }
        }),
      end: () => new Promise<void>((resolve) => res.end(resolve)),
    };
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > max) {
        failed = true;
        reject(new HttpError(413, `Request body larger than ${max} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on("error", (e) => {
      if (!failed) reject(e);
    });
  });
}
