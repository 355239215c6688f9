/** A metadata object in DHIS2's wire shape (`id`, `name`, references as `{ id }`, ...). */
export interface MetadataObject {
  id: string;
  [key: string]: unknown;
}

/**
 * The in-memory metadata container: `plural -> uid -> object`, plus a uid index across types.
 * It stores and hands back objects as they are (no copies, no query logic): the metadata module
 * (`src/metadata/**`) builds querying, validation, CRUD and import on top of it.
 *
 * @example
 * state.metadata.put("dataElements", { id: "fbfJHSPpUQD", name: "ANC 1st visit" });
 * state.metadata.get("dataElements", "fbfJHSPpUQD")?.name; // "ANC 1st visit"
 */
export class MetadataStore {
  readonly #byType = new Map<string, Map<string, MetadataObject>>();
  readonly #index = new Map<string, Set<string>>();

  /** The object of type `plural` with this `id`, or undefined. */
  get(plural: string, id: string): MetadataObject | undefined {
    return this.#byType.get(plural)?.get(id);
  }

  has(plural: string, id: string): boolean {
    return this.#byType.get(plural)?.has(id) ?? false;
  }

  /** Inserts or replaces `obj` (keyed by `obj.id`); returns it. */
  put(plural: string, obj: MetadataObject): MetadataObject {
    if (typeof obj?.id !== "string" || obj.id === "") {
      throw new Error(`MetadataStore.put(${plural}): the object has no string id`);
    }
    let bucket = this.#byType.get(plural);
    if (!bucket) {
      bucket = new Map();
      this.#byType.set(plural, bucket);
    }
    bucket.set(obj.id, obj);
    let types = this.#index.get(obj.id);
    if (!types) {
      types = new Set();
      this.#index.set(obj.id, types);
    }
    types.add(plural);
    return obj;
  }

  /** Removes the object; true when it existed. */
  delete(plural: string, id: string): boolean {
    const removed = this.#byType.get(plural)?.delete(id) ?? false;
    if (removed) {
      const types = this.#index.get(id);
      types?.delete(plural);
      if (types?.size === 0) this.#index.delete(id);
    }
    return removed;
  }

  /** Every object of a type, in insertion order (a fresh array; the objects are not copied). */
  list(plural: string): MetadataObject[] {
    const bucket = this.#byType.get(plural);
    return bucket ? [...bucket.values()] : [];
  }

  /** Number of objects of a type. */
  count(plural: string): number {
    return this.#byType.get(plural)?.size ?? 0;
  }

  /** The live map of one type (created on demand), for callers that need fast iteration. */
  bucket(plural: string): ReadonlyMap<string, MetadataObject> {
    return this.#byType.get(plural) ?? new Map();
  }

  /** The types that hold at least one object. */
  plurals(): string[] {
    return [...this.#byType.entries()].filter(([, m]) => m.size > 0).map(([p]) => p);
  }

  /** The plurals under which an object with this uid is stored (usually one). */
  typesOf(id: string): string[] {
    return [...(this.#index.get(id) ?? [])];
  }

  /** The whole store: `plural -> uid -> object` (read it, write through put/delete). */
  all(): ReadonlyMap<string, ReadonlyMap<string, MetadataObject>> {
    return this.#byType;
  }

  /** Empties the store. */
  clear(): void {
    this.#byType.clear();
    this.#index.clear();
  }
}
