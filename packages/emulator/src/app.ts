/**
 * The emulator's application core: `EmulatorApp.handle(request: Request): Promise<Response>`,
 * with no transport of its own. The `node:http` server (`server.ts`), `emu.fetch`
 * (`fetch-adapter.ts`) and the browser / Service Worker entry (`browser.ts`) are thin adapters
 * around it. The plug-in contract (modules, routes, `Ctx` helpers, state) is in the package
 * README, "Extending the emulator".
 */

import type { VersionKey } from "@dhis2w/client";
import { AuthChain } from "./auth.js";
import { StreamMeter } from "./body-stream.js";
import { utf8 } from "./bytes.js";
import type { Clock } from "./clock.js";
import { corsFor } from "./cors.js";
import { Ctx, Exchange } from "./ctx.js";
import { Faults, type RequestRecord, Stats } from "./faults.js";
import { STATUS_TEXT } from "./http-status.js";
import { type Method, normalizePath, Router } from "./router.js";
import type { DemoIds } from "./seed/demo.js";
import { EmulatorState } from "./state.js";
import { HttpError, reasonPhrase, tomcatErrorPage, webMessageBody } from "./web-message.js";

/** A route handler. Returning a value sends it as JSON 200 unless the handler already answered. */
export type Handler = (ctx: Ctx) => unknown;

/** Per-route options. */
export interface RouteOptions {
  /** Require an authenticated user (default: true under `/api/`, false elsewhere). */
  auth?: boolean;
  /** Breaks ties with equally specific routes (default 0; higher wins). */
  priority?: number;
}

/** A hook run before routing; return true when it answered the request. */
export type BeforeHook = (ctx: Ctx) => boolean | undefined | Promise<boolean | undefined>;

/** An emulator plug-in (see the contract above). */
export interface EmulatorModule {
  readonly name: string;
  install(app: EmulatorApp): void | Promise<void>;
}

/** Typed slots modules attach their runtime objects to (augment it with `declare module`). */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by modules through declaration merging
export interface EmulatorExtensions {}

/** Options of the app core. */
export interface AppOptions {
  version: VersionKey;
  /** Overrides the `version` string `/api/system/info` reports (e.g. "2.41-SNAPSHOT"). */
  versionString?: string;
  clock: Clock;
  /** Largest accepted request body; larger ones get 413 (default 64 MiB). */
  maxBodyBytes: number;
  /** Longest accepted request target (path + query); longer ones get 414 (default 8192). */
  maxUrlLength: number;
  /** Where `/` redirects; default the login app on this server (`/dhis-web-login/`). */
  redirectRootTo?: string;
  /** How many request records `stats.requests()` keeps (default 10,000); counts stay exact. */
  maxRequestRecords?: number;
}

/** The app: router + state + auth + faults + stats. One per emulator. */
export class EmulatorApp {
  readonly options: AppOptions;
  readonly state: EmulatorState;
  readonly router = new Router<{ handler: Handler }>();
  readonly auth = new AuthChain();
  readonly faults = new Faults();
  readonly stats: Stats;
  /** Byte counters of streamed answers (back-pressure at work; see {@link StreamMeter}). */
  readonly streams = new StreamMeter();
  readonly extensions: EmulatorExtensions = {};
  /** Which seed filled the state (modules that grow the demo seed check for "demo"). */
  seedName: "demo" | "empty" = "empty";
  /** Ids of the demo seed's objects when `seedName` is "demo". */
  demo: DemoIds | undefined;
  /** Errors thrown by handlers (answered as 500), newest last: for debugging tests. */
  readonly errors: unknown[] = [];
  readonly #before: BeforeHook[] = [];
  readonly #onClose: (() => void | Promise<void>)[] = [];

  constructor(options: AppOptions) {
    this.options = options;
    this.stats = new Stats(
      options.maxRequestRecords !== undefined ? { maxRecords: options.maxRequestRecords } : {},
    );
    this.state = new EmulatorState({
      version: options.version,
      clock: options.clock,
      ...(options.versionString !== undefined ? { versionString: options.versionString } : {}),
    });
  }

