/**
 * CORS as DHIS2 answers it, in the emulator's core (so every adapter gets it). Sources, at the
 * tags the emulated versions report (2.41.8.1, 2.42.4.1, 2.43.0):
 *
 * - 2.41: `webapi/filter/CorsFilter.java`, a servlet filter placed before
 *   `BasicAuthenticationFilter`; 2.42/2.43: `webapi/filter/DhisCorsProcessor.java` inside Spring's
 *   `CorsFilter` (`DhisWebApiWebSecurityConfig#corsFilter`, `http.cors(...)`). Same headers.
 * - Allowed: the `Origin` equals the server's own URL (scheme from `X-Forwarded-Proto` when
 *   given) or matches an entry of `Configuration.corsWhitelist` (`DefaultConfigurationService
 *   .isCorsWhitelisted`: each entry a glob, `TextUtils.createRegexFromGlob`: `*` any run, `?` one
 *   character, the rest literal, anchored).
 * - Allowed answers get `Access-Control-Allow-Credentials: true`, `Access-Control-Allow-Origin:
 *   <origin>` (echoed, never `*`), `Vary: Origin`; a preflight (`OPTIONS` with
 *   `Access-Control-Request-Method`) is answered 204 right there, before authentication, with
 *   `Access-Control-Allow-Methods` / `-Allow-Headers` echoing the request's and `-Max-Age: 3600`;
 *   other requests go on with `Access-Control-Expose-Headers: ETag, Location`.
 * - Another origin: 2.41 lets the request through untouched (no CORS headers, so a preflight
 *   without credentials gets the usual 401); 2.42+ stops it in Spring's `CorsFilter`, whose
 *   `processRequest` returned false: an empty 200, the request never handled.
 */
import { STATUS_TEXT } from "./http-status.js";
import type { EmulatorState } from "./state.js";

/** What DHIS2's filter decided for one request. */
export type CorsOutcome =
  /** Not a CORS request, or 2.41 refusing: handle it with no CORS headers. */
  | { readonly kind: "plain" }
  /** Allowed: handle it, adding these headers to the answer. */
  | { readonly kind: "allowed"; readonly headers: Headers }
  /** Answered by the filter itself (an allowed preflight, or 2.42+ refusing an origin). */
  | { readonly kind: "answered"; readonly response: Response };

/**
 * DHIS2's `createRegexFromGlob`: `*` and `?` are wildcards, everything else literal, anchored.
 *
 * @example
 * corsGlob("http://localhost:*").test("http://localhost:5173"); // true
 */
export function corsGlob(entry: string): RegExp {
  let re = "^";
  for (const c of entry) {
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`${re}$`);
}

/**
 * True when `origin` matches an entry of the allowlist.
 *
 * @example
 * corsAllowed(emu.state.corsWhitelist, "https://apps.example.org");
 */
export function corsAllowed(allowlist: Iterable<string>, origin: string): boolean {
  for (const entry of allowlist) if (corsGlob(entry).test(origin)) return true;
  return false;
}

/** The server's own origin as dhis2-core computes it (`X-Forwarded-Proto` wins for the scheme). */
function localOrigin(request: Request, url: URL): string {
  const proto = request.headers.get("x-forwarded-proto")?.trim();
  return `${proto ? proto : url.protocol.slice(0, -1)}://${url.host}`;
}

/**
 * Applies DHIS2's CORS filter to a request.
 *
 * @example
 * state.corsWhitelist.add("http://localhost:3000");
 * corsFor(state, request, new URL(request.url)); // { kind: "allowed", headers } for that origin
 */
export function corsFor(state: EmulatorState, request: Request, url: URL): CorsOutcome {
  const origin = request.headers.get("origin");
  if (!origin) return { kind: "plain" };
  if (origin !== localOrigin(request, url) && !corsAllowed(state.corsWhitelist, origin)) {
    if (state.behaviour.cors.refusal === "pass-through") return { kind: "plain" };
    return {
      kind: "answered",
      response: new Response(null, {
        status: 200,
        statusText: STATUS_TEXT[200],
        headers: { "Content-Length": "0" },
      }),
    };
  }
  const headers = new Headers({
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Allow-Origin": origin,
    Vary: "Origin",
  });
  const requestMethod = request.headers.get("access-control-request-method");
  if (request.method.toUpperCase() === "OPTIONS" && requestMethod) {
    headers.set("Access-Control-Allow-Methods", requestMethod);
    // Tomcat's addHeader skips a null value: no Allow-Headers when none were asked for.
    const requestHeaders = request.headers.get("access-control-request-headers");
    if (requestHeaders) headers.set("Access-Control-Allow-Headers", requestHeaders);
    headers.set("Access-Control-Max-Age", "3600");
    return {
      kind: "answered",
      response: new Response(null, { status: 204, statusText: STATUS_TEXT[204], headers }),
    };
  }
  headers.set("Access-Control-Expose-Headers", "ETag, Location");
  return { kind: "allowed", headers };
}
