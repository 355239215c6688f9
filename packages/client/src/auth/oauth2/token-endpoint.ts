import { OAuth2FlowError, redactSecrets } from "./errors.js";
import type { OAuth2Token } from "./token.js";

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** How to reach and authenticate at an OAuth2 token endpoint (DHIS2: `<baseUrl>/oauth2/token`). */
export interface TokenEndpoint {
  tokenUrl: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** Injected `fetch` (tests, proxies); defaults to the global one. */
  fetch?: FetchLike | undefined;
  /** Clock, epoch ms; defaults to `Date.now`. */
  now?: (() => number) | undefined;
  /** Profile name used in "log in again with `d2w profile login <name>`" hints. */
  profileName?: string | undefined;
}

const MAX_REDIRECTS = 3;

function formEncode(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, "+");
}

function basicCredentials(clientId: string, clientSecret: string): string {
  // RFC 6749 section 2.3.1: form-encode id and secret before base64 (Spring AS decodes them).
  const raw = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
  const bytes = new TextEncoder().encode(raw);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * POSTs to the token endpoint and follows redirects by hand. DHIS2 answers `/oauth2/token` with a
 * 301 to `/oauth2/token/` (see /work/shared/spec/QUIRKS.md "Auth"); `fetch` would turn the POST
 * into a GET without body and Node drops `Authorization` on redirects, so we re-POST the same body
 * and headers ourselves, and only to the same origin (credentials never go to another host).
 */
async function postFollowingRedirects(endpoint: TokenEndpoint, body: URLSearchParams, signal?: AbortSignal) {
  const doFetch: FetchLike = endpoint.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  };
  if (endpoint.clientSecret !== undefined) {
    headers.Authorization = `Basic ${basicCredentials(endpoint.clientId, endpoint.clientSecret)}`;
  } else {
    body.set("client_id", endpoint.clientId); // public client (PKCE only)
  }
  let url = endpoint.tokenUrl;
  const origin = new URL(url).origin;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: "POST",
        headers,
        body: body.toString(),
        redirect: "manual",
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new OAuth2FlowError("token_endpoint", `could not reach the OAuth2 token endpoint ${url}: ${why}`);
    }
    const isRedirect = response.status >= 300 && response.status < 400;
    // Browsers hide manual redirects (opaqueredirect, status 0): DHIS2 only ever adds the slash.
    const opaque = response.type === "opaqueredirect" || response.status === 0;
    if (!isRedirect && !opaque) return { response, url };
    if (hop >= MAX_REDIRECTS) {
      throw new OAuth2FlowError(
        "token_endpoint",
        `the OAuth2 token endpoint redirected more than ${MAX_REDIRECTS} times (${url})`,
      );
    }
    const location = opaque ? (url.endsWith("/") ? undefined : `${url}/`) : response.headers.get("location");
    if (!location) {
      throw new OAuth2FlowError(
        "token_endpoint",
        `the OAuth2 token endpoint ${url} answered ${response.status} without a Location`,
      );
    }
    const next = new URL(location, url);
    if (next.origin !== origin) {
      throw new OAuth2FlowError(
        "token_endpoint",
        `the OAuth2 token endpoint ${url} redirected to another host (${next.origin}); refusing to send client credentials there`,
      );
    }
    url = next.href;
  }
}

interface TokenJson {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  token_type?: unknown;
  scope?: unknown;
  error?: unknown;
  error_description?: unknown;
}

async function readJson(response: Response): Promise<TokenJson | undefined> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as TokenJson) : undefined;
  } catch {
    return undefined;
  }
}

type Grant = "refresh_token" | "authorization_code" | "client_credentials";

function failure(
  endpoint: TokenEndpoint,
  grant: Grant,
  url: string,
  response: Response,
  json: TokenJson | undefined,
  secrets: (string | undefined)[],
): OAuth2FlowError {
  const status = response.status;
  const login = `d2w profile login ${endpoint.profileName ?? "<name>"}`;
  const error = typeof json?.error === "string" ? json.error : undefined;
  const rawDescription = typeof json?.error_description === "string" ? json.error_description : undefined;
  const description = rawDescription ? `: ${redactSecrets(rawDescription, secrets)}` : "";
  if (error === "invalid_grant") {
    const message =
      grant === "refresh_token"
        ? `OAuth2 refresh failed (invalid_grant${description}): the refresh token is expired, revoked or already used. Log in again with \`${login}\``
        : grant === "authorization_code"
          ? `OAuth2 code exchange failed (invalid_grant${description}): the authorization code expired or was already used. Log in again with \`${login}\``
          : `OAuth2 token request failed (invalid_grant${description})`;
    return new OAuth2FlowError("invalid_grant", message, { statusCode: status });
  }
  if (error === "invalid_client") {
    return new OAuth2FlowError(
      "invalid_client",
      `OAuth2 client authentication failed (invalid_client${description}) at ${url}: check the profile's clientId and clientSecret and the client's registration in DHIS2`,
      { statusCode: status },
    );
  }
  if (error) {
    return new OAuth2FlowError(
      "token_endpoint",
      `OAuth2 ${grant} request failed with ${status} (${error}${description}) at ${url}`,
      {
        statusCode: status,
      },
    );
  }
  const type = response.headers.get("content-type") ?? "no content type";
  return new OAuth2FlowError(
    "token_endpoint",
    `the OAuth2 token endpoint ${url} answered ${status} (${type}) instead of an OAuth2 JSON response: check that tokenUrl points at DHIS2's /oauth2/token and that DHIS2's OAuth2 server is enabled`,
    { statusCode: status },
  );
}

/**
 * Sends one grant to the token endpoint and returns the token. Used by `OAuth2Auth` (refresh)
 * and by `@dhis2w/core`'s login flows (authorization code + PKCE, client credentials).
 *
 * @example
 * ```ts
 * const token = await requestToken({ tokenUrl, clientId, clientSecret }, "client_credentials", { scope: "ALL" });
 * ```
 */
export async function requestToken(
  endpoint: TokenEndpoint,
  grant: Grant,
  params: Record<string, string | undefined>,
  options: { signal?: AbortSignal | undefined; previousRefreshToken?: string | undefined } = {},
): Promise<OAuth2Token> {
  const body = new URLSearchParams({ grant_type: grant });
  for (const [k, v] of Object.entries(params)) if (v !== undefined) body.set(k, v);
  const secrets = [endpoint.clientSecret, params.refresh_token, params.code, params.code_verifier];
  const { response, url } = await postFollowingRedirects(endpoint, body, options.signal);
  const json = await readJson(response);
  if (!response.ok) throw failure(endpoint, grant, url, response, json, secrets);
  if (!json || typeof json.access_token !== "string" || json.access_token === "") {
    throw new OAuth2FlowError(
      "token_endpoint",
      `the OAuth2 token endpoint ${url} answered ${response.status} without an access_token`,
      {
        statusCode: response.status,
      },
    );
  }
  const now = (endpoint.now ?? Date.now)();
  const expiresIn =
    typeof json.expires_in === "number" ? json.expires_in : Number(json.expires_in ?? Number.NaN);
  // Spring Authorization Server's default access-token lifetime is 5 minutes.
  const lifetimeS = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 300;
  const refreshToken =
    typeof json.refresh_token === "string" && json.refresh_token
      ? json.refresh_token
      : options.previousRefreshToken;
  return {
    accessToken: json.access_token,
    refreshToken,
    expiresAt: now + lifetimeS * 1000,
    tokenType: typeof json.token_type === "string" ? json.token_type : "Bearer",
    scope: typeof json.scope === "string" ? json.scope : undefined,
  };
}