  /** Registers a route for one method (or `"*"` for all). */
  route(method: Method | "*", pattern: string, handler: Handler, opts?: RouteOptions): void {
    this.router.add(method, pattern, { handler }, opts?.auth, opts?.priority ?? 0);
  }

  get(pattern: string, handler: Handler, opts?: RouteOptions): void {
    this.route("GET", pattern, handler, opts);
  }
  post(pattern: string, handler: Handler, opts?: RouteOptions): void {
    this.route("POST", pattern, handler, opts);
  }
  put(pattern: string, handler: Handler, opts?: RouteOptions): void {
    this.route("PUT", pattern, handler, opts);
  }
  patch(pattern: string, handler: Handler, opts?: RouteOptions): void {
    this.route("PATCH", pattern, handler, opts);
  }
  delete(pattern: string, handler: Handler, opts?: RouteOptions): void {
    this.route("DELETE", pattern, handler, opts);
  }

  /** Adds a hook run before routing (after faults and authentication). */
  before(hook: BeforeHook): void {
    this.#before.push(hook);
  }

  /** Adds a shutdown callback. */
  onClose(fn: () => void | Promise<void>): void {
    this.#onClose.push(fn);
  }

  /** Runs the shutdown callbacks. @internal */
  async runCloseHooks(): Promise<void> {
    for (const fn of this.#onClose) await fn();
  }

  /**
   * Answers one request: the transport-free core every adapter calls. Resolves as soon as the
   * answer's status and headers are known; a streamed body keeps flowing (and waiting on its
   * reader) afterwards. A fault that drops the connection resolves to `Response.error()` (type
   * `"error"`), which the adapters turn into a reset socket or a rejected `fetch`. The request's
   * `signal` says the client went away (a delay fault then ends early).
   *
   * @example
   * const res = await app.handle(new Request("http://emulator.invalid/api/system/ping"));
   * await res.text(); // "pong"
   */
  async handle(request: Request): Promise<Response> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return rawResponse("GET", 400, "text/plain", "Bad request target");
    }
    const norm = normalizePath(url.pathname);
    const method = request.method.toUpperCase();
    const record: RequestRecord = this.stats.record({
      method,
      path: norm.path,
      rawPath: url.pathname,
      query: url.search,
      status: 0,
    });
    const done = (response: Response): Response => {
      record.status = response.status;
      return response;
    };

