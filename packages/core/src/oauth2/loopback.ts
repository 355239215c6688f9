import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { OAuth2FlowError } from "@dhis2w/client";

/** A running loopback receiver for one OAuth2 redirect. */
export interface LoopbackReceiver {
  /** The redirect URI actually listened on (port 0 in the configured URI becomes the real port). */
  readonly redirectUri: string;
  /** Resolves with the authorization code of the one callback; rejects with an `OAuth2FlowError`. */
  readonly code: Promise<string>;
  /** Stops listening (idempotent). */
  close(): Promise<void>;
}

/** Options of {@link startLoopbackReceiver}. */
export interface LoopbackReceiverOptions {
  /** The registered redirect URI, e.g. `http://127.0.0.1:8765/callback`. Must be http on a loopback host. */
  redirectUri: string;
  /** The `state` sent to `/oauth2/authorize`; a callback with another state fails the login. */
  state: string;
  /** Give up after this long. Default 300 000 (5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

function page(ok: boolean, heading: string, body: string): string {
  const accent = ok ? "#15803d" : "#b91c1c";
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>dhis2w login</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">
<h1 style="color:${accent};font-weight:500">${esc(heading)}</h1><p>${esc(body)}</p></body></html>`;
}

function answer(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "close",
  });
  res.end(html);
}

/**
 * Listens on the redirect URI's host, port and path for the browser's return from
 * `/oauth2/authorize`: checks `state`, answers the browser a small HTML page, serves exactly one
 * callback and closes. Requests that are not a callback (favicon, other paths, a preconnect with
 * no query) get a 404 and do not end the login.
 *
 * @example
 * ```ts
 * const receiver = await startLoopbackReceiver({ redirectUri: "http://127.0.0.1:8765/callback", state });
 * openBrowser(authorizeUrl({ ..., redirectUri: receiver.redirectUri, state }));
 * const code = await receiver.code;
 * ```
 */
export async function startLoopbackReceiver(options: LoopbackReceiverOptions): Promise<LoopbackReceiver> {
  const configured = new URL(options.redirectUri);
  if (configured.protocol !== "http:" || !LOOPBACK_HOSTS.has(configured.hostname)) {
    throw new OAuth2FlowError(
      "authorization_error",
      `redirectUri must be an http URL on a loopback host (127.0.0.1, localhost or [::1]) for the login receiver; got ${configured.origin}`,
    );
  }
  const expectedPath = configured.pathname || "/";
  let settle: { resolve: (code: string) => void; reject: (e: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  code.catch(() => undefined); // the caller may close before awaiting
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://loopback");
    const q = url.searchParams;
    const isCallback = url.pathname === expectedPath && (q.has("code") || q.has("error") || q.has("state"));
    if (done || req.method !== "GET" || !isCallback) {
      answer(res, 404, page(false, "Not found", "This is the dhis2w login receiver."));
      return;
    }
    const finish = (
      ok: boolean,
      status: number,
      heading: string,
      body: string,
      outcome: string | OAuth2FlowError,
    ) => {
      done = true;
      answer(res, status, page(ok, heading, body));
      if (typeof outcome === "string") settle?.resolve(outcome);
      else settle?.reject(outcome);
      void close();
    };
    const error = q.get("error");
    if (error) {
      const denied = error === "access_denied";
      const description = q.get("error_description");
      const why = denied
        ? "consent was denied"
        : `the server answered ${error}${description ? ` (${description})` : ""}`;
      finish(
        false,
        400,
        "Login failed",
        `DHIS2 did not authorize dhis2w: ${why}. You can close this tab.`,
        new OAuth2FlowError(denied ? "access_denied" : "authorization_error", `OAuth2 login failed: ${why}`),
      );
      return;
    }
    if (q.get("state") !== options.state) {
      finish(
        false,
        400,
        "Login failed",
        "The state did not match this login. You can close this tab and try again.",
        new OAuth2FlowError(
          "state_mismatch",
          "OAuth2 login failed: the redirect's state did not match (possible CSRF); try again",
        ),
      );
      return;
    }
    const value = q.get("code");
    if (!value) {
      finish(
        false,
        400,
        "Login failed",
        "The redirect carried no authorization code. You can close this tab.",
        new OAuth2FlowError(
          "missing_code",
          "OAuth2 login failed: the redirect carried no authorization code",
        ),
      );
      return;
    }
    finish(
      true,
      200,
      "Logged in",
      "dhis2w is now authorized. You can close this tab and return to the terminal.",
      value,
    );
  });

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (!done) {
        done = true;
        settle?.reject(
          new OAuth2FlowError("timeout", "OAuth2 login was cancelled before the browser came back"),
        );
      }
      server.close(() => resolve());
      server.closeIdleConnections?.();
    });
    return closing;
  }
  function onAbort(): void {
    void close();
  }

  const host = configured.hostname.replace(/^\[|\]$/g, "");
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new OAuth2FlowError(
          "authorization_error",
          `could not listen on ${configured.host} for the OAuth2 redirect (${e.code ?? e.message}); is another login running?`,
        ),
      ),
    );
    server.listen(Number(configured.port || 80), host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Hand back the configured string untouched (servers compare redirect URIs as strings) unless
  // port 0 asked for a free port.
  const actual = new URL(configured.href);
  actual.port = String(port);
  const redirectUri = configured.port === "0" ? actual.href : options.redirectUri;

  const timeoutMs = options.timeoutMs ?? 300_000;
  timer = setTimeout(() => {
    if (done) return;
    done = true;
    settle?.reject(
      new OAuth2FlowError(
        "timeout",
        `no OAuth2 redirect came back to ${actual.origin}${expectedPath} within ${Math.round(timeoutMs / 1000)} s`,
      ),
    );
    void close();
  }, timeoutMs);
  timer.unref?.();
  if (options.signal?.aborted) void close();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  return { redirectUri, code, close };
}
