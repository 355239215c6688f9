/**
 * An injected `fetch` for unit tests: routes requests to handlers and records every call, so tests
 * see exactly what went over the (pretend) wire without patching globals.
 */
import type { FetchLike } from "@dhis2w/client";

export interface RecordedCall {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly redirect: RequestRedirect | undefined;
}

export type Handler = (call: RecordedCall) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function systemInfo(version: string): Response {
  return json({
    version,
    revision: "abc123",
    contextPath: "http://dhis2.test",
    serverDate: "2025-01-01T00:00:00",
  });
}

/** Routes "METHOD host/path" or "METHOD /path" (any host) to handlers; unknown routes answer 404. */
export function fakeServer(routes: Record<string, Handler>) {
  const calls: RecordedCall[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const body =
      typeof init?.body === "string" ? init.body : init?.body === undefined ? undefined : "[binary]";
    const call: RecordedCall = {
      method: init?.method ?? "GET",
      url,
      headers,
      body,
      redirect: init?.redirect,
    };
    calls.push(call);
    init?.signal?.throwIfAborted();
    const handler =
      routes[`${call.method} ${url.host}${url.pathname}`] ?? routes[`${call.method} ${url.pathname}`];
    if (!handler)
      return json({ httpStatusCode: 404, status: "ERROR", message: `no route ${url.pathname}` }, 404);
    return handler(call);
  };
  return { fetch, calls, count: (path: string) => calls.filter((c) => c.url.pathname === path).length };
}

/** A sleep that records what it was asked to wait and returns at once. */
export function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}
