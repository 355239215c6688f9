/**
 * The emulator's application core and its plug-in contract.
 *
 * ## Plug-in contract (stable; modules in `src/metadata/**`, `src/oauth2/**` build on it)
 *
 * **Module.** A module is `{ name: string; install(app: EmulatorApp): void | Promise<void> }`,
 * listed in `src/modules.ts` (`MODULES`); `startEmulator` installs them in list order, after the
 * core routes and after seeding `app.state`, so `install` can read the seed.
 *
 * **Routes.** `app.get/post/put/patch/delete(pattern, handler, { auth? })` or
 * `app.route(method | "*", pattern, handler, opts)`. Patterns: literals, `:param` (one segment),
 * `*rest` (one or more trailing segments, joined by `/`), e.g. `/api/:resource/:id`,
 * `/api/dataSets/:id/organisationUnits/:ou`, `/api/files/*path`. The most specific route wins
 * (segment by segment: literal > `:param` > `*rest`); among equally specific routes the higher
 * `priority` option wins (default 0; the core's own `/api/apiToken` routes use 1 so they beat the
 * generic metadata CRUD for that resource), then the one registered last (so modules and tests
 * can shadow a route). Paths are normalised before
 * matching: `/api/42/x` -> `/api/x` (`ctx.apiVersion` = 42), a format extension on the last API
 * segment is stripped (`/api/dataElements.json` -> `/api/dataElements`, `ctx.ext` = "json"), a
 * trailing slash under `/api` is dropped; non-API paths are matched as sent (so `/oauth2/token`
 * and `/oauth2/token/` are different routes). Auth: required by default under `/api/`, not
 * elsewhere; pass `{ auth: false }` / `{ auth: true }` to override. An unauthenticated request to
 * an auth route gets DHIS2's 401 WebMessage with `WWW-Authenticate`; unknown `/api/...` paths get
 * a JSON 404 WebMessage, other unknown paths Tomcat's HTML 404; a known path with another method
 * gets 405.
 *
 * **Handlers** get a {@link Ctx}: `method`, `path` (normalised), `rawPath`, `params`, `query`
 * (URLSearchParams: `query.getAll("filter")`), `headers`, `header(name)`, `url`, `origin`
 * (for absolute links such as `pager.nextPage`), `user` (EmulatorUser | undefined), `authScheme`,
 * `state` (EmulatorState), `app`. Request body: `await ctx.body()` (Buffer), `ctx.bodyText()`,
 * `ctx.readJson<T>()` (400 WebMessage on an empty body or malformed JSON; 413 over
 * `maxBodyBytes`). Answers: `ctx.json(status, body, headers?)`, `ctx.text(status, body,
 * contentType?, headers?)`, `ctx.html(status, body)`, `ctx.bytes(...)`, `ctx.empty(204)`,
 * `ctx.redirect(location, 302)`, `ctx.webMessage(status, message?, extra?, headers?)` (DHIS2's
 * `{ httpStatus, httpStatusCode, status, message, ...extra }`; `extra` may set `status:
 * "WARNING"`, `errorCode`, `response`), `ctx.notFound(type, uid)` (404, `"<Type> with id <uid>
 * could not be found."`, E1005), `ctx.tomcatError(404)`, `ctx.stream(status, contentType)`
 * (chunked writes with backpressure). A handler may instead `throw new HttpError(status, message,
 * extra?)` from anywhere, or return a value (sent as JSON 200 when nothing was sent).
 *
 * **State.** `app.state.metadata` is a `MetadataStore` (`get(plural, id)`, `put(plural, obj)`,
 * `delete(plural, id)`, `list(plural)`, `count(plural)`, `bucket(plural)`, `typesOf(id)`,
 * `plurals()`, `all()`), keyed by the resource plural (`dataElements`, `organisationUnits`, ...);
 * objects are stored in DHIS2's wire shape. Also `state.users` (UserStore), `state.tokens`
 * (PATs), `state.settings` (Map), `state.version` ("v42"), `state.versionString`, `state.clock`,
 * `state.timestamp()` (DHIS2 wire timestamp of "now").
 *
 * **Auth hook.** `app.auth.addBearerValidator((token, ctx) => user | undefined)`: the OAuth2
 * module validates `Authorization: Bearer` with it. Users: `state.users.byUsername/byId/byOpenId`.
 *
 * **Extras.** `app.before(hook)` runs a hook before routing (return true when it answered);
 * `app.onClose(fn)` runs at shutdown; `app.forward(ctx, "/api/...?...")` answers a request as if
 * it had been sent to another API path by the same user (Spring's `forward:`, used by query aliases); `app.extensions` is a typed bag modules augment:
 * `declare module "../app.js" { interface EmulatorExtensions { oauth2?: MyServer } }`.
 *
 * @example
 * export const myModule: EmulatorModule = {
 *   name: "hello",
 *   install(app) {
 *     app.get("/api/hello/:name", (ctx) => ctx.json(200, { hello: ctx.params.name }));
 *   },
 * };
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AuthChain } from "./auth.js";
import type { Clock } from "./clock.js";
import { Ctx } from "./ctx.js";
import { Faults, type RequestRecord, Stats } from "./faults.js";
import { type Method, normalizePath, Router } from "./router.js";
import type { DemoIds } from "./seed/demo.js";
import { EmulatorState } from "./state.js";
import type { VersionKey } from "./versions.js";
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

  /** Handles one HTTP request (the `node:http` request listener). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? "127.0.0.1";
    let url: URL;
    try {
      url = new URL(req.url ?? "/", `http://${host}`);
    } catch {
      res.writeHead(400, { "Content-Type": "text/plain" }).end("Bad request target");
      return;
    }
    const norm = normalizePath(url.pathname);
    const method = (req.method ?? "GET").toUpperCase();
    const record: RequestRecord = this.stats.record({
      method,
      path: norm.path,
      rawPath: url.pathname,
      query: url.search,
      status: 0,
    });
    res.on("finish", () => {
      record.status = res.statusCode;
    });

    if ((req.url ?? "").length > this.options.maxUrlLength) {
      // What nginx in front of DHIS2 answers (QUIRKS: long GET URLs fail with 414).
      sendRaw(res, 414, "text/html", nginxPage(414, "Request-URI Too Large"));
      return;
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > this.options.maxBodyBytes) {
      sendRaw(res, 413, "text/html", nginxPage(413, "Request Entity Too Large"), { Connection: "close" });
      return;
    }

    const fault = this.faults.take(method, norm.path, url.pathname);
    if (fault) {
      if (fault.delayMs !== undefined) {
        await delay(fault.delayMs, req);
        if (req.socket.destroyed) return;
      }
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined) {
        const headers: Record<string, string> = { ...fault.headers };
        if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
        if (fault.body !== undefined) {
          sendRaw(res, fault.status, fault.contentType ?? "text/plain;charset=UTF-8", fault.body, headers);
        } else {
          const body = JSON.stringify(webMessageBody(fault.status, reasonPhrase(fault.status)));
          sendRaw(res, fault.status, "application/json;charset=UTF-8", body, headers);
        }
        return;
      }
    }

    const ctx = new Ctx(this, req, res, url, norm);
    try {
      await this.#dispatch(ctx, norm.isApi);
    } catch (e) {
      this.#answerError(ctx, e);
    }
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
    const ctx = new Ctx(this, from.req, from.res, url, norm);
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
      if (!ctx.res.writableEnded) ctx.res.destroy();
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

function sendRaw(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers?: Record<string, string>,
): void {
  const buf = Buffer.from(body, "utf8");
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": buf.length, ...headers });
  res.end(buf);
}

/** Waits `ms`, or less when the client goes away first (so shutdown is not held up). */
function delay(ms: number, req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      req.socket.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    req.socket.once("close", done);
  });
}

function nginxPage(status: number, title: string): string {
  return `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

export { tomcatErrorPage };
