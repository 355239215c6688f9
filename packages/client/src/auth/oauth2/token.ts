/**
 * An OAuth2 access token with what is needed to renew it. `expiresAt` is epoch milliseconds.
 *
 * @example
 * ```ts
 * const token: OAuth2Token = { accessToken: "eyJ...", refreshToken: "r1", expiresAt: Date.now() + 300_000 };
 * ```
 */
export interface OAuth2Token {
  accessToken: string;
  /** Absent for client-credentials tokens (those are renewed with the client credentials). */
  refreshToken?: string | undefined;
  /** When the access token stops working, epoch ms. */
  expiresAt: number;
  tokenType?: string | undefined;
  scope?: string | undefined;
}

/**
 * What `OAuth2Auth` hands a store with a locked refresh. The refresh is shared by every request
 * waiting on it, so this is never one caller's signal: it aborts only when the refresh itself
 * gives up (`OAuth2AuthOptions.refreshTimeoutMs`). Each caller stops waiting on its own signal
 * and timeout without it; the store only has to stop waiting for a lock nobody will use.
 */
export interface RefreshLockOptions {
  /**
   * Aborted when the refresh gives up. A store waiting for the lock (another process refreshing,
   * or a holder that died) must stop waiting and reject with `signal.reason`, and must not call
   * `fn` after it aborted. Once `fn` runs, the store lets it finish (it saves a rotated token).
   */
  readonly signal?: AbortSignal | undefined;
  /** When `signal` aborts, in epoch ms of `OAuth2AuthOptions.now`: no lock wait need go past it. */
  readonly deadline?: number | undefined;
}

/**
 * Where OAuth2 tokens live between runs. `@dhis2w/core` ships a SQLite one
 * (`tokenStoreForScope("global")`); {@link MemoryTokenStore} keeps them in memory.
 *
 * `refreshLocked` is optional: a store that implements it makes refreshing single-flight across
 * processes. It must hold an exclusive lock for `key`, call `fn` with the token stored *now*
 * (another process may have refreshed it while we waited), persist what `fn` returns (the new
 * pair replaces the old one in one step, so a refresh token is never lost), release the lock and
 * resolve with it. When `fn` throws, the stored token stays as it was. `options` (optional, so
 * older stores keep working) carries the refresh's signal and deadline: see
 * {@link RefreshLockOptions}.
 *
 * @example
 * ```ts
 * const store: TokenStore = new MemoryTokenStore();
 * await store.set("my-profile", { accessToken: "a", refreshToken: "r", expiresAt: Date.now() + 60_000 });
 * ```
 */
export interface TokenStore {
  get(key: string): Promise<OAuth2Token | undefined>;
  set(key: string, token: OAuth2Token): Promise<void>;
  refreshLocked?(
    key: string,
    fn: (stored: OAuth2Token | undefined) => Promise<OAuth2Token>,
    options?: RefreshLockOptions,
  ): Promise<OAuth2Token>;
}

/**
 * A {@link TokenStore} in memory: for tests, short-lived scripts and browsers. Refreshes through
 * it are single-flight within the process.
 *
 * @example
 * ```ts
 * const auth = new OAuth2Auth({ token, tokenStore: new MemoryTokenStore(), tokenKey: "p", tokenUrl, clientId, clientSecret });
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, OAuth2Token>();
  readonly #locks = new Map<string, Promise<unknown>>();

  async get(key: string): Promise<OAuth2Token | undefined> {
    const t = this.#tokens.get(key);
    return t ? { ...t } : undefined;
  }

  async set(key: string, token: OAuth2Token): Promise<void> {
    this.#tokens.set(key, { ...token });
  }

  async refreshLocked(
    key: string,
    fn: (stored: OAuth2Token | undefined) => Promise<OAuth2Token>,
    options: RefreshLockOptions = {},
  ): Promise<OAuth2Token> {
    const { signal } = options;
    signal?.throwIfAborted();
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        // Given up while queued: leave the lock to the next one, refresh nothing.
        signal?.throwIfAborted();
        const next = await fn(await this.get(key));
        await this.set(key, next);
        return next;
      });
    this.#locks.set(key, run);
    // The queue entry goes when the run ends, not when a waiter gives up, so later callers
    // still wait for a refresh in progress.
    run
      .catch(() => undefined)
      .then(() => {
        if (this.#locks.get(key) === run) this.#locks.delete(key);
      });
    return abortable(run, signal);
  }
}

/**
 * `promise`, or a rejection with `signal.reason` as soon as `signal` aborts (the promise goes on;
 * its outcome is then ignored).
 *
 * @example
 * ```ts
 * const token = await abortable(sharedRefresh, request.signal);
 * ```
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  promise.catch(() => undefined); // a waiter that left must not turn a later failure into an unhandled one
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** True when `token` expires within `skewMs` of `nowMs`. */
export function isExpiring(token: OAuth2Token, nowMs: number, skewMs: number): boolean {
  return token.expiresAt - skewMs <= nowMs;
}
