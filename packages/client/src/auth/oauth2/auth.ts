import type { AuthProvider } from "../provider.js";
import { OAuth2FlowError, redactSecrets } from "./errors.js";
import { abortable, isExpiring, type OAuth2Token, type TokenStore } from "./token.js";
import { requestToken, type TokenEndpoint } from "./token-endpoint.js";

/**
 * How many superseded token strings (access and refresh, newest kept) stay in the redaction set.
 * A server can echo a token it just replaced (a stale-session error, a proxy's log line); a few
 * rotations back is enough for that, while a long-lived provider must not grow without bound.
 */
const PREVIOUS_SECRETS_KEPT = 8;

/** One shared refresh: its outcome, who waits for it, and whether the grant was sent. */
interface RefreshRun {
  done: Promise<void>;
  waiters: number;
  settled: boolean;
  /** The grant request is on its way: from here on the refresh always finishes. */
  granting: boolean;
  /** Aborts the wait for the store's lock (deadline, or every waiter gone before the grant). */
  readonly lock: AbortController;
}

/** Options of {@link OAuth2Auth}. */
export interface OAuth2AuthOptions {
  /** The current token (e.g. `await tokenStore.get(tokenKey)`). */
  token: OAuth2Token;
  /** Where refreshed tokens are written back; with `refreshLocked`, refresh is single-flight across processes. */
  tokenStore?: TokenStore | undefined;
  /** The key of this token in `tokenStore` (core uses the profile name). */
  tokenKey?: string | undefined;
  /** DHIS2: `<baseUrl>/oauth2/token` (see `tokenUrlFor`). */
  tokenUrl: string;
  clientId: string;
  clientSecret?: string | undefined;
  fetch?: TokenEndpoint["fetch"];
  /** Clock, epoch ms; defaults to `Date.now`. */
  now?: (() => number) | undefined;
  /** Refresh when the access token expires within this many ms. Default 30 000. */
  refreshSkewMs?: number | undefined;
  /** Renew with the client-credentials grant when the token has no refresh token (service accounts). */
  clientCredentials?: boolean | undefined;
  /** Scope asked for by the client-credentials grant. Default `ALL`. */
  scope?: string | undefined;
  /** Profile name used in "log in again" hints; defaults to `tokenKey`. */
  profileName?: string | undefined;
  /**
   * Ceiling of one shared refresh (waiting for another process's lock plus the token request).
   * Each request waiting on it still gives up on its own signal and the client's `timeoutMs`;
   * this only ends a refresh nobody can finish. Default 60 000.
   */
  refreshTimeoutMs?: number | undefined;
}

/**
 * OAuth2 bearer auth with automatic refresh: sends `Authorization: Bearer <access>`, refreshes
 * (refresh_token grant at `tokenUrl`) when the access token is within 30 s of expiry and once
 * after a 401, and writes refreshed tokens back to the `TokenStore`. Concurrent requests share
 * one refresh; a store with `refreshLocked` makes that hold across processes too. Each request
 * waits on the shared refresh with its own signal (its abort, the client's per-attempt timeout):
 * one caller giving up never cancels the refresh the others wait for.
 *
 * @example
 * ```ts
 * const store = tokenStoreForScope("global"); // from @dhis2w/core
 * const auth = new OAuth2Auth({
 *   token: (await store.get("my-oauth-profile"))!, tokenStore: store, tokenKey: "my-oauth-profile",
 *   tokenUrl: "http://localhost:8080/oauth2/token", clientId: "dhis2w", clientSecret: process.env.SECRET!,
 * });
 * await using client = await Dhis2Client.open({ baseUrl: "http://localhost:8080", auth });
 * ```
 */
