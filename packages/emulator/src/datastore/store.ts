/**
 * The data store's entries (dhis2-core table `keyjsonvalue`, and `userkeyjsonvalue` per user for
 * the user data store). Values are kept parsed and answered as PostgreSQL's jsonb text.
 */
import type { Json } from "./jsonb.js";

/** One entry with the bookkeeping `/metaData` shows. */
export interface StoredEntry {
  readonly id: string;
  readonly namespace: string;
  readonly key: string;
  value: Json;
  encrypted: boolean;
  readonly created: string;
  lastUpdated: string;
  /** The UID of the user who created it (owner). */
  readonly createdBy: string;
  lastUpdatedBy: string;
}

/** Namespaces of entries; keys keep their insertion order (DHIS2 sends them unordered). */
export class EntryStore {
  readonly #namespaces = new Map<string, Map<string, StoredEntry>>();

  /** Namespaces with at least one key. */
  namespaces(): string[] {
    return [...this.#namespaces.keys()].sort();
  }

  has(namespace: string): boolean {
    return (this.#namespaces.get(namespace)?.size ?? 0) > 0;
  }

  entries(namespace: string): StoredEntry[] {
    return [...(this.#namespaces.get(namespace)?.values() ?? [])];
  }

  get(namespace: string, key: string): StoredEntry | undefined {
    return this.#namespaces.get(namespace)?.get(key);
  }

  put(entry: StoredEntry): void {
    let keys = this.#namespaces.get(entry.namespace);
    if (!keys) {
      keys = new Map();
      this.#namespaces.set(entry.namespace, keys);
    }
    keys.set(entry.key, entry);
  }

  delete(namespace: string, key: string): void {
    const keys = this.#namespaces.get(namespace);
    keys?.delete(key);
    if (keys?.size === 0) this.#namespaces.delete(namespace);
  }

  deleteNamespace(namespace: string): void {
    this.#namespaces.delete(namespace);
  }
}

/** The shared data store and one store per user (by user UID). */
export class DatastoreState {
  readonly shared = new EntryStore();
  readonly #users = new Map<string, EntryStore>();

  /** A user's own store (created empty on first use). */
  forUser(userId: string): EntryStore {
    let store = this.#users.get(userId);
    if (!store) {
      store = new EntryStore();
      this.#users.set(userId, store);
    }
    return store;
  }
}
