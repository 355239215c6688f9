/**
 * A small TTL cache for system-level reads. It stores promises, so concurrent callers of one
 * key share one request; a failed load is forgotten at once.
 */
export class TtlCache {
  readonly #ttlMs: number | null;
  readonly #now: () => number;
  readonly #entries = new Map<string, { value: Promise<unknown>; expiresAt: number }>();

  /** `ttlMs: null` disables caching: every call loads. */
  constructor(ttlMs: number | null, now: () => number) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  get enabled(): boolean {
    return this.#ttlMs !== null && this.#ttlMs > 0;
  }

  getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    const hit = this.#entries.get(key);
    if (hit && this.#now() < hit.expiresAt) return hit.value as Promise<T>;
    const value = load();
    this.#entries.set(key, { value, expiresAt: this.#now() + (this.#ttlMs ?? 0) });
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }

  set(key: string, value: unknown): void {
    if (this.enabled)
      this.#entries.set(key, { value: Promise.resolve(value), expiresAt: this.#now() + (this.#ttlMs ?? 0) });
  }

  /** Drops one key, or everything. */
  invalidate(key?: string): void {
    if (key === undefined) this.#entries.clear();
    else this.#entries.delete(key);
  }
}
