import type { z } from "zod";
import { Dhis2ClientError } from "../errors.js";
import { Dhis2ApiError } from "../http/errors/api-error.js";
import type { QueryParams } from "../http/params.js";
import type { TtlCache } from "./cache.js";
import { Me, SystemInfo } from "./schemas.js";

/** The narrow slice of the client the system facade uses. */
export interface SystemTransport {
  /** GET and decode: the JSON value as sent (`undefined` when empty), text when not JSON. */
  getJson(
    path: string,
    options?: { params?: QueryParams; signal?: AbortSignal | undefined },
  ): Promise<unknown>;
}

/** A system setting's value as DHIS2 stores it. */
export type SettingValue =
  | string
  | number
  | boolean
  | null
  | readonly unknown[]
  | Readonly<Record<string, unknown>>;

const KEYS = {
  info: "info",
  defaultCategoryCombo: "defaultCategoryComboUid",
  setting: (k: string) => `setting:${k}`,
};

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues
    .map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`)
    .join("; ");
  throw new Dhis2ClientError(`${what} did not have the expected shape: ${issues}`);
}

/**
 * `client.system`: who am I, what server is this, and the few system-level reads scripts repeat.
 * `info()`, `defaultCategoryComboUid()` and `setting(key)` are cached for `systemCacheTtlMs`
 * (default 5 minutes; `null` disables); `info()` is primed by `connect()`.
 *
 * @example
 * ```ts
 * const me = await client.system.me();
 * const cc = await client.system.defaultCategoryComboUid();
 * client.system.invalidateCache({ key: "setting:applicationTitle" });
 * ```
 */
export class SystemApi {
  readonly #transport: SystemTransport;
  readonly #cache: TtlCache;

  constructor(transport: SystemTransport, cache: TtlCache) {
    this.#transport = transport;
    this.#cache = cache;
  }

  /** `/api/system/info` (cached; free right after `connect()`). */
  info(options: { signal?: AbortSignal } = {}): Promise<SystemInfo> {
    return this.#cache.getOrLoad(KEYS.info, async () =>
      parseOrThrow(
        SystemInfo,
        await this.#transport.getJson("/api/system/info", options),
        "/api/system/info",
      ),
    );
  }

  /** @internal Stores the info `connect()` already fetched. */
  primeInfo(info: SystemInfo): void {
    this.#cache.set(KEYS.info, info);
  }

  /** `/api/me`: the authenticated user (never cached: it is per-user state). */
  async me(options: { fields?: string; signal?: AbortSignal } = {}): Promise<Me> {
    const params = options.fields ? { fields: options.fields } : undefined;
    const raw = await this.#transport.getJson("/api/me", { params, signal: options.signal });
    return parseOrThrow(Me, raw, "/api/me");
  }

  /**
   * The UID of the category combo named `default` (cached). Looked up, never guessed: a server
   * without one throws.
   */
  defaultCategoryComboUid(options: { signal?: AbortSignal } = {}): Promise<string> {
    return this.#cache.getOrLoad(KEYS.defaultCategoryCombo, async () => {
      const raw = await this.#transport.getJson("/api/categoryCombos", {
        params: { filter: "name:eq:default", fields: "id", paging: false },
        signal: options.signal,
      });
      const combos = (raw as { categoryCombos?: unknown } | undefined)?.categoryCombos;
      const first = Array.isArray(combos) ? (combos[0] as { id?: unknown } | undefined) : undefined;
      if (typeof first?.id !== "string") {
        throw new Dhis2ClientError(
          "no category combo named 'default' was found at /api/categoryCombos?filter=name:eq:default (every DHIS2 server has one: check that the user can read category combos)",
        );
      }
      return first.id;
    });
  }

  /**
   * One system setting (`/api/systemSettings/{key}`), cached per key. DHIS2 answers either
   * `{ "<key>": value }` or the bare value; both come back as the value. An unknown or unset key
   * gives `undefined`.
   */
  setting(key: string, options: { signal?: AbortSignal } = {}): Promise<SettingValue | undefined> {
    if (!key) throw new Dhis2ClientError("system.setting(key): key must not be empty");
    return this.#cache.getOrLoad(KEYS.setting(key), async () => {
      let raw: unknown;
      try {
        raw = await this.#transport.getJson(`/api/systemSettings/${encodeURIComponent(key)}`, options);
      } catch (err) {
        // Only "no such key" reads as unset; auth and server errors must not look like "unset".
        if (err instanceof Dhis2ApiError && err.statusCode === 404) return undefined;
        throw err;
      }
      if (raw === undefined || raw === "") return undefined;
      if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
        const obj = raw as Record<string, unknown>;
        if (Object.hasOwn(obj, key)) return obj[key] as SettingValue;
        if (Object.keys(obj).length === 0) return undefined;
      }
      return raw as SettingValue;
    });
  }

  /**
   * Drops one cached value (`"info"`, `"defaultCategoryComboUid"`, `"setting:<key>"`) or all of
   * them.
   */
  invalidateCache(options: { key?: string } = {}): void {
    this.#cache.invalidate(options.key);
  }
}
