/**
 * `client.dataStore` (`/api/dataStore`, shared by all users) and `client.userDataStore`
 * (`/api/userDataStore`, one store per user). One implementation serves 2.41-2.43: the endpoints
 * and their answers are the same there (dhis2-core `DatastoreController`,
 * `UserDatastoreController`); what differs is in `SUPPORTED_VERSIONS` (`dataStore.dottedNames`).
 */
import { Dhis2ClientError } from "../errors.js";
import { Dhis2ApiError } from "../http/errors/api-error.js";
import type { QueryParams } from "../http/params.js";
import { formatIssues, type StandardSchemaV1 } from "../standard-schema.js";
import { SUPPORTED_VERSIONS, type VersionKey } from "../versions.js";
import { DataStoreInputError } from "./errors.js";
import { checkQuery, type DataStoreQueryOptions } from "./query.js";
import { DataStoreEntryMetaData } from "./schemas.js";
import { checkName, jsonText } from "./validate.js";

/** What the data store needs from a client; `Dhis2Client` satisfies it. */
export interface DataStoreHttp {
  fetchResponse(
    method: string,
    path: string,
    options?: {
      params?: QueryParams;
      headers?: Readonly<Record<string, string>>;
      body?: unknown;
      signal?: AbortSignal;
    },
  ): Promise<Response>;
  /** The connected version key; picks the naming rules of `SUPPORTED_VERSIONS`. */
  readonly versionKey: VersionKey;
}

/** Options every call takes. */
export interface DataStoreCallOptions {
  readonly signal?: AbortSignal;
}

/** What `set` did. */
export interface DataStoreSetResult {
  /** True when the key did not exist before (DHIS2 answered 201). */
  readonly created: boolean;
}

/** One entry of a {@link DataStore.query}: its key and the fields asked for. */
export type DataStoreQueryEntry<T extends object = Record<string, unknown>> = { readonly key: string } & T;

const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" } as const;
const enc = encodeURIComponent;

/** A 404 becomes `undefined`; anything else is thrown as it came. */
async function unless404<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Dhis2ApiError && err.statusCode === 404) return undefined;
    throw err;
  }
}

/**
 * A DHIS2 data store: namespaces of keys, each holding any JSON value. Names and values DHIS2
 * would refuse are refused before any request with a {@link DataStoreInputError}.
 *
 * @example
 * ```ts
 * await client.dataStore.set("my-app", "config", { theme: "dark", pageSize: 20 });
 * const config = await client.dataStore.get("my-app", "config");
 * for await (const e of client.dataStore.query("my-app", { fields: "theme" })) console.log(e.key, e.theme);
 * ```
 */
export class DataStore {
  readonly #http: DataStoreHttp;
  readonly #base: string;
  readonly #name: string;
  readonly #params: Readonly<Record<string, string>>;

  constructor(
    http: DataStoreHttp,
    options: { base: "/api/dataStore" | "/api/userDataStore"; name: string; username?: string },
  ) {
    this.#http = http;
    this.#base = options.base;
    this.#name = options.name;
    this.#params = options.username !== undefined ? { username: options.username } : {};
  }

