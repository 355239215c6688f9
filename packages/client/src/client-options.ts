/** The option and result types of `Dhis2Client`'s constructor and request methods. */
import type { AuthProvider } from "./auth/provider.js";
import type { QueryParams } from "./http/params.js";
import type { FetchLike, RequestEvent, ResponseEvent, SleepLike } from "./http/pipeline.js";
import type { RetryPolicy } from "./http/retry.js";
import type { VersionKey } from "./versions.js";

/**
 * Something the client decided on its own that the user may want to know; the CLI prints these
 * under `--verbose`. `baseUrlAdopted`: `connect()` followed a redirect of `/api/system/info` and
 * now talks to `to` instead of the configured `from` (also readable as `client.baseUrl`).
 */
export interface ClientNotice {
  readonly kind: "baseUrlAdopted";
  readonly from: string;
  readonly to: string;
  /** One readable line. */
  readonly message: string;
}

/** Options of `Dhis2Client`. Durations are milliseconds; `null` disables. */
export interface Dhis2ClientOptions<V extends VersionKey = VersionKey> {
  /** The server root, with its context path if any: `"https://dhis2.example.org/hmis"`. */
  readonly baseUrl: string;
  readonly auth: AuthProvider;
  /** Pin the version instead of taking the server's (`/api/system/info` is still read). */
  readonly version?: V;
  /** On an unsupported server version, use the highest supported one not newer than it. */
  readonly allowVersionFallback?: boolean;
  /** Retries of transient failures; without one nothing is retried. */
  readonly retryPolicy?: RetryPolicy;
  /** TTL of `client.system`'s cache. Default 300_000; `null` disables. */
  readonly systemCacheTtlMs?: number | null;
  /** Per attempt, headers and body together. Default 60_000; `null` disables. */
  readonly timeoutMs?: number | null;
  /** Redirect hops followed per request. Default 10. */
  readonly maxRedirects?: number;
  /**
   * Largest answer read into memory, in bytes (a `Content-Length` above it fails before the
   * download; otherwise reading stops once it is passed). Default: the longest string the engine
   * can make (V8: 536,870,888). A larger answer throws `ResponseTooLargeError`, never retried;
   * stream such answers with `client.fetchResponse()`, which this limit does not cover.
   */
  readonly maxResponseBytes?: number;
  /** The fetch to use. Default `globalThis.fetch`. */
  readonly fetch?: FetchLike;
  /** Waits between retries; inject for tests. */
  readonly sleep?: SleepLike;
  /** Clock in epoch ms (cache TTL, `Retry-After` dates); inject for tests. */
  readonly now?: () => number;
  /** Jitter source in [0, 1); inject for tests. */
  readonly random?: () => number;
  /** Called before each HTTP exchange (credentials masked). */
  readonly onRequest?: (event: RequestEvent) => void;
  /** Called after each HTTP exchange's headers arrive. */
  readonly onResponse?: (event: ResponseEvent) => void;
  /** Called when the client decides something on its own, e.g. adopts a redirected base URL. */
  readonly onNotice?: (notice: ClientNotice) => void;
}

/** Options shared by the request methods. */
export interface RequestOptions {
  /** Query parameters; arrays repeat the key (`filter`). */
  readonly params?: QueryParams;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /**
   * Called with the headers of a successful answer, before its body is read. A few endpoints
   * put what matters only there (message conversations: the new UID only in `Location`).
   */
  readonly onHeaders?: (headers: Headers) => void;
}

/** What the raw methods return: a JSON object; a bare array or value arrives as `{ data }`, an empty body as `{}`. */
export type RawResponse = Record<string, unknown>;
