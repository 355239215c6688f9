import { type Analytics, createAnalytics } from "./analytics/index.js";
import { Apps } from "./apps/apps.js";
import type { AuthProvider } from "./auth/provider.js";
import type { Dhis2ClientOptions, RawResponse, RequestOptions } from "./client-options.js";
import { createDataStores, type DataStore } from "./data-store/data-store.js";
import { createDataValues, type DataValues } from "./data-values/data-values.js";
import { Dhis2ClientError } from "./errors.js";
import { Documents, Files } from "./files/files.js";
import { loadResourceTable } from "./generated/registry.gen.js";
import { encodeBody, MAX_RESPONSE_BYTES, readBody, readText } from "./http/body.js";
import { Dhis2ApiError } from "./http/errors/api-error.js";
import { normaliseBaseUrl, resolveUrl } from "./http/params.js";
import { defaultSleep, type FetchLike, HttpPipeline } from "./http/pipeline.js";
import { aliasTarget, viaQueryAlias } from "./http/query-alias.js";
import type { RetryPolicy } from "./http/retry.js";
import { isObject } from "./is-object.js";
import { createMaintenance, type Maintenance } from "./maintenance/index.js";
import { Messaging } from "./messaging/messaging.js";
import { createOrganisationUnitTree, type OrganisationUnitTree } from "./organisation-units/tree.js";
import { createPredictors, type Predictors } from "./predictors/index.js";
import { bindMetadataAccessors, type MetadataAccessorsFor } from "./resources/bind.js";
import { createSharing, type SharingApi } from "./sharing/sharing.js";
import { SqlViews } from "./sql-views/sql-views.js";
import { formatIssues, type StandardSchemaV1 } from "./standard-schema.js";
import { TtlCache } from "./system/cache.js";
import { SystemInfo } from "./system/schemas.js";
import { SystemApi } from "./system/system.js";
import { createTasks, type Tasks } from "./tasks/index.js";
import { createTracker, type TrackerApi } from "./tracker/index.js";
import { createUsers, type UsersApi } from "./users/users.js";
import { createValidation, type Validation } from "./validation/index.js";
import {
  isVersionKey,
  resolveVersionKey,
  SUPPORTED_VERSIONS,
  type VersionBehaviour,
  type VersionKey,
} from "./versions.js";

export type { ClientNotice, Dhis2ClientOptions, RawResponse, RequestOptions } from "./client-options.js";

type ConnectedHook<V extends VersionKey> = (versionKey: V, client: Dhis2Client<V>) => void | Promise<void>;

const INFO_PATH = "/api/system/info";

function wrapRaw(value: unknown): RawResponse {
  if (value === undefined) return {};
  return isObject(value) ? value : { data: value };
}

/** `https://host/ctx/api/system/info` -> `https://host/ctx`. */
function baseFromInfoUrl(url: URL): string | undefined {
  const path = url.pathname.replace(/\/+$/, "");
  return path.endsWith(INFO_PATH) ? url.origin + path.slice(0, -INFO_PATH.length) : undefined;
}

/**
 * A client for one DHIS2 server. `connect()` finds the server's canonical address and version
 * and binds that version's accessors; `Dhis2Client.open()` does both steps. One client serves
 * any number of concurrent calls.
 *
 * @example
 * ```ts
 * await using client = await Dhis2Client.open({ baseUrl: "http://localhost:8080", auth: new PatAuth({ token }) });
 * console.log(client.versionKey, (await client.system.me()).username);
 * ```
 */
