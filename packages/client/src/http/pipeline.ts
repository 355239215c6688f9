import type { AuthProvider } from "../auth/provider.js";
import { Dhis2ClientError } from "../errors.js";
import { BodyOverLimit, discardBody, isOutOfRoom, readText } from "./body.js";
import { summarizeErrorBody } from "./error-body.js";
import { Dhis2ApiError } from "./errors/api-error.js";
import { AuthenticationError } from "./errors/authentication-error.js";
import { Dhis2NetworkError } from "./errors/network-error.js";
import { ResponseTooLargeError } from "./errors/response-too-large-error.js";
import { Dhis2TimeoutError } from "./errors/timeout-error.js";
import { Redactor } from "./redact.js";
import type { RetryPolicy } from "./retry.js";

export { defaultSleep } from "./sleep.js";

/** What the `onRequest` hook sees; credentials are masked. */
export interface RequestEvent {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** 1 for the first try, 2 for the first retry ... */
  readonly attempt: number;
}

/** What the `onResponse` hook sees. */
export interface ResponseEvent {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly attempt: number;
  readonly durationMs: number;
}

/**
 * The `fetch` the client calls (`Dhis2ClientOptions.fetch`): the global one by default; inject
 * another for tests, proxies or an instrumented transport, without patching `globalThis`.
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
/** Waits `ms` between retries, rejecting when `signal` aborts; inject a fake one in tests. */
export type SleepLike = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface PipelineConfig {
  readonly fetch: FetchLike;
  readonly auth: AuthProvider;
  readonly retryPolicy: RetryPolicy | undefined;
  readonly timeoutMs: number | null;
  readonly sleep: SleepLike;
  readonly now: () => number;
  readonly random: () => number;
  readonly maxRedirects: number;
  /** Largest body read into memory (error bodies too); see `Dhis2ClientOptions.maxResponseBytes`. */
  readonly maxResponseBytes: number;
  readonly onRequest?: ((event: RequestEvent) => void) | undefined;
  readonly onResponse?: ((event: ResponseEvent) => void) | undefined;
}

export interface ExchangeOptions<T> {
  readonly method: string;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: BodyInit | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Reads a 2xx/3xx answer; runs inside the attempt's timeout. */
  readonly read: (res: Response) => Promise<T>;
}

export type ExchangeResult<T> =
  | { readonly ok: true; readonly value: T; readonly finalUrl: URL; readonly credentialsSent: boolean }
  | {
      readonly ok: false;
      readonly error: Dhis2ApiError;
      readonly finalUrl: URL;
      readonly credentialsSent: boolean;
    };

type Attempt<T> =
  | { kind: "ok"; value: T; finalUrl: URL; credentialsSent: boolean }
  | {
      kind: "error";
      status: number;
      statusText: string;
      contentType: string;
      retryAfter: string | null;
      text: string;
      finalUrl: URL;
      credentialsSent: boolean;
    };

const AUTH_WAIT = "the auth provider (e.g. an OAuth2 token refresh)";
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie"];

/** Credentials go only to the host the request was for, and never from https down to http. */
function sameTrustedHost(origin: URL, next: URL): boolean {
  return next.host === origin.host && !(origin.protocol === "https:" && next.protocol === "http:");
}

function lowerKeys(h: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (h === undefined) return out;
  for (const k of Object.keys(h)) out[k.toLowerCase()] = h[k] as string;
  return out;
}

/** A body fetch reads as it sends (`duplex: "half"`): it cannot be sent a second time. */
export function isStreamBody(body: unknown): body is ReadableStream {
  return typeof ReadableStream !== "undefined" && body instanceof ReadableStream;
}

function describeCause(err: unknown): string {
  const e = err as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const parts = [e?.cause?.code, e?.cause?.message, e?.message].filter((p) => typeof p === "string" && p);
  return [...new Set(parts)].join(": ") || String(err);
}

/**
 * The request pipeline: auth headers, manual redirects (credentials stay on the DHIS2 host),
 * per-attempt timeout, retries, one replay after a 401, error mapping. One instance serves
 * every concurrent call of a client.
 */
export class HttpPipeline {
  readonly redactor: Redactor;
  readonly #cfg: PipelineConfig;
  // In-flight attempts, so close() can end them (a listener per request on one shared signal
  // would pile up under concurrency).
  readonly #inFlight = new Set<AbortController>();
  #closed = false;

  constructor(config: PipelineConfig) {
    this.#cfg = config;
    this.redactor = new Redactor(() => config.auth.secrets?.() ?? []);
  }

