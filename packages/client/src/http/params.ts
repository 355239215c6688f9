import { Dhis2ClientError } from "../errors.js";

/** One query parameter value; arrays repeat the key (`filter=a&filter=b`); `undefined`/`null` are left out. */
export type QueryValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly (string | number | boolean)[];

/** Query parameters of a request. */
export type QueryParams = Readonly<Record<string, QueryValue>> | URLSearchParams;

/** Appends `params` to `url` (in place). */
export function appendParams(url: URL, params: QueryParams | undefined): void {
  if (!params) return;
  const entries = params instanceof URLSearchParams ? params.entries() : Object.entries(params);
  for (const [key, value] of entries) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const v of value) url.searchParams.append(key, String(v));
    } else {
      url.searchParams.append(key, String(value));
    }
  }
}

interface ParsedBase {
  readonly host: string;
  readonly origin: string;
  /** Origin and context path, no trailing slash. */
  readonly root: string;
}

// A client resolves every request against the same base URL: parse it once, not per request.
let lastBase: { readonly text: string; readonly parsed: ParsedBase } | undefined;

function parsedBase(baseUrl: string): ParsedBase {
  if (lastBase?.text === baseUrl) return lastBase.parsed;
  const u = new URL(baseUrl);
  const parsed = { host: u.host, origin: u.origin, root: u.origin + u.pathname.replace(/\/+$/, "") };
  lastBase = { text: baseUrl, parsed };
  return parsed;
}

/**
 * Resolves `path` ("/api/me", "api/me", or an absolute URL on the same server) against the base
 * URL, which may carry a context path ("https://host/dhis2").
 */
export function resolveUrl(baseUrl: string, path: string, params?: QueryParams): URL {
  const base = parsedBase(baseUrl);
  let url: URL;
  if (/^https?:\/\//i.test(path)) {
    url = new URL(path);
    // An absolute URL elsewhere would receive our credentials; refuse instead of guessing.
    if (url.host !== base.host) {
      throw new Dhis2ClientError(
        `refusing to send a request for ${url.origin} through the client for ${base.origin}; pass a path instead`,
      );
    }
  } else {
    const rel = path.startsWith("/") ? path : `/${path}`;
    url = new URL(base.root + rel);
  }
  appendParams(url, params);
  return url;
}

/** Normalises a base URL: no trailing slash, no query or fragment. */
export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Dhis2ClientError(
      `baseUrl "${baseUrl}" is not a URL (expected e.g. "https://dhis2.example.org")`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Dhis2ClientError(`baseUrl must be http(s), got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    throw new Dhis2ClientError("baseUrl must not carry credentials; pass them as auth");
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}
