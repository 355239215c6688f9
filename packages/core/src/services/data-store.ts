/**
 * Data store and system settings services shared by the CLI (`d2w datastore`, `d2w settings`)
 * and the MCP server (`datastore_get`, `datastore_set`, `datastore_list`).
 */
import type {
  DataStore,
  DataStoreQueryEntry,
  DataStoreQueryOptions,
  DataStoreSetResult,
  Dhis2Client,
  SettingValue,
} from "@dhis2w/client";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/** Which data store a service works on. */
export interface DataStoreChoice {
  /** The user data store (`/api/userDataStore`) instead of the shared one. */
  user?: boolean;
  /** With `user`: another user's store (superusers only, DHIS2's `?username=`). */
  username?: string;
}

function storeOf(client: Dhis2Client, choice: DataStoreChoice = {}): DataStore {
  if (!choice.user) return client.dataStore;
  return choice.username ? client.userDataStore.forUser(choice.username) : client.userDataStore;
}

/**
 * The namespaces of a data store.
 *
 * @example
 * ```ts
 * const namespaces = await dataStoreNamespaces(resolveProfile("dev"));
 * ```
 */
export function dataStoreNamespaces(
  target: ServiceTarget,
  choice: DataStoreChoice = {},
  options?: ServiceOptions,
): Promise<string[]> {
  return withClient(target, (client) => storeOf(client, choice).namespaces(), options);
}

/**
 * The keys of a namespace (`[]` when it does not exist).
 *
 * @example
 * ```ts
 * const keys = await dataStoreKeys(resolveProfile(), "my-app");
 * ```
 */
export function dataStoreKeys(
  target: ServiceTarget,
  namespace: string,
  choice: DataStoreChoice = {},
  options?: ServiceOptions,
): Promise<string[]> {
  return withClient(target, (client) => storeOf(client, choice).keys(namespace), options);
}

/**
 * A key's value: `text` as DHIS2 sent it and `value` parsed; `undefined` when there is none.
 *
 * @example
 * ```ts
 * const entry = await dataStoreGet(resolveProfile(), "my-app", "config");
 * if (entry) process.stdout.write(entry.text);
 * ```
 */
export function dataStoreGet(
  target: ServiceTarget,
  namespace: string,
  key: string,
  choice: DataStoreChoice = {},
  options?: ServiceOptions,
): Promise<{ text: string; value: unknown } | undefined> {
  return withClient(
    target,
    async (client) => {
      const text = await storeOf(client, choice).getText(namespace, key);
      return text === undefined ? undefined : { text, value: JSON.parse(text) as unknown };
    },
    options,
  );
}

/**
 * Creates or replaces a key's value.
 *
 * @example
 * ```ts
 * const { created } = await dataStoreSet(resolveProfile(), "my-app", "config", { theme: "dark" });
 * ```
 */
export function dataStoreSet(
  target: ServiceTarget,
  namespace: string,
  key: string,
  value: unknown,
  choice: DataStoreChoice = {},
  options?: ServiceOptions,
): Promise<DataStoreSetResult> {
  return withClient(target, (client) => storeOf(client, choice).set(namespace, key, value), options);
}

/**
 * Deletes a key, or with no key the whole namespace; `false` when there was nothing to delete.
 *
 * @example
 * ```ts
 * await dataStoreDelete(resolveProfile(), "my-app", "config");
 * await dataStoreDelete(resolveProfile(), "my-app"); // every key
 * ```
 */
export function dataStoreDelete(
  target: ServiceTarget,
  namespace: string,
  key: string | undefined,
  choice: DataStoreChoice = {},
  options?: ServiceOptions,
): Promise<boolean> {
  return withClient(
    target,
    (client) =>
      key === undefined
        ? storeOf(client, choice).deleteNamespace(namespace)
        : storeOf(client, choice).delete(namespace, key),
    options,
  );
}

/**
 * The entries of a namespace through DHIS2's query API, at most `limit` of them (every page
 * otherwise); `truncated` says whether more matched.
 *
 * @example
 * ```ts
 * const { entries } = await dataStoreQuery(resolveProfile(), "pets", { fields: "name", filter: "age:gt:5" });
 * ```
 */
export function dataStoreQuery(
  target: ServiceTarget,
  namespace: string,
  query: Omit<DataStoreQueryOptions, "signal"> &
    DataStoreChoice & { limit?: number; signal?: AbortSignal } = {},
  options?: ServiceOptions,
): Promise<{ entries: DataStoreQueryEntry[]; truncated: boolean }> {
  const { user, username, limit, ...rest } = query;
  return withClient(
    target,
    async (client) => {
      const entries: DataStoreQueryEntry[] = [];
      for await (const e of storeOf(client, { user, username }).query(namespace, rest)) {
        if (limit !== undefined && entries.length >= limit) return { entries, truncated: true };
        entries.push(e);
      }
      return { entries, truncated: false };
    },
    options,
  );
}

/**
 * Every system setting the server lists (confidential ones never are).
 *
 * @example
 * ```ts
 * const settings = await systemSettings(resolveProfile());
 * ```
 */
export function systemSettings(
  target: ServiceTarget,
  options?: ServiceOptions,
): Promise<Record<string, SettingValue>> {
  return withClient(target, (client) => client.system.settings(), options);
}

/**
 * One system setting (`undefined` for a key the server does not know).
 *
 * @example
 * ```ts
 * const title = await systemSetting(resolveProfile(), "applicationTitle");
 * ```
 */
export function systemSetting(
  target: ServiceTarget,
  key: string,
  options?: ServiceOptions,
): Promise<SettingValue | undefined> {
  return withClient(target, (client) => client.system.setting(key), options);
}

/**
 * Sets one system setting (`null` resets it to its default) and reads it back.
 *
 * @example
 * ```ts
 * await setSystemSetting(resolveProfile(), "applicationTitle", "Sierra Leone HMIS");
 * ```
 */
export function setSystemSetting(
  target: ServiceTarget,
  key: string,
  value: string | number | boolean | null,
  options?: ServiceOptions,
): Promise<SettingValue | undefined> {
  return withClient(
    target,
    async (client) => {
      await client.system.setSetting(key, value);
      return client.system.setting(key);
    },
    options,
  );
}