    if (url.pathname.length + url.search.length > this.options.maxUrlLength) {
      // What nginx in front of DHIS2 answers (QUIRKS: long GET URLs fail with 414).
      return done(rawResponse(method, 414, "text/html", nginxPage(414, "Request-URI Too Large")));
    }
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > this.options.maxBodyBytes) {
      const page = nginxPage(413, "Request Entity Too Large");
      return done(rawResponse(method, 413, "text/html", page, { Connection: "close" }));
    }

    const fault = this.faults.take(method, norm.path, url.pathname);
    if (fault) {
      if (fault.delayMs !== undefined) {
        await delay(fault.delayMs, request.signal);
        if (request.signal.aborted) return Response.error();
      }
      if (fault.drop) return Response.error();
      if (fault.status !== undefined) {
        const headers: Record<string, string> = { ...fault.headers };
        if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
        if (fault.body !== undefined) {
          const type = fault.contentType ?? "text/plain;charset=UTF-8";
          return done(rawResponse(method, fault.status, type, fault.body, headers));
        }
        const body = JSON.stringify(webMessageBody(fault.status, reasonPhrase(fault.status)));
        return done(rawResponse(method, fault.status, "application/json;charset=UTF-8", body, headers));
      }
    }

    // DHIS2's CORS filter runs before authentication (a preflight carries no credentials).
    const cors = corsFor(this.state, request, url);
    if (cors.kind === "answered") return done(cors.response);
    const exchange = new Exchange(request);
    exchange.onComplete = (status) => {
      record.status = status;
    };
    if (cors.kind === "allowed") for (const [k, v] of cors.headers) exchange.baseHeaders.set(k, v);
    const ctx = new Ctx(this, exchange, url, norm);
    const handled = (async () => {
      try {
        await this.#dispatch(ctx, norm.isApi);
      } catch (e) {
        this.#answerError(ctx, e);
      }
      if (!ctx.responded) ctx.webMessage(500, `No answer to ${method} ${url.pathname}`);
    })();
    if (fault?.dropAfterHandling) {
      // The request is applied, then the connection goes before the answer is read.
      const response = await exchange.answered;
      await response.body?.cancel().catch(() => {});
      await handled;
      record.status = 0;
      return Response.error();
    }
    return Promise.race([exchange.answered, handled.then(() => exchange.answered)]);
  }

  async #dispatch(ctx: Ctx, isApi: boolean): Promise<void> {
    const match = this.router.match(ctx.method, ctx.path);
    const needsAuth = match.kind === "found" ? (match.route.auth ?? isApi) : isApi;
    const outcome = await this.auth.authenticate(ctx);
    if (outcome.kind === "user") {
      ctx.user = outcome.user;
      ctx.authScheme = outcome.scheme;
    } else if (needsAuth) {
      const rejected = outcome.kind === "rejected";
      ctx.webMessage(401, rejected ? outcome.message : "Unauthorized", undefined, {
        "WWW-Authenticate": rejected ? outcome.challenge : 'Basic realm="DHIS2"',
      });
      return;
    }

    for (const hook of this.#before) {
      if ((await hook(ctx)) || ctx.responded) return;
    }
    await this.#route(ctx, isApi, match);
  }

  /**
   * Answers `from`'s request as if it had been sent to `target` (a path with query, e.g.
   * `/api/dataElements?filter=...`) by the same user: Spring's `forward:` (dhis2-core
   * `QueryController` forwards `/api/query/alias/{id}` to the aliased URL this way).
   */
  async forward(from: Ctx, target: string): Promise<void> {
    const url = new URL(target, from.url);
    const norm = normalizePath(url.pathname);
    const ctx = new Ctx(this, from.exchange, url, norm);
    ctx.user = from.user;
    ctx.authScheme = from.authScheme;
    try {
      await this.#route(ctx, norm.isApi, this.router.match(ctx.method, ctx.path));
    } catch (e) {
      this.#answerError(ctx, e);
    }
  }

  async #route(ctx: Ctx, isApi: boolean, match: ReturnType<Router<{ handler: Handler }>["match"]>) {
    if (match.kind === "not-found") {
      if (isApi) ctx.webMessage(404, `No endpoint ${ctx.method} ${ctx.rawPath}`);
      else ctx.tomcatError(404);
      return;
    }
    if (match.kind === "method-not-allowed") {
      const allow = match.allow.includes("GET") ? [...match.allow, "HEAD"] : [...match.allow];
      ctx.webMessage(405, `Request method '${ctx.method}' is not supported`, undefined, {
        Allow: allow.join(", "),
      });
      return;
    }
    ctx.params = match.params;
    const result = await match.route.handler.handler(ctx);
    if (!ctx.responded) {
      if (result !== undefined) ctx.json(200, result);
      else throw new Error(`Handler for ${ctx.method} ${match.route.pattern} sent no answer`);
    }
  }

  #answerError(ctx: Ctx, e: unknown): void {
    if (ctx.responded) {
      ctx.exchange.fail(e);
      if (!(e instanceof HttpError)) this.errors.push(e);
      return;
    }
    if (e instanceof HttpError) {
      ctx.webMessage(e.status, e.message, e.extra, e.headers);
      return;
    }
    this.errors.push(e);
    const message = e instanceof Error ? e.message : String(e);
    ctx.webMessage(500, message);
  }
}

/** An answer outside any handler (proxy pages, faults). */
function rawResponse(
  method: string,
  status: number,
  contentType: string,
  body: string,
  headers?: Record<string, string>,
): Response {
  const bytes = utf8(body);
  const h = new Headers({ ...headers, "Content-Type": contentType, "Content-Length": String(bytes.length) });
  const payload = method === "HEAD" ? null : (bytes as Uint8Array<ArrayBuffer>);
  return new Response(payload, { status, statusText: STATUS_TEXT[status] ?? "", headers: h });
}

/** Waits `ms`, or less when the client goes away first (so shutdown is not held up). */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

function nginxPage(status: number, title: string): string {
  return `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

export { tomcatErrorPage };
