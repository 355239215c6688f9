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
  /** Any other method (`settings` writes); the JSON value as sent. */
  sendJson?(
    method: string,
    path: string,
    options?: {
      params?: QueryParams;
      body?: unknown;
      headers?: Readonly<Record<string, string>>;
      signal?: AbortSignal | undefined;
    },
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
   * Every system setting the server answers (`GET /api/systemSettings`): on 2.42+ every key with
   * its default or stored value (about 150), on 2.41 the keys that have one. Confidential keys
   * (passwords) are never listed. Not cached.
   *
   * @example
   * ```ts
   * const settings = await client.system.settings();
   * console.log(settings.applicationTitle, Object.keys(settings).length);
   * ```
   */
  async settings(options: { signal?: AbortSignal } = {}): Promise<Record<string, SettingValue>> {
    const raw = await this.#transport.getJson("/api/systemSettings", options);
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw new Dhis2ClientError("/api/systemSettings did not answer an object of settings");
    }
    return raw as Record<string, SettingValue>;
  }

  /**
   * Sets one system setting (`POST /api/systemSettings/{key}`, needs `F_SYSTEM_SETTING`) and
   * drops its cached {@link setting}. The value goes as text, which every version reads the same
   * way (2.41 would keep a JSON string's quotes); `null` deletes the setting, which puts it back
   * to its default. DHIS2 refuses an unknown key (2.41: 409, 2.42+: 404) and a value of the
   * wrong type (400); both are thrown as {@link Dhis2ApiError}.
   *
   * @example
   * ```ts
   * await client.system.setSetting("applicationTitle", "Sierra Leone HMIS");
   * await client.system.setSetting("keyEmailPort", 2525);
   * await client.system.setSetting("applicationTitle", null); // back to "DHIS 2"
   * ```
   */
  async setSetting(
    key: string,
    value: string | number | boolean | null,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    if (typeof key !== "string" || key === "" || /[/\\;%?#\s]/.test(key)) {
      throw new Dhis2ClientError(
        `system.setSetting: ${JSON.stringify(key)} is not a setting key (e.g. "applicationTitle")`,
      );
    }
    const kind = value === null ? "null" : typeof value;
    if (
      kind !== "null" &&
      kind !== "string" &&
      kind !== "boolean" &&
      !(kind === "number" && Number.isFinite(value))
    ) {
      throw new Dhis2ClientError(
        `system.setSetting("${key}"): a setting is a string, number or boolean (null resets it), got ${kind === "number" ? String(value) : Array.isArray(value) ? "an array" : kind}`,
      );
    }
    const send = this.#transport.sendJson;
    if (!send) throw new Dhis2ClientError("system.setSetting: this transport cannot send writes");
    const path = `/api/systemSettings/${encodeURIComponent(key)}`;
    try {
      if (value === null) await send("DELETE", path, options);
      else if (value === "") await send("POST", path, { params: { value: "" }, signal: options.signal });
      else {
        await send("POST", path, {
          body: String(value),
          headers: { "content-type": "text/plain;charset=UTF-8" },
          signal: options.signal,
        });
      }
    } finally {
      // Whatever the answer, the cached value may be stale now.
      this.#cache.invalidate(KEYS.setting(key));
    }
  }

  /**
   * Drops one cached value (`"info"`, `"defaultCategoryComboUid"`, `"setting:<key>"`) or all of
   * them.
   */
  invalidateCache(options: { key?: string } = {}): void {
    this.#cache.invalidate(options.key);
  }
}
