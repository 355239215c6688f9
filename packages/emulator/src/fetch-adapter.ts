/**
 * `emu.fetch`: the emulator as a `fetch` function, in process (no port, no socket). It behaves
 * like the runtime's `fetch` where the client can tell: `redirect: "manual"` gives the real 3xx
 * answer (the client follows redirects itself), `"follow"` (the default) follows same-origin
 * ones, `"error"` rejects on one; `signal` aborts the wait and the body; a fault that drops the
 * connection rejects with undici's `TypeError: fetch failed` whose `cause.code` is `ECONNRESET`;
 * a URL of another origin rejects like an unknown host (`ENOTFOUND`).
 */
import type { EmulatorApp } from "./app.js";

/** The `fetch` an emulator answers (`emu.fetch`), assignable to the client's `fetch` option. */
export type EmulatorFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

/** A network failure shaped like undici's (`err.cause.code` says which). */
function fetchFailed(code: string, message: string): TypeError {
  const cause = Object.assign(new Error(message), { code });
  return new TypeError("fetch failed", { cause });
}

/** Rejects with the signal's reason the moment it aborts. */
function abortable<T>(work: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** The same answer, its body erroring with the signal's reason when it aborts mid-read. */
function bodyFollowsSignal(response: Response, signal: AbortSignal): Response {
  const source = response.body;
  if (!source) return response;
  const reader = source.getReader();
  let finished = false;
  let onAbort = () => {};
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        onAbort = () => {
          if (finished) return;
          finished = true;
          void reader.cancel(signal.reason).catch(() => {});
          controller.error(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
      },
      // Pulled one chunk per read: the emulator's stream still feels the reader's pace.
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (finished) return;
          if (done) {
            finished = true;
            signal.removeEventListener("abort", onAbort);
            controller.close();
          } else controller.enqueue(value);
        } catch (e) {
          if (finished) return;
          finished = true;
          signal.removeEventListener("abort", onAbort);
          controller.error(e);
        }
      },
      cancel(reason) {
        finished = true;
        signal.removeEventListener("abort", onAbort);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const { status, statusText, headers } = response;
  return new Response(body, { status, statusText, headers });
}

function stamp(response: Response, url: string, redirected: boolean): Response {
  Object.defineProperty(response, "url", { value: url });
  if (redirected) Object.defineProperty(response, "redirected", { value: true });
  return response;
}

/**
 * Makes the `fetch` of an app: requests to `baseUrl`'s origin are answered by `app.handle`.
 *
 * @example
 * const fetch = emulatorFetch(app, "http://emulator.invalid");
 * const client = new Dhis2Client({ baseUrl: "http://emulator.invalid", fetch, auth });
 */
export function emulatorFetch(app: EmulatorApp, baseUrl: string): EmulatorFetch {
  const origin = new URL(baseUrl).origin;
  return async (input, init) => {
    let request = new Request(input, init);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const mode = request.redirect;
    // What a follow may send again: a body given as a value (a stream is read once).
    const replayable =
      init?.body !== undefined && !(init.body instanceof ReadableStream) ? init.body : undefined;
    for (let hops = 0; ; hops++) {
      const url = new URL(request.url);
      if (url.origin !== origin) {
        throw fetchFailed(
          "ENOTFOUND",
          `getaddrinfo ENOTFOUND ${url.hostname} (emu.fetch answers ${origin} only)`,
        );
      }
      if (signal?.aborted) throw signal.reason;
      const response = await abortable(app.handle(request), signal);
      if (response.type === "error") throw fetchFailed("ECONNRESET", "read ECONNRESET");
      const location = response.headers.get("location");
      if (!REDIRECTS.has(response.status) || !location || mode === "manual") {
        return stamp(signal ? bodyFollowsSignal(response, signal) : response, request.url, hops > 0);
      }
      await response.body?.cancel().catch(() => {});
      if (mode === "error") throw fetchFailed("UND_ERR_REDIRECT", `unexpected redirect to ${location}`);
      if (hops + 1 > MAX_REDIRECTS) throw fetchFailed("UND_ERR_REDIRECT", "redirect count exceeded");
      const next = new URL(location, url);
      const toGet =
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && request.method === "POST");
      const method = toGet && request.method !== "HEAD" ? "GET" : request.method;
      const headers = new Headers(request.headers);
      if (toGet) for (const h of ["content-type", "content-length", "content-encoding"]) headers.delete(h);
      if (next.origin !== url.origin) headers.delete("authorization");
      if (!toGet && request.body !== null && replayable === undefined) {
        throw fetchFailed(
          "UND_ERR_REQ_CONTENT_LENGTH_MISMATCH",
          "a streamed body cannot be sent again on a redirect",
        );
      }
      request = new Request(next, {
        method,
        headers,
        redirect: mode,
        ...(toGet ? {} : { body: replayable ?? null }),
        ...(signal ? { signal } : {}),
      });
    }
  };
}
