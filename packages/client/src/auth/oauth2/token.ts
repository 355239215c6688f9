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
 * Where OAuth2 tokens live between runs. `@dhis2w/core` ships a SQLite one
 * (`tokenStoreForScope("global")`); {@link MemoryTokenStore} keeps them in memory.
 *
 * `refreshLocked` is optional: a store that implements it makes refreshing single-flight across
 * processes. It must hold an exclusive lock for `key`, call `fn` with the token stored *now*
 * (another process may have refreshed it while we waited), persist what `fn` returns (the new
 * pair replaces the old one in one step, so a refresh token is never lost), release the lock and
 * resolve with it. When `fn` throws, the stored token stays as it was.
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
  ): Promise<OAuth2Token> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        const next = await fn(await this.get(key));
        await this.set(key, next);
        return next;
      });
    this.#locks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === run) this.#locks.delete(key);
    }
  }
}

/** True when `token` expires within `skewMs` of `nowMs`. */
export function isExpiring(token: OAuth2Token, nowMs: number, skewMs: number): boolean {
  return token.expiresAt - skewMs <= nowMs;
}
