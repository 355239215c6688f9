/**
 * One tracker exporter (`/api/tracker/trackedEntities`, `/enrollments`, `/events`, `/relationships`):
 * `list` (one page, typed), `listRaw` (the answer as sent), `page` (`{ pager, items }`), `get` and
 * `iterate` (every page, without needing totals).
 */
import { Dhis2ClientError } from "../errors.js";
import type { QueryParams } from "../http/params.js";
import { formatIssues } from "../standard-schema.js";
import {
  normalizeTrackerPage,
  type TrackerKind,
  type TrackerListOptions,
  type TrackerPage,
  trackerQueryParams,
} from "./params.js";

/** What the tracker facade needs from a client; `Dhis2Client` satisfies it. */
export interface TrackerHttp {
  getRaw(path: string, options?: { params?: QueryParams; signal?: AbortSignal }): Promise<object>;
  postRaw(
    path: string,
    body?: unknown,
    options?: { params?: QueryParams; signal?: AbortSignal },
  ): Promise<object>;
}

/** A zod-like schema (anything with `safeParse`). */
export interface ItemSchema<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly unknown[] } };
}

/** Options of `get(uid, ...)`. */
export interface TrackerGetOptions {
  readonly fields?: string | readonly string[];
  /** Include the program attributes of this program (tracked entities). */
  readonly program?: string;
  readonly signal?: AbortSignal;
}

/**
 * A typed tracker exporter.
 *
 * @example
 * ```ts
 * const page = await client.tracker.events.list({ program: "IpHINAT79UW", orgUnits: [ou], pageSize: 100 });
 * for await (const te of client.tracker.trackedEntities.iterate({ program: "IpHINAT79UW", orgUnitMode: "ALL" })) {
 *   console.log(te.trackedEntity);
 * }
 * ```
 */
export class TrackerEndpoint<T, O extends TrackerListOptions> {
  readonly #http: TrackerHttp;
  readonly #kind: TrackerKind;
  readonly #schema: ItemSchema<T>;
  readonly #typeName: string;

  constructor(http: TrackerHttp, kind: TrackerKind, schema: ItemSchema<T>, typeName: string) {
    this.#http = http;
    this.#kind = kind;
    this.#schema = schema;
    this.#typeName = typeName;
  }

  /** `/api/tracker/<kind>`. */
  get path(): string {
    return `/api/tracker/${this.#kind}`;
  }

  /** The query parameters this endpoint sends for `options` on the connected version. */
  params(options: O = {} as O): Record<string, unknown> {
    return trackerQueryParams(this.#kind, options as O & Record<string, unknown>);
  }

  /** The answer exactly as the server sent it (2.41 keeps its flat `page`/`pageSize`). */
  listRaw(options: O = {} as O): Promise<Record<string, unknown>> {
    return this.#http.getRaw(this.path, {
      params: this.params(options) as QueryParams,
      ...(options.signal ? { signal: options.signal } : {}),
    }) as Promise<Record<string, unknown>>;
  }

  /** One page, normalised to `{ pager, items }` and typed. */
  async page(options: O = {} as O): Promise<TrackerPage<T>> {
    const raw = await this.listRaw(options);
    const { pager, items } = normalizeTrackerPage(this.#kind, raw, options);
    return { pager, items: items.map((item, i) => this.#parse(item, `${this.#kind}[${i}]`)) };
  }

  /** One page of typed objects. */
  async list(options: O = {} as O): Promise<T[]> {
    return (await this.page(options)).items;
  }

  /** One object by UID (404 -> `Dhis2ApiError`). */
  async get(uid: string, options: TrackerGetOptions = {}): Promise<T> {
    if (!uid) throw new Dhis2ClientError(`tracker ${this.#kind}.get: a UID is required`);
    const params: Record<string, string> = {};
    if (options.fields !== undefined) {
      params.fields = typeof options.fields === "string" ? options.fields : options.fields.join(",");
    }
    if (options.program !== undefined) params.program = options.program;
    const raw = await this.#http.getRaw(`${this.path}/${encodeURIComponent(uid)}`, {
      params,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return this.#parse(raw, uid);
  }

  /**
   * Every object over all pages, from `options.page` (default 1). Stops at the first short page,
   * so it needs no totals; `signal` stops it between and during requests.
   */
  async *iterate(options: O = {} as O): AsyncGenerator<T, void, undefined> {
    const pageSize = options.pageSize ?? 50;
    let page = options.page ?? 1;
    for (;;) {
      options.signal?.throwIfAborted();
      const result = await this.page({ ...options, page, pageSize, paging: undefined });
      yield* result.items;
      const size = result.pager.pageSize > 0 ? result.pager.pageSize : pageSize;
      const last = result.pager.pageCount !== undefined && page >= result.pager.pageCount;
      if (result.items.length < size || result.items.length === 0 || last) return;
      page += 1;
    }
  }

  #parse(raw: unknown, where: string): T {
    const parsed = this.#schema.safeParse(raw);
    if (!parsed.success) {
      throw new Dhis2ClientError(
        `${this.path}: ${where} is not a ${this.#typeName} (${formatIssues(parsed.error.issues as never)})`,
      );
    }
    return parsed.data;
  }
}