  /** Aborts every in-flight request; later ones throw. */
  close(): void {
    this.#closed = true;
    for (const c of this.#inFlight) c.abort();
    this.#inFlight.clear();
  }

  /** Sends and reads; a status >= 400 throws the mapped error. */
  async send<T>(options: ExchangeOptions<T>): Promise<T> {
    const result = await this.exchange(options);
    if (!result.ok) throw result.error;
    return result.value;
  }

  /** Sends and reads; a status >= 400 comes back as `{ ok: false, error }` instead of throwing. */
  async exchange<T>(options: ExchangeOptions<T>): Promise<ExchangeResult<T>> {
    const { retryPolicy: policy, auth } = this.#cfg;
    const method = options.method.toUpperCase();
    // A stream body is read once: it can be neither retried nor replayed after a 401.
    const streamed = isStreamBody(options.body);
    const maxAttempts = policy?.allowsMethod(method) && !streamed ? policy.maxAttempts : 1;
    let replayedAfter401 = false;
    let attempt = 0;
    for (;;) {
      attempt++;
      let outcome: Attempt<T>;
      try {
        outcome = await this.#attempt(method === options.method ? options : { ...options, method }, attempt);
      } catch (err) {
        const transient = err instanceof Dhis2NetworkError || err instanceof Dhis2TimeoutError;
        if (policy && transient && attempt < maxAttempts) {
          await this.#cfg.sleep(policy.backoffMs(attempt, this.#cfg.random), options.signal);
          continue;
        }
        throw err;
      }
      if (outcome.kind === "ok") {
        return {
          ok: true,
          value: outcome.value,
          finalUrl: outcome.finalUrl,
          credentialsSent: outcome.credentialsSent,
        };
      }
      if (
        outcome.status === 401 &&
        outcome.credentialsSent &&
        !replayedAfter401 &&
        !streamed &&
        auth.onUnauthorized
      ) {
        replayedAfter401 = true;
        if (await this.#unauthorized(method, options)) {
          attempt--; // the replay is the auth provider's, not a retry
          continue;
        }
      }
      if (policy && attempt < maxAttempts && policy.retriesStatus(outcome.status)) {
        const delay = policy.delayMs(attempt, outcome.retryAfter, this.#cfg.now(), this.#cfg.random);
        await this.#cfg.sleep(delay, options.signal);
        continue;
      }
      return {
        ok: false,
        error: this.#toError(method, outcome),
        finalUrl: outcome.finalUrl,
        credentialsSent: outcome.credentialsSent,
      };
    }
  }

  /**
   * The auth provider's `onUnauthorized` (an OAuth2 refresh), within the same `timeoutMs` as an
   * attempt and ended by the caller's signal; a shared refresh goes on for its other waiters.
   */
  async #unauthorized(method: string, options: ExchangeOptions<unknown>): Promise<boolean> {
    const deadline = this.#deadline(options.signal);
    try {
      return (await this.#cfg.auth.onUnauthorized?.(deadline.signal)) ?? false;
    } catch (err) {
      if (deadline.timedOut()) {
        const where = this.redactor.url(options.url);
        throw new Dhis2TimeoutError(method, where, this.#cfg.timeoutMs ?? 0, AUTH_WAIT);
      }
      if (options.signal?.aborted) throw options.signal.reason;
      if (this.#closed)
        throw new Dhis2ClientError("the client was closed during the request", { cause: err });
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  /**
   * A signal that aborts on the caller's signal, after `timeoutMs`, or on `close()`; one per
   * attempt (a listener per request on one shared signal would pile up under concurrency).
   */
  #deadline(userSignal: AbortSignal | undefined) {
    const { timeoutMs } = this.#cfg;
    const controller = new AbortController();
    this.#inFlight.add(controller);
    let timedOut = false;
    const onAbort = () => controller.abort();
    userSignal?.addEventListener("abort", onAbort);
    const timer =
      timeoutMs === null
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs);
    return {
      signal: controller.signal,
      timedOut: () => timedOut,
      dispose: () => {
        if (timer !== undefined) clearTimeout(timer);
        userSignal?.removeEventListener("abort", onAbort);
        this.#inFlight.delete(controller);
      },
    };
  }

  async #attempt<T>(options: ExchangeOptions<T>, attempt: number): Promise<Attempt<T>> {
    const { timeoutMs } = this.#cfg;
    const userSignal = options.signal;
    userSignal?.throwIfAborted();
    if (this.#closed) throw new Dhis2ClientError("the client is closed");
    const deadline = this.#deadline(userSignal);
    const { signal } = deadline;
    let current = options.url;
    let waitingForAuth = true;
    try {
      const authHeaders = lowerKeys(await this.#cfg.auth.headers(signal));
      waitingForAuth = false;
      let headers: Record<string, string> = { accept: "application/json", ...lowerKeys(options.headers) };
      let method = options.method;
      let body = options.body;
      let credentialsSent = true;
      for (let hops = 0; ; hops++) {
        credentialsSent = sameTrustedHost(options.url, current);
        if (!credentialsSent) for (const h of CREDENTIAL_HEADERS) delete headers[h];
        const sent = credentialsSent ? { ...headers, ...authHeaders } : headers;
        this.#cfg.onRequest?.({
          method,
          url: this.redactor.url(current),
          headers: this.redactor.headers(sent, credentialsSent ? Object.keys(authHeaders) : []),
          attempt,
        });
        const started = this.#cfg.now();
        const init: RequestInit & { duplex?: "half" } = {
          method,
          headers: sent,
          body,
          redirect: "manual",
          signal,
        };
        // The Fetch standard's flag for a ReadableStream body (sent as it is read).
        if (body !== undefined && isStreamBody(body)) init.duplex = "half";
        let res = await this.#cfg.fetch(current.href, init);
        if (res.type === "opaqueredirect") {
          // Browsers hide manual redirects; let the runtime follow (the Fetch standard drops
          // Authorization on a cross-origin redirect itself).
          res = await this.#cfg.fetch(current.href, { ...init, redirect: "follow" });
          if (res.url) current = new URL(res.url);
        }
        this.#cfg.onResponse?.({
          method,
          url: this.redactor.url(current),
          status: res.status,
          attempt,
          durationMs: this.#cfg.now() - started,
        });
        const location = res.headers.get("location");
        if (REDIRECTS.has(res.status) && location) {
          await discardBody(res);
          if (hops + 1 > this.#cfg.maxRedirects) {
            throw new Dhis2ClientError(
              `${method} ${this.redactor.url(options.url)}: more than ${this.#cfg.maxRedirects} redirects`,
            );
          }
          const resends = !(
            res.status === 303 ||
            ((res.status === 301 || res.status === 302) && method === "POST")
          );
          if (resends && isStreamBody(body)) {
            throw new Dhis2ClientError(
              `${method} ${this.redactor.url(options.url)}: the server redirected (${res.status}) a streamed upload to ${this.redactor.url(new URL(location, current))}; a stream is read once and cannot be sent again. Use the final address as the base URL, or pass a Blob.`,
            );
          }
          if (!resends) {
            if (method !== "HEAD") method = "GET";
            body = undefined;
            headers = { ...headers };
            delete headers["content-type"];
          }
          current = new URL(location, current);
          continue;
        }
        if (res.status >= 400) {
          const text = await this.#readGuarded(method, current, () =>
            readText(res, this.#cfg.maxResponseBytes),
          );
          return {
            kind: "error",
            status: res.status,
            statusText: res.statusText,
            contentType: res.headers.get("content-type") ?? "",
            retryAfter: res.headers.get("retry-after"),
            text,
            finalUrl: current,
            credentialsSent,
          };
        }
        const value = await this.#readGuarded(method, current, () => options.read(res));
        return { kind: "ok", value, finalUrl: current, credentialsSent };
      }
    } catch (err) {
      if (err instanceof Dhis2ClientError) throw err;
      const where = this.redactor.url(current);
      if (deadline.timedOut()) {
        throw new Dhis2TimeoutError(
          options.method,
          where,
          timeoutMs ?? 0,
          waitingForAuth ? AUTH_WAIT : undefined,
        );
      }
      if (userSignal?.aborted) throw userSignal.reason;
      if (this.#closed)
        throw new Dhis2ClientError("the client was closed during the request", { cause: err });
      if (signal.aborted) throw err;
      throw new Dhis2NetworkError(options.method, where, this.redactor.text(describeCause(err)), {
        cause: err,
      });
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Runs a body read; an answer over the limit (or one the engine could not hold after all)
   * becomes a {@link ResponseTooLargeError}, which is never retried: a retry would download it again.
   */
  async #readGuarded<T>(method: string, url: URL, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (err) {
      if (err instanceof BodyOverLimit || isOutOfRoom(err)) {
        const over = err instanceof BodyOverLimit ? err : undefined;
        throw new ResponseTooLargeError({
          method,
          url: this.redactor.url(url),
          bytes: over?.bytes ?? this.#cfg.maxResponseBytes,
          declared: over?.declared ?? false,
          limit: this.#cfg.maxResponseBytes,
        });
      }
      throw err;
    }
  }

  #toError(method: string, outcome: Extract<Attempt<unknown>, { kind: "error" }>): Dhis2ApiError {
    const { text, contentType, status } = outcome;
    let body: unknown;
    if (text.trim()) {
      body = text;
      if (/json/i.test(contentType) || /^\s*[[{]/.test(text)) {
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON after all: keep the text.
        }
      }
    }
    // A server may echo the request's secret query parameters in its error body: mask them too.
    const redactor = this.redactor.withExtra(Redactor.secretQueryValues(outcome.finalUrl));
    body = redactor.deep(body);
    const serverMessage = redactor.text(summarizeErrorBody(body, contentType, status, outcome.statusText));
    const init = {
      statusCode: status,
      serverMessage,
      body,
      method,
      url: this.redactor.url(outcome.finalUrl),
    };
    if (status === 401) {
      return new AuthenticationError({
        ...init,
        authKind: this.#cfg.auth.kind,
        credentialsSent: outcome.credentialsSent,
      });
    }
    return new Dhis2ApiError(init);
  }
}