export class OAuth2Auth implements AuthProvider {
  readonly kind = "oauth2";
  #token: OAuth2Token;
  #unsaved = false;
  #inflight: RefreshRun | undefined;
  /** Superseded access/refresh tokens, oldest first, at most {@link PREVIOUS_SECRETS_KEPT}. */
  readonly #previous: string[] = [];
  readonly #options: OAuth2AuthOptions;
  readonly #endpoint: TokenEndpoint;
  readonly #now: () => number;
  readonly #skewMs: number;
  readonly #refreshTimeoutMs: number;

  constructor(options: OAuth2AuthOptions) {
    if (!options.token?.accessToken)
      throw new OAuth2FlowError("no_token", "OAuth2Auth needs a token with an accessToken");
    this.#token = { ...options.token };
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#skewMs = options.refreshSkewMs ?? 30_000;
    this.#refreshTimeoutMs = options.refreshTimeoutMs ?? 60_000;
    this.#endpoint = {
      tokenUrl: options.tokenUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      fetch: options.fetch,
      now: this.#now,
      profileName: options.profileName ?? options.tokenKey,
    };
  }

  /** A copy of the token in use (holds secrets: never log it). */
  get token(): OAuth2Token {
    return { ...this.#token };
  }

  async headers(signal?: AbortSignal): Promise<Record<string, string>> {
    if (this.#unsaved) await this.#saveUnsaved();
    if (isExpiring(this.#token, this.#now(), this.#skewMs)) await this.#refresh(signal);
    return { Authorization: `Bearer ${this.#token.accessToken}` };
  }

  async onUnauthorized(signal?: AbortSignal): Promise<boolean> {
    await this.#refresh(signal);
    return true;
  }

  /**
   * What the client masks in errors and debug events: the current access and refresh tokens, the
   * client secret, and the last few tokens a refresh replaced (a server may still echo those).
   */
  secrets(): readonly string[] {
    const { accessToken, refreshToken } = this.#token;
    const current = [accessToken, refreshToken, this.#options.clientSecret].filter((s): s is string => !!s);
    return [...current, ...this.#previous.filter((s) => !current.includes(s))];
  }

  /** Switches to `next`, remembering the tokens it replaces for redaction. */
  #setToken(next: OAuth2Token): void {
    const replaced = this.#token;
    this.#token = next;
    this.#remember(replaced);
  }

  #remember(token: OAuth2Token): void {
    const { accessToken, refreshToken } = this.#token;
    for (const s of [token.accessToken, token.refreshToken]) {
      // Still in use (a refresh that kept the refresh token): already masked as current.
      if (!s || s === accessToken || s === refreshToken) continue;
      const at = this.#previous.indexOf(s);
      if (at >= 0) this.#previous.splice(at, 1);
      this.#previous.push(s);
    }
    if (this.#previous.length > PREVIOUS_SECRETS_KEPT)
      this.#previous.splice(0, this.#previous.length - PREVIOUS_SECRETS_KEPT);
  }

  /**
   * Waits for the refresh in progress, or starts one. The refresh is shared and runs on its own
   * signals; `signal` ends this caller's wait alone. When every waiter has left before the grant
   * was sent (all still waiting for another holder's lock), the lock wait is given up, so nothing
   * lingers; once the grant is on its way it always finishes (the server may rotate the refresh
   * token, and the new one must be kept).
   */
  #refresh(signal?: AbortSignal): Promise<void> {
    const run = this.#inflight ?? this.#startRefresh();
    this.#inflight = run;
    run.waiters++;
    return abortable(run.done, signal).finally(() => {
      run.waiters--;
      if (run.waiters > 0 || run.settled || run.granting) return;
      run.lock.abort(new OAuth2FlowError("timeout", "every request waiting for the OAuth2 refresh gave up"));
      if (this.#inflight === run) this.#inflight = undefined;
    });
  }

  #startRefresh(): RefreshRun {
    const timeoutMs = this.#refreshTimeoutMs;
    const deadline = this.#now() + timeoutMs;
    // `grant` aborts only at the deadline; `lock` (the store's wait) also when nobody waits any more.
    const grant = new AbortController();
    const lock = new AbortController();
    const timer = setTimeout(() => {
      const reason = new OAuth2FlowError(
        "timeout",
        `the OAuth2 token refresh did not finish within ${timeoutMs} ms`,
      );
      grant.abort(reason);
      lock.abort(reason);
    }, timeoutMs);
    (timer as { unref?: () => void }).unref?.();
    const run: RefreshRun = { done: Promise.resolve(), waiters: 0, settled: false, granting: false, lock };
    run.done = this.#doRefresh(run, grant.signal, deadline).finally(() => {
      clearTimeout(timer);
      run.settled = true;
      if (this.#inflight === run) this.#inflight = undefined;
    });
    // Every waiter may have left (aborted, timed out): the outcome must not go unhandled.
    run.done.catch(() => undefined);
    return run;
  }

  async #doRefresh(run: RefreshRun, signal: AbortSignal, deadline: number): Promise<void> {
    const used = this.#token;
    const { tokenStore: store, tokenKey: key } = this.#options;
    let fresh: OAuth2Token | undefined;
    const decide = async (stored: OAuth2Token | undefined): Promise<OAuth2Token> => {
      // Nobody waits any more (or the deadline passed) while we waited for the lock: refresh nothing.
      run.lock.signal.throwIfAborted();
      // Another process or instance refreshed while we waited for the lock: use its token.
      if (
        stored &&
        stored.accessToken !== used.accessToken &&
        !isExpiring(stored, this.#now(), this.#skewMs)
      ) {
        return stored;
      }
      // The stored pair is the newest one we know of (its refresh token may have rotated).
      const base = stored?.refreshToken ? stored : used;
      if (base !== used) this.#remember(base);
      run.granting = true;
      fresh = await this.#grant(base, signal);
      return fresh;
    };
    try {
      if (store && key !== undefined && store.refreshLocked) {
        this.#setToken(await store.refreshLocked(key, decide, { signal: run.lock.signal, deadline }));
      } else if (store && key !== undefined) {
        const next = await decide(await store.get(key));
        this.#setToken(next);
        if (fresh) await store.set(key, fresh);
      } else {
        this.#setToken(await decide(undefined));
      }
    } catch (error) {
      if (fresh === undefined || error instanceof OAuth2FlowError) throw error;
      // The server already rotated the refresh token: keep the new pair in memory and save it
      // on the next request rather than lose it.
      this.#setToken(fresh);
      this.#unsaved = true;
      throw this.#storeError(error);
    }
  }

  async #saveUnsaved(): Promise<void> {
    const { tokenStore: store, tokenKey: key } = this.#options;
    if (!store || key === undefined) {
      this.#unsaved = false;
      return;
    }
    try {
      await store.set(key, this.#token);
      this.#unsaved = false;
    } catch (error) {
      throw this.#storeError(error);
    }
  }

  #storeError(error: unknown): OAuth2FlowError {
    const why = redactSecrets(error instanceof Error ? error.message : String(error), this.secrets());
    return new OAuth2FlowError(
      "token_store",
      `the OAuth2 token was refreshed but could not be saved to the token store (${why}); it is kept in memory and saved on the next request`,
    );
  }

  async #grant(base: OAuth2Token, signal?: AbortSignal): Promise<OAuth2Token> {
    if (base.refreshToken) {
      return requestToken(
        this.#endpoint,
        "refresh_token",
        { refresh_token: base.refreshToken },
        { signal, previousRefreshToken: base.refreshToken },
      );
    }
    if (this.#options.clientCredentials) {
      return requestToken(
        this.#endpoint,
        "client_credentials",
        { scope: this.#options.scope ?? "ALL" },
        { signal },
      );
    }
    const name = this.#endpoint.profileName ?? "<name>";
    throw new OAuth2FlowError(
      "no_refresh_token",
      `the OAuth2 access token expired and there is no refresh token: log in again with \`d2w profile login ${name}\``,
    );
  }
}