export class Dhis2Client<V extends VersionKey = VersionKey> implements AsyncDisposable {
  /** Constructs and connects; closes again when connecting fails. */
  static async open<V extends VersionKey = VersionKey>(
    options: Dhis2ClientOptions<V>,
    connectOptions: { signal?: AbortSignal } = {},
  ): Promise<Dhis2Client<V>> {
    const client = new Dhis2Client<V>(options);
    try {
      await client.connect(connectOptions);
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  readonly auth: AuthProvider;
  readonly retryPolicy: RetryPolicy | undefined;
  /** System info, the current user, settings, the default category combo. */
  readonly system: SystemApi;
  /** Data value sets: streamed, chunked import; export; single values. */
  readonly dataValues: DataValues;
  /** `/api/analytics` queries in three shapes; `streamTo` a `WritableStream` (files: `streamAnalyticsTo` of `@dhis2w/client/node`). */
  readonly analytics: Analytics;
  /** Async jobs: `awaitCompletion(ref)`, `iterNotifications(ref)`, summaries. */
  readonly tasks: Tasks;
  /** Analytics and resource table refreshes, data integrity checks and issues. */
  readonly maintenance: Maintenance;
  /** Tracked entities, enrollments, events, relationships; tracker imports. */
  readonly tracker: TrackerApi;
  /** `/api/dataStore`: namespaces of keys holding JSON, shared by all users. */
  readonly dataStore: DataStore;
  /** `/api/userDataStore`: the same, one store per user (`forUser(name)` for superusers). */
  readonly userDataStore: DataStore;
  /** User accounts: org unit scopes, group membership, disable/enable. */
  readonly users: UsersApi;
  /** Who may see and change an object (`/api/sharing`), with typed access strings. */
  readonly sharing: SharingApi;
  /** The org unit hierarchy: children, ancestors, streamed descendants, levels. */
  readonly organisationUnits: OrganisationUnitTree;
  /** Validation rule analysis and expression descriptions. */
  readonly validation: Validation;
  /** Predictor runs. */
  readonly predictors: Predictors;
  /** `/api/sqlViews/{uid}/data`: run SQL views into a `Grid`; `adhoc(sql)`. */
  readonly sqlViews: SqlViews;
  /** `/api/fileResources`: streamed uploads, downloads, the `storageStatus` wait. */
  readonly files: Files;
  /** `/api/documents`: files (a DOCUMENT file resource, then the document) and external links. */
  readonly documents: Documents;
  /** `/api/messageConversations`: list, send, reply, read state. */
  readonly messaging: Messaging;
  /** `/api/apps`: list, install from a zip, uninstall, reload. */
  readonly apps: Apps;

  readonly #options: Dhis2ClientOptions<V>;
  readonly #pipeline: HttpPipeline;
  readonly #connectedHooks: ConnectedHook<V>[] = [];
  readonly #maxResponseBytes: number;
  #baseUrl: string;
  #versionKey: V | undefined;
  #rawVersion: string | undefined;
  #connecting: Promise<this> | undefined;
  #metadata: MetadataAccessorsFor<V> | undefined;

  constructor(options: Dhis2ClientOptions<V>) {
    if (!options?.auth || typeof options.auth.headers !== "function") {
      throw new Dhis2ClientError(
        "Dhis2Client needs an auth provider (new PatAuth({ token }) or new BasicAuth({ ... }))",
      );
    }
    if (options.version !== undefined && !isVersionKey(options.version)) {
      throw new Dhis2ClientError(
        `version "${String(options.version)}" is not supported; use one of ${Object.keys(SUPPORTED_VERSIONS).join(", ")}`,
      );
    }
    this.#options = options;
    this.#maxResponseBytes = checkMaxResponseBytes(options.maxResponseBytes);
    this.#baseUrl = normaliseBaseUrl(options.baseUrl);
    this.auth = options.auth;
    this.retryPolicy = options.retryPolicy;
    const now = options.now ?? Date.now;
    const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#pipeline = new HttpPipeline({
      fetch: fetchImpl,
      auth: options.auth,
      retryPolicy: options.retryPolicy,
      timeoutMs: options.timeoutMs === undefined ? 60_000 : options.timeoutMs,
      sleep: options.sleep ?? defaultSleep,
      now,
      random: options.random ?? Math.random,
      maxRedirects: options.maxRedirects ?? 10,
      maxResponseBytes: this.#maxResponseBytes,
      onRequest: options.onRequest,
      onResponse: options.onResponse,
    });
    const ttl = options.systemCacheTtlMs === undefined ? 300_000 : options.systemCacheTtlMs;
    this.system = new SystemApi(
      {
        getJson: (path, opts) => this.#json("GET", path, opts ?? {}),
        sendJson: (method, path, opts) => this.#json(method, path, opts ?? {}),
      },
      new TtlCache(ttl, now),
    );
    this.dataValues = createDataValues(this);
    this.tracker = createTracker(this);
    ({ dataStore: this.dataStore, userDataStore: this.userDataStore } = createDataStores(this));
    this.users = createUsers(this);
    this.sharing = createSharing(this);
    this.organisationUnits = createOrganisationUnitTree(this);
    this.analytics = createAnalytics(this);
    this.tasks = createTasks(this, { sleep: options.sleep ?? defaultSleep, now });
    this.maintenance = createMaintenance(this, this.tasks);
    this.validation = createValidation(this);
    this.predictors = createPredictors(this);
    this.sqlViews = new SqlViews(this);
    this.files = new Files(this, { sleep: options.sleep ?? defaultSleep, now });
    this.documents = new Documents(this, this.files);
    this.messaging = new Messaging(this, (signal) => this.system.me({ signal }));
    this.apps = new Apps(this);
  }