  get #userStore(): boolean {
    return this.#base === "/api/userDataStore";
  }

  #check(op: string, field: "namespace" | "key", name: unknown): string {
    const dotsAllowed = SUPPORTED_VERSIONS[this.#http.versionKey].dataStore.dottedNames;
    return checkName(field, name, { dotsAllowed, op: `${this.#name}.${op}` });
  }

  #path(namespace: string, key?: string): string {
    return key === undefined
      ? `${this.#base}/${enc(namespace)}`
      : `${this.#base}/${enc(namespace)}/${enc(key)}`;
  }

  #send(
    method: string,
    path: string,
    options: { params?: QueryParams; body?: string; signal?: AbortSignal },
  ) {
    return this.#http.fetchResponse(method, path, {
      params: { ...this.#params, ...options.params },
      headers: JSON_HEADERS,
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  async #text(path: string, options: DataStoreCallOptions & { params?: QueryParams } = {}): Promise<string> {
    return await (await this.#send("GET", path, options)).text();
  }

  async #json(path: string, options: DataStoreCallOptions & { params?: QueryParams } = {}): Promise<unknown> {
    const text = await this.#text(path, options);
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new Dhis2ClientError(
        `GET ${path}: the server answered ${text.length} bytes that are not JSON (${JSON.stringify(text.slice(0, 60))})`,
        { cause: err },
      );
    }
  }

  #readable(op: string, namespace: string, key: string): [string, string] {
    const ns = this.#check(op, "namespace", namespace);
    const k = this.#check(op, "key", key);
    if (k === "keys") {
      throw new DataStoreInputError(
        `${this.#name}.${op}: DHIS2 cannot read a key named "keys" (GET ${this.#base}/${ns}/keys lists the namespace's keys instead)`,
        "key",
        k,
      );
    }
    return [ns, k];
  }

  /**
   * Every namespace (of the user, for the user data store) that has at least one key.
   *
   * @example
   * ```ts
   * const namespaces = await client.dataStore.namespaces();
   * ```
   */
  async namespaces(options: DataStoreCallOptions = {}): Promise<string[]> {
    return ((await this.#json(this.#base, options)) as string[] | undefined) ?? [];
  }

  /**
   * The keys of a namespace; `[]` for a namespace that does not exist (DHIS2 keeps a namespace
   * only while it has keys, and answers 404 for one without).
   *
   * @example
   * ```ts
   * const keys = await client.dataStore.keys("my-app");
   * ```
   */
  async keys(namespace: string, options: DataStoreCallOptions = {}): Promise<string[]> {
    const ns = this.#check("keys", "namespace", namespace);
    const keys = await unless404(() => this.#json(`${this.#path(ns)}/keys`, options));
    return (keys as string[] | undefined) ?? [];
  }

  /**
   * The value of a key, or `undefined` when there is none. With `schema` (any Standard Schema
   * validator: zod, valibot, arktype) the value is validated and typed; a mismatch throws a
   * {@link DataStoreInputError} naming the namespace, key and issues.
   *
   * @example
   * ```ts
   * const config = await client.dataStore.get("my-app", "config", { schema: z.object({ theme: z.string() }) });
   * console.log(config?.theme);
   * ```
   */
  async get<S extends StandardSchemaV1 = StandardSchemaV1<unknown>>(
    namespace: string,
    key: string,
    options: DataStoreCallOptions & { schema?: S } = {},
  ): Promise<StandardSchemaV1.InferOutput<S> | undefined> {
    const [ns, k] = this.#readable("get", namespace, key);
    const raw = await unless404(() => this.#json(this.#path(ns, k), options));
    if (raw === undefined || !options.schema) return raw as StandardSchemaV1.InferOutput<S> | undefined;
    const result = await options.schema["~standard"].validate(raw);
    if (result.issues) {
      throw new DataStoreInputError(
        `${this.#name}.get("${ns}", "${k}"): the value does not match the schema: ${formatIssues(result.issues)}`,
        "value",
        "value",
      );
    }
    return result.value as StandardSchemaV1.InferOutput<S>;
  }

  /**
   * The value of a key exactly as DHIS2 sent it (its database's jsonb text: keys re-ordered,
   * `", "` and `": "` between tokens), or `undefined` when there is none. For printing byte for
   * byte; {@link get} parses it.
   *
   * @example
   * ```ts
   * process.stdout.write((await client.dataStore.getText("my-app", "config")) ?? "");
   * ```
   */
  async getText(
    namespace: string,
    key: string,
    options: DataStoreCallOptions = {},
  ): Promise<string | undefined> {
    const [ns, k] = this.#readable("getText", namespace, key);
    return unless404(() => this.#text(this.#path(ns, k), options));
  }

  /**
   * Creates the key or replaces its value. DHIS2 2.41-2.43 create on `PUT`; a server that answers
   * 404 instead gets a `POST`, and a `POST` that meets a key created meanwhile (409) a `PUT`.
   *
   * @example
   * ```ts
   * const { created } = await client.dataStore.set("my-app", "config", { theme: "dark" });
   * ```
   */
  async set(
    namespace: string,
    key: string,
    value: unknown,
    options: DataStoreCallOptions = {},
  ): Promise<DataStoreSetResult> {
    const ns = this.#check("set", "namespace", namespace);
    const k = this.#check("set", "key", key);
    if (k === "keys") {
      throw new DataStoreInputError(
        `${this.#name}.set: DHIS2 cannot read back a key named "keys" (GET ${this.#base}/${ns}/keys lists the namespace's keys); choose another key`,
        "key",
        k,
      );
    }
    const body = jsonText(value, `${this.#name}.set("${ns}", "${k}")`);
    const path = this.#path(ns, k);
    const status = async (method: string) => {
      const res = await this.#send(method, path, { body, ...options });
      await res.body?.cancel();
      return res.status;
    };
    try {
      return { created: (await status("PUT")) === 201 };
    } catch (err) {
      if (!(err instanceof Dhis2ApiError && err.statusCode === 404)) throw err;
    }
    try {
      await status("POST");
      return { created: true };
    } catch (err) {
      if (!(err instanceof Dhis2ApiError && err.statusCode === 409)) throw err;
      return { created: (await status("PUT")) === 201 };
    }
  }

  /**
   * Deletes a key; `false` when it did not exist.
   *
   * @example
   * ```ts
   * if (!(await client.dataStore.delete("my-app", "config"))) console.log("nothing to delete");
   * ```
   */
  async delete(namespace: string, key: string, options: DataStoreCallOptions = {}): Promise<boolean> {
    const ns = this.#check("delete", "namespace", namespace);
    const k = this.#check("delete", "key", key);
    const done = await unless404(async () => {
      await (await this.#send("DELETE", this.#path(ns, k), options)).body?.cancel();
      return true;
    });
    return done ?? false;
  }

  /**
   * Deletes a namespace and every key in it; `false` when it did not exist.
   *
   * @example
   * ```ts
   * await client.dataStore.deleteNamespace("my-app");
   * ```
   */
  async deleteNamespace(namespace: string, options: DataStoreCallOptions = {}): Promise<boolean> {
    const ns = this.#check("deleteNamespace", "namespace", namespace);
    const done = await unless404(async () => {
      await (await this.#send("DELETE", this.#path(ns), options)).body?.cancel();
      return true;
    });
    return done ?? false;
  }

  /**
   * Who created a key and when, its UID and sharing, without its value; `undefined` when the key
   * does not exist. The shared data store only: DHIS2's user data store has no such endpoint, so
   * there this throws before any request.
   *
   * @example
   * ```ts
   * const meta = await client.dataStore.metaData("my-app", "config");
   * console.log(meta?.id, meta?.lastUpdated);
   * ```
   */
  async metaData(
    namespace: string,
    key: string,
    options: DataStoreCallOptions = {},
  ): Promise<DataStoreEntryMetaData | undefined> {
    const ns = this.#check("metaData", "namespace", namespace);
    const k = this.#check("metaData", "key", key);
    if (this.#userStore) {
      throw new DataStoreInputError(
        `${this.#name}.metaData: DHIS2's user data store has no /metaData endpoint (2.41-2.43); use client.dataStore for entries that need it`,
        "key",
        k,
      );
    }
    const raw = await unless404(() => this.#json(`${this.#path(ns, k)}/metaData`, options));
    return raw === undefined ? undefined : DataStoreEntryMetaData.parse(raw);
  }

  /**
   * DHIS2's query API over a namespace (2.38+): every entry that matches, page after page, as
   * `{ key, ...fields }`. `fields` picks values (`"name,age"`, `"."` for the whole value,
   * `"a[b,c]"`, `"x~hoist(alias)"`; none: keys only), `filter` is `path:operator[:value]`
   * (several are ANDed, or ORed with `rootJunction: "OR"`), `order` is `path[:asc|desc|nasc|ndesc]`
   * (`_` is the key). A namespace that does not exist yields nothing.
   *
   * @example
   * ```ts
   * for await (const pet of client.dataStore.query("pets", { fields: "name,age", filter: "age:gt:5", order: "age:nasc" })) {
   *   console.log(pet.key, pet.name, pet.age);
   * }
   * ```
   */
  query<T extends object = Record<string, unknown>>(
    namespace: string,
    options: DataStoreQueryOptions = {},
  ): AsyncIterable<DataStoreQueryEntry<T>> {
    const ns = this.#check("query", "namespace", namespace);
    const params = checkQuery(options, `${this.#name}.query`);
    const pageSize = params.pageSize;
    const path = this.#path(ns);
    const read = (page: number) => this.#json(path, { params: { ...params, page }, signal: options.signal });
    return {
      async *[Symbol.asyncIterator]() {
        for (let page = 1; ; page++) {
          const raw = (await read(page)) as { entries?: DataStoreQueryEntry<T>[] } | undefined;
          const entries = Array.isArray(raw?.entries) ? raw.entries : [];
          yield* entries;
          if (entries.length < pageSize) return;
        }
      },
    };
  }

  /**
   * The same store of another user (`?username=`): DHIS2 lets superusers reach any user's data
   * store this way. Only on `client.userDataStore`.
   *
   * @example
   * ```ts
   * const theirs = await client.userDataStore.forUser("peter").namespaces();
   * ```
   */
  forUser(username: string): DataStore {
    if (!this.#userStore) {
      throw new DataStoreInputError(
        `${this.#name}.forUser: only the user data store is per user`,
        "namespace",
        username,
      );
    }
    if (typeof username !== "string" || username.trim() === "") {
      throw new DataStoreInputError(`${this.#name}.forUser: give a username`, "namespace", String(username));
    }
    return new DataStore(this.#http, {
      base: "/api/userDataStore",
      name: `${this.#name}.forUser("${username}")`,
      username,
    });
  }
}

/**
 * Builds `client.dataStore` and `client.userDataStore` over any client with `fetchResponse` and
 * `versionKey` (read at each call, so they can be made before `connect()`).
 *
 * @example
 * ```ts
 * const { dataStore, userDataStore } = createDataStores(client);
 * ```
 */
export function createDataStores(http: DataStoreHttp): { dataStore: DataStore; userDataStore: DataStore } {
  return {
    dataStore: new DataStore(http, { base: "/api/dataStore", name: "dataStore" }),
    userDataStore: new DataStore(http, { base: "/api/userDataStore", name: "userDataStore" }),
  };
}
