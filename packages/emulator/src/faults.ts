/**
 * Fault injection: make the next N matching requests fail the way real networks and proxies do
 * (a status with `Retry-After`, a dropped connection, a delay), before authentication, like a
 * proxy in front of DHIS2 would. A dropped connection is a reset socket over HTTP and a rejected
 * `emu.fetch` (`TypeError: fetch failed`, cause code `ECONNRESET`) in process.
 */

/** Which requests a fault or a stats query matches. */
export type PathMatcher = string | RegExp;

/** A fault to inject. */
export interface FaultSpec {
  /**
   * Path to match: an exact path (`/api/me`; compared with the normalised path, so `/api/42/me.json`
   * matches too, and with the raw path), a prefix ending in `*` (`/api/dataElements*`), or a RegExp
   * tested against the raw pathname.
   */
  path: PathMatcher;
  /** Only this method (any when absent). */
  method?: string;
  /** How many matching requests to affect (default 1; `Infinity` for all). */
  times?: number;
  /** Answer this status instead of handling the request. */
  status?: number;
  /** `Retry-After` header: seconds (`"1"`, `2`) or an HTTP date. */
  retryAfter?: string | number;
  /** Response body (default: a DHIS2 WebMessage for the status). */
  body?: string;
  /** Content type of `body` (default `text/plain` for a string body). */
  contentType?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Destroy the socket without answering (the client sees a connection reset). */
  drop?: boolean;
  /**
   * Handle the request (its effects are applied), then reset the connection instead of
   * answering: the client cannot tell whether a write happened.
   */
  dropAfterHandling?: boolean;
  /** Wait this long first; then apply `status`/`drop`, or handle the request normally. */
  delayMs?: number;
}

/** A registered fault; `hits` counts the requests it affected. */
export interface Fault extends Readonly<FaultSpec> {
  readonly id: number;
  readonly hits: number;
  /** Requests it will still affect. */
  readonly remaining: number;
}

interface MutableFault extends FaultSpec {
  id: number;
  hits: number;
  remaining: number;
}

/** Tests whether a matcher matches a request path (normalised or raw). */
export function pathMatches(matcher: PathMatcher, normalized: string, raw: string): boolean {
  if (matcher instanceof RegExp) {
    matcher.lastIndex = 0;
    return matcher.test(raw);
  }
  if (matcher.endsWith("*")) {
    const prefix = matcher.slice(0, -1);
    return normalized.startsWith(prefix) || raw.startsWith(prefix);
  }
  return matcher === normalized || matcher === raw;
}

/** The fault table of one emulator (`emu.faults`). */
export class Faults {
  #faults: MutableFault[] = [];
  #seq = 0;

  /**
   * Adds a fault; earlier faults take precedence over later ones for the same request.
   *
   * @example
   * emu.faults.add({ path: "/api/me", times: 2, status: 503, retryAfter: "1" });
   * emu.faults.add({ path: "/api/system/info", drop: true });
   * emu.faults.add({ path: "/api/dataElements*", delayMs: 200, times: Infinity });
   */
  add(spec: FaultSpec): Fault {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new Error(`faults.add: times must be > 0, got ${times}`);
    if (spec.status === undefined && !spec.drop && !spec.dropAfterHandling && spec.delayMs === undefined) {
      throw new Error("faults.add: give at least one of status, drop, dropAfterHandling or delayMs");
    }
    const f: MutableFault = { ...spec, id: ++this.#seq, hits: 0, remaining: times };
    this.#faults.push(f);
    return f;
  }

  /** Removes every fault. */
  clear(): void {
    this.#faults = [];
  }

  /** Faults still armed. */
  pending(): readonly Fault[] {
    return this.#faults;
  }

  /** Takes (consumes one use of) the first fault matching this request, if any. @internal */
  take(method: string, normalized: string, raw: string): Fault | undefined {
    const f = this.#faults.find(
      (x) =>
        x.remaining > 0 &&
        (x.method === undefined || x.method.toUpperCase() === method) &&
        pathMatches(x.path, normalized, raw),
    );
    if (!f) return undefined;
    f.hits++;
    f.remaining--;
    if (f.remaining <= 0) this.#faults = this.#faults.filter((x) => x !== f);
    return f;
  }
}