  #bound(): MetadataAccessorsFor<V> {
    if (!this.#metadata) throw new Dhis2ClientError("not connected yet: call connect() first");
    return this.#metadata;
  }

  /**
   * Every metadata resource of the connected version, by DHIS2's plural name.
   *
   * @example
   * ```ts
   * const des = await client.resources.dataElements.list({ filters: ["name:like:Penta"], fields: "id,name" });
   * ```
   */
  get resources(): MetadataAccessorsFor<V>["resources"] {
    return this.#bound().resources;
  }

  /** `/api/metadata` export and import with a typed import report. */
  get metadata(): MetadataAccessorsFor<V>["metadata"] {
    return this.#bound().metadata;
  }

  /** Data set helpers, e.g. `addOrganisationUnits(ds, ous)`. */
  get dataSets(): MetadataAccessorsFor<V>["dataSets"] {
    return this.#bound().dataSets;
  }

  /** The Route API (`/api/routes`). */
  get routes(): MetadataAccessorsFor<V>["routes"] {
    return this.#bound().routes;
  }

  /**
   * The server root requests go to, without a trailing slash: the given `baseUrl` until
   * `connect()`, then the canonical one the handshake adopted when `/api/system/info` redirected
   * (a context path, another port, or another host over https; never https -> http). Compare it
   * with the configured URL, or listen to `onNotice`, to tell the user.
   *
   * @example
   * ```ts
   * const client = await Dhis2Client.open({ baseUrl: "https://play.dhis2.org/dev", auth });
   * if (client.baseUrl !== "https://play.dhis2.org/dev") console.error(`using ${client.baseUrl}`);
   * ```
   */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** True once `connect()` has succeeded. */
  get connected(): boolean {
    return this.#versionKey !== undefined;
  }

  /** The bound version, e.g. `"v42"`. Throws before `connect()`. */
  get versionKey(): V {
    if (this.#versionKey === undefined) throw new Dhis2ClientError("not connected yet: call connect() first");
    return this.#versionKey;
  }

  /** The version the server reports, e.g. `"2.42.4"`. Throws before `connect()`. */
  get rawVersion(): string {
    if (this.#rawVersion === undefined) throw new Dhis2ClientError("not connected yet: call connect() first");
    return this.#rawVersion;
  }

  /** What differs in the bound version (from the one version table, `SUPPORTED_VERSIONS`). */
  get versionBehaviour(): VersionBehaviour {
    return SUPPORTED_VERSIONS[this.versionKey];
  }

  /**
   * The handshake: resolves the canonical base URL (following redirects without carrying
   * credentials to another host), reads `/api/system/info`, maps its version to a version key
   * and binds that version. Calling it again returns the same connection.
   */
  connect(options: { signal?: AbortSignal } = {}): Promise<this> {
    this.#connecting ??= this.#handshake(options.signal).catch((err: unknown) => {
      this.#connecting = undefined;
      throw err;
    });
    return this.#connecting;
  }

  /**
   * Registers work to run at the end of `connect()` with the resolved version key (the toolkit's
   * facades bind their per-version accessors here). Runs at once if already connected.
   */
  async onConnected(hook: ConnectedHook<V>): Promise<void> {
    this.#connectedHooks.push(hook);
    if (this.#versionKey !== undefined) await hook(this.#versionKey, this);
  }

  /** Extension point run at the end of `connect()`; the base class runs the `onConnected` hooks. */
  protected async bindVersion(versionKey: V): Promise<void> {
    this.#metadata = bindMetadataAccessors(this, await loadResourceTable(versionKey), versionKey);
    for (const hook of this.#connectedHooks) await hook(versionKey, this);
  }

  async #handshake(signal: AbortSignal | undefined): Promise<this> {
    const first = await this.#pipeline.exchange({
      method: "GET",
      url: resolveUrl(this.#baseUrl, INFO_PATH),
      signal,
      // Lenient: a login page here is judged below ("not DHIS2"), not thrown as a parse error.
      read: async (res) => {
        const text = await readText(res, this.#maxResponseBytes);
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      },
    });
    const given = new URL(this.#baseUrl);
    const final = first.finalUrl;
    const asked = `${this.#baseUrl}${INFO_PATH}`;
    const landed = this.#pipeline.redactor.url(final);
    if (given.protocol === "https:" && final.protocol === "http:") {
      // Never adopt plain http when https was given: every later request would carry the
      // credentials in clear text. (The pipeline already withheld them on the http hop.)
      throw new Dhis2ClientError(
        `${asked} redirected to ${landed}: refusing to move from https to plain http, where the credentials would travel in clear text (they were not sent there). This is usually a proxy that terminates TLS in front of Tomcat without telling it so (nginx: proxy_set_header X-Forwarded-Proto https; Tomcat: a RemoteIpValve), so DHIS2 builds its redirects with http://. Fix the proxy; if the server really has no https, set baseUrl to its http:// address yourself.`,
      );
    }
    const derived = baseFromInfoUrl(final);
    let raw: unknown;
    if (!first.credentialsSent) {
      // Redirected to another host, so the pipeline withheld the credentials. Adopt that host only
      // when it answers like DHIS2 (JSON at /api/system/info, even on 401), then ask again there.
      const dhis2Like = first.ok
        ? isObject(first.value) && typeof first.value.version === "string"
        : first.error.statusCode === 401 && isObject(first.error.body);
      if (!derived || !dhis2Like) {
        throw new Dhis2ClientError(
          `${asked} redirected to ${final.origin}, which does not answer like a DHIS2 server; the credentials were not sent there. Set baseUrl to the server's own address.`,
        );
      }
      // Play servers move between hosts, so another host is adopted, but only over https (or
      // plain http on the same host name, another port or path): credentials never go in clear
      // text to a host the user did not name.
      if (final.protocol !== "https:" && final.hostname !== given.hostname) {
        throw new Dhis2ClientError(
          `${asked} redirected to ${final.origin}, plain http on another host; the credentials were not sent there, and the client adopts another host only over https. Set baseUrl to the server's own address (its https:// one if it has it).`,
        );
      }
      this.#adopt(derived);
      raw = await this.#json("GET", INFO_PATH, { signal });
    } else {
      if (!first.ok) throw first.error;
      if (derived) this.#adopt(derived);
      raw = first.value;
    }
    const info = SystemInfo.safeParse(raw);
    if (!info.success) {
      throw new Dhis2ClientError(
        `${this.#baseUrl}${INFO_PATH} did not report a version (${formatIssues(info.error.issues)}); is this a DHIS2 server?`,
      );
    }
    const versionKey =
      this.#options.version ??
      (resolveVersionKey(info.data.version, { allowFallback: this.#options.allowVersionFallback }) as V);
    this.system.primeInfo(info.data);
    this.#rawVersion = info.data.version;
    this.#versionKey = versionKey;
    try {
      await this.bindVersion(versionKey);
    } catch (err) {
      this.#versionKey = undefined;
      throw err;
    }
    return this;
  }

  /** Switches to the canonical base URL the handshake found, and says so through `onNotice`. */
  #adopt(base: string): void {
    if (base === this.#baseUrl) return;
    const from = this.#baseUrl;
    this.#baseUrl = base;
    this.#options.onNotice?.({
      kind: "baseUrlAdopted",
      from,
      to: base,
      message: `${from}${INFO_PATH} redirected: using ${base} as the base URL`,
    });
  }

  /** GET, JSON back. */
  getRaw<T extends object = RawResponse>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>("GET", path, options);
  }

  /** POST `body` (objects and arrays as JSON; strings, Blobs, FormData as they are). */
  postRaw<T extends object = RawResponse>(
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<T> {
    return this.request<T>("POST", path, { ...options, body });
  }

  /** PUT `body`; DHIS2 replaces the object. */
  putRaw<T extends object = RawResponse>(
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<T> {
    return this.request<T>("PUT", path, { ...options, body });
  }

  /** PATCH with an RFC 6902 JSON Patch, sent as `application/json-patch+json`. */
  patchRaw<T extends object = RawResponse>(
    path: string,
    ops: unknown,
    options: RequestOptions = {},
  ): Promise<T> {
    const headers = { "content-type": "application/json-patch+json", ...lower(options.headers) };
    return this.request<T>("PATCH", path, { ...options, headers, body: ops });
  }

  /** DELETE. */
  deleteRaw<T extends object = RawResponse>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>("DELETE", path, options);
  }

  /** Any method; the answer as the raw methods return it. */
  async request<T extends object = RawResponse>(
    method: string,
    path: string,
    options: RequestOptions & { body?: unknown } = {},
  ): Promise<T> {
    return wrapRaw(await this.#json(method, path, options)) as T;
  }

  /**
   * GET validated by any Standard Schema validator (zod, valibot, arktype). The schema sees the
   * JSON exactly as sent (a bare array stays an array). A mismatch throws a
   * {@link Dhis2ClientError} naming the path and the issues.
   *
   * @example
   * ```ts
   * const pager = await client.get("/api/dataElements", { schema: z.object({ pager: z.object({ total: z.number() }) }) });
   * ```
   */
  async get<S extends StandardSchemaV1>(
    path: string,
    options: RequestOptions & { schema: S },
  ): Promise<StandardSchemaV1.InferOutput<S>> {
    const raw = await this.#json("GET", path, options);
    const result = await options.schema["~standard"].validate(raw);
    if (result.issues) {
      throw new Dhis2ClientError(
        `GET ${path}: the answer does not match the schema: ${formatIssues(result.issues)}`,
      );
    }
    return result.value as StandardSchemaV1.InferOutput<S>;
  }

  /**
   * The successful `Response` itself, body unread, for streaming (errors are still thrown). The
   * caller must consume or cancel the body; the timeout does not cover reading it.
   */
  fetchResponse(
    method: string,
    path: string,
    options: RequestOptions & { body?: unknown } = {},
  ): Promise<Response> {
    return this.#send(method, path, options, async (res) => res);
  }

  #json(method: string, path: string, options: RequestOptions & { body?: unknown }): Promise<unknown> {
    const { onHeaders } = options;
    const limit = this.#maxResponseBytes;
    return this.#send(method, path, options, (res) => {
      onHeaders?.(res.headers);
      return readBody(res, limit);
    });
  }

  #send<T>(
    method: string,
    path: string,
    options: RequestOptions & { body?: unknown },
    read: (res: Response) => Promise<T>,
  ): Promise<T> {
    const url = resolveUrl(this.#baseUrl, path, options.params);
    const encoded = encodeBody(options.body);
    const headers = {
      ...(encoded.contentType ? { "content-type": encoded.contentType } : {}),
      ...lower(options.headers),
    };
    const sent = this.#pipeline.send({
      method,
      url,
      headers,
      body: encoded.body,
      signal: options.signal,
      read,
    });
    if (method.toUpperCase() !== "GET") return sent;
    return sent.catch((error: unknown) => {
      // A GET too long for the server or its proxy: again through a query alias, like DHIS2's apps.
      const target =
        error instanceof Dhis2ApiError && error.statusCode === 414
          ? aliasTarget(this.#baseUrl, url)
          : undefined;
      if (!target) throw error;
      return viaQueryAlias(this.#pipeline, this.#baseUrl, target, { headers, signal: options.signal, read });
    });
  }

  /** Ends the client: in-flight requests are aborted, later ones throw. */
  async close(): Promise<void> {
    this.#pipeline.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function checkMaxResponseBytes(value: number | undefined): number {
  if (value === undefined) return MAX_RESPONSE_BYTES;
  if (!Number.isInteger(value) || value < 1) {
    throw new Dhis2ClientError(`maxResponseBytes must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function lower(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}