/** One request as the stats saw it. */
export interface RequestRecord {
  readonly method: string;
  /** Normalised path (`/api/me`). */
  readonly path: string;
  /** Pathname as sent (`/api/42/me.json`). */
  readonly rawPath: string;
  readonly query: string;
  /** Final status; 0 for a dropped connection or one still in progress. */
  status: number;
}

/** Default of {@link StatsOptions.maxRecords}. */
export const DEFAULT_MAX_REQUEST_RECORDS = 10_000;

/** Options of {@link Stats}. */
export interface StatsOptions {
  /**
   * How many of the latest requests {@link Stats.requests} keeps (default 10,000): older records
   * are dropped, so a long-running emulator does not grow by a record per request. Counts
   * ({@link Stats.count}, {@link Stats.total}) stay exact whatever the bound.
   */
  maxRecords?: number;
}

/** Requests of one method on one path, counted. */
interface PathCount {
  readonly method: string;
  readonly path: string;
  readonly rawPath: string;
  n: number;
}

/**
 * Per-request counters (`emu.stats`), to count retries and server-side cache hits in tests.
 * Counts are exact and kept per method and path (memory grows with the distinct paths, not with
 * the requests); the records themselves are a ring of the latest `maxRecords`.
 */
export class Stats {
  readonly maxRecords: number;
  #ring: RequestRecord[] = [];
  /** Index of the oldest record once the ring is full. */
  #start = 0;
  #counts = new Map<string, PathCount>();
  #total = 0;

  constructor(options: StatsOptions = {}) {
    const max = options.maxRecords ?? DEFAULT_MAX_REQUEST_RECORDS;
    if (!Number.isInteger(max) || max < 0) {
      throw new Error(`maxRecords must be a whole number >= 0, got ${String(max)}`);
    }
    this.maxRecords = max;
  }

  /** @internal */
  record(r: RequestRecord): RequestRecord {
    this.#total++;
    const key = `${r.method}\u0000${r.path}\u0000${r.rawPath}`;
    const counted = this.#counts.get(key);
    if (counted) counted.n++;
    else this.#counts.set(key, { method: r.method, path: r.path, rawPath: r.rawPath, n: 1 });
    if (this.maxRecords === 0) return r;
    if (this.#ring.length < this.maxRecords) this.#ring.push(r);
    else {
      this.#ring[this.#start] = r;
      this.#start = (this.#start + 1) % this.maxRecords;
    }
    return r;
  }

  /**
   * How many requests matched `path` (same matching as faults) and, if given, `method`; exact
   * however many requests the emulator has seen.
   *
   * @example
   * expect(emu.stats.count("/api/system/info")).toBe(1);
   */
  count(path: PathMatcher, method?: string): number {
    const m = method?.toUpperCase();
    let n = 0;
    for (const c of this.#counts.values()) {
      if ((m === undefined || c.method === m) && pathMatches(path, c.path, c.rawPath)) n += c.n;
    }
    return n;
  }

  /**
   * The matching requests among the latest {@link maxRecords}, oldest first (all of those without
   * arguments).
   */
  requests(path?: PathMatcher, method?: string): readonly RequestRecord[] {
    const ordered = [...this.#ring.slice(this.#start), ...this.#ring.slice(0, this.#start)];
    return ordered.filter(
      (r) =>
        (path === undefined || pathMatches(path, r.path, r.rawPath)) &&
        (method === undefined || r.method === method.toUpperCase()),
    );
  }

  /** Total requests seen. */
  get total(): number {
    return this.#total;
  }

  /** How many request records are kept right now (at most {@link maxRecords}). */
  get retained(): number {
    return this.#ring.length;
  }

  reset(): void {
    this.#ring = [];
    this.#start = 0;
    this.#counts = new Map();
    this.#total = 0;
  }
}
