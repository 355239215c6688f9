import { uidFromLocation } from "../envelopes/web-message.js";
import type { VersionKey } from "../versions.js";
import { refuseDroppedKeys } from "./dropped-keys.js";
import { didYouMean, QueryValidationError } from "./errors.js";
import { buildFieldsParam, type FieldsOption } from "./fields.js";
import type { CheckFields, DefaultListFields, Select } from "./fields-type.js";
import { buildListParams, DEFAULT_PAGE_SIZE, type ListOptions } from "./query.js";
import type { ResourceDef, ResourceTable } from "./resource-def.js";
import { createdUidOf, type JsonPatchOperation, type RawSurface } from "./surface.js";

/** DHIS2's list pager. */
export interface MetadataPager {
  page: number;
  pageSize: number;
  total?: number;
  pageCount?: number;
  nextPage?: string;
  prevPage?: string;
}

/** `listRaw()`'s answer: `{ pager, dataElements: [...] }`. */
export type ListEnvelope<P extends string, Item> = { pager?: MetadataPager } & { [K in P]: Item[] };

/** Options of `get`. */
export interface GetOptions<F extends string = string> {
  fields?: F | readonly string[];
  signal?: AbortSignal;
}

/** `ListOptions` whose literal `fields` must name properties of `T` (a misspelt one is a type error). */
export type ListOptionsOf<T, F extends string> = Omit<ListOptions<F>, "fields"> & {
  fields?: CheckFields<T, F> | readonly string[];
};

/** `GetOptions` whose literal `fields` must name properties of `T` (a misspelt one is a type error). */
export type GetOptionsOf<T, F extends string> = Omit<GetOptions<F>, "fields"> & {
  fields?: CheckFields<T, F> | readonly string[];
};

/** Options of writes. */
export interface WriteOptions {
  signal?: AbortSignal;
}

/** Options of `update`: DHIS2 merges nested collections unless `mergeMode` is `REPLACE`. */
export interface UpdateOptions extends WriteOptions {
  mergeMode?: "REPLACE" | "MERGE";
}

/** Keys of `T` whose values are arrays: the collections that item add/remove works on. */
export type CollectionKeys<T> = string extends keyof T
  ? string
  : { [K in keyof T & string]-?: NonNullable<T[K]> extends readonly unknown[] ? K : never }[keyof T & string];

/** An object to create: the model with every key optional (DHIS2 checks what is required). */
export type CreateInput<T> = Partial<T>;

/** An object to PUT back: anything carrying an `id` that fits the model. */
export type UpdateInput<T> = Partial<T> & { readonly id: string };

/**
 * Typed access to one metadata resource (`/api/{plural}`).
 *
 * @example
 * ```ts
 * const de = await client.resources.dataElements.get("fbfJHSPpUQD", { fields: "id,name,categoryCombo[id]" });
 * de.categoryCombo?.id; // typed: { id: string } | undefined
 * ```
 */
export interface ResourceAccessor<T, P extends string = string> {
  readonly plural: P;
  /** The table entry, when the connected version's resource table is loaded. */
  readonly def: ResourceDef | undefined;
  /** One page (DHIS2's default page size unless `pageSize` or `paging: false` is given). */
  list<const F extends string = DefaultListFields>(opts?: ListOptionsOf<T, F>): Promise<Array<Select<T, F>>>;
  /** One page with its `pager`: `{ pager, [plural]: [...] }`. */
  listRaw<const F extends string = DefaultListFields>(
    opts?: ListOptionsOf<T, F>,
  ): Promise<ListEnvelope<P, Select<T, F>>>;
  /** Every item of every page, one page request at a time; stops after the last page or on abort. */
  iterate<const F extends string = DefaultListFields>(
    opts?: ListOptionsOf<T, F>,
  ): AsyncIterable<Select<T, F>>;
  /** One object; without `fields`, DHIS2 sends the whole object. */
  get<const F extends string = "*">(uid: string, opts?: GetOptionsOf<T, F>): Promise<Select<T, F>>;
  /** POST; resolves to the UID DHIS2 reports (or the one the object carried). */
  create(obj: CreateInput<T>, opts?: WriteOptions): Promise<string>;
  /** PUT `/api/{plural}/{id}`: replaces the object. */
  update(obj: UpdateInput<T>, opts?: UpdateOptions): Promise<unknown>;
  /** RFC 6902 JSON Patch (`application/json-patch+json`). */
  patch(uid: string, ops: readonly JsonPatchOperation[], opts?: WriteOptions): Promise<unknown>;
  delete(uid: string, opts?: WriteOptions): Promise<unknown>;
  /** POST `/api/{plural}/{uid}/{collection}/{itemUid}`. */
  addCollectionItem(
    uid: string,
    collection: CollectionKeys<T>,
    itemUid: string,
    opts?: WriteOptions,
  ): Promise<unknown>;
  /** DELETE `/api/{plural}/{uid}/{collection}/{itemUid}`. */
  removeCollectionItem(
    uid: string,
    collection: CollectionKeys<T>,
    itemUid: string,
    opts?: WriteOptions,
  ): Promise<unknown>;
}

const UID_RE = /^[A-Za-z][A-Za-z0-9]{10}$/;

function checkUid(what: string, uid: string): void {
  if (typeof uid !== "string" || !UID_RE.test(uid)) {
    throw new QueryValidationError(
      `${what} must be an 11-character DHIS2 UID, got "${String(uid)}"`,
      what,
      String(uid),
    );
  }
}

/** Options of {@link createResourceAccessor}. */
export interface AccessorContext {
  /** The resource's table entry; enables property checks and a correct endpoint. */
  def?: ResourceDef | undefined;
  /** The server's version: some operators differ (the version table). */
  versionKey?: VersionKey | undefined;
  /** The version's whole table: nested field selections (`categoryCombo[id,name]`) are checked against it. */
  table?: ResourceTable | undefined;
}

/**
 * Builds the accessor of one resource over the client's raw methods. `client.resources` builds
 * these from the version's table; call it directly for a resource the table lacks.
 *
 * @example
 * ```ts
 * const ous = createResourceAccessor<OrganisationUnit, "organisationUnits">(client, "organisationUnits");
 * for await (const ou of ous.iterate({ fields: "id,name", pageSize: 200 })) console.log(ou.name);
 * ```
 */
export function createResourceAccessor<T = Record<string, unknown>, P extends string = string>(
  client: RawSurface,
  plural: P,
  ctx: AccessorContext = {},
): ResourceAccessor<T, P> {
  const { def, versionKey, table } = ctx;
  const endpoint = def?.endpoint ?? `/api/${plural}`;
  const qctx = { def, versionKey, table };
  const itemPath = (uid: string) => `${endpoint}/${encodeURIComponent(uid)}`;

  /** One list request with already-built parameters; the envelope, or `{}` for a non-object. */
  const getEnvelope = async (
    params: Readonly<Record<string, string | readonly string[]>>,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> => {
    const raw = await client.getRaw(endpoint, { params, signal });
    return (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  };
  const listRaw = (opts: ListOptions = {}): Promise<Record<string, unknown>> =>
    getEnvelope(buildListParams(opts, qctx), opts.signal);
  const itemsOf = (envelope: Record<string, unknown>): unknown[] => {
    const items = envelope[plural];
    return Array.isArray(items) ? items : [];
  };

  const checkCollection = (collection: string): void => {
    if (typeof collection !== "string" || collection === "") {
      throw new QueryValidationError(`collection name is empty`, "collection", String(collection));
    }
    if (!def) return;
    const props = Object.values(def.properties);
    const prop = def.properties[collection] ?? props.find((p) => p.name === collection);
    if (!prop || !(prop.collection || prop.propertyType === "COLLECTION")) {
      const collections = props
        .filter((p) => p.collection || p.propertyType === "COLLECTION")
        .map((p) => p.name);
      throw new QueryValidationError(
        `${plural} has no collection "${collection}"${didYouMean(collection, collections)}`,
        "collection",
        collection,
      );
    }
  };

  const accessor = {
    plural,
    def,
    async list(opts: ListOptions = {}) {
      return itemsOf(await listRaw(opts));
    },
    listRaw: (opts: ListOptions = {}) => listRaw(opts),
    iterate(opts: ListOptions = {}): AsyncIterable<unknown> {
      return {
        async *[Symbol.asyncIterator]() {
          if (opts.paging === false) {
            opts.signal?.throwIfAborted();
            yield* itemsOf(await listRaw(opts));
            return;
          }
          const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
          const first = opts.page ?? 1;
          // The list parameters are built (and checked) once; each page only sets `page` (last,
          // as buildListParams puts it).
          const fixed = buildListParams({ ...opts, page: first, pageSize }, qctx);
          for (let page = first; ; page++) {
            opts.signal?.throwIfAborted();
            const envelope = await getEnvelope({ ...fixed, page: String(page) }, opts.signal);
            const items = itemsOf(envelope);
            for (const item of items) yield item;
            if (isLastPage(envelope.pager, page, items.length, pageSize)) return;
          }
        },
      };
    },
    async get(uid: string, opts: GetOptions = {}) {
      checkUid("uid", uid);
      const fields = buildFieldsParam(opts.fields as FieldsOption | undefined, qctx);
      return client.getRaw(itemPath(uid), {
        ...(fields !== undefined ? { params: { fields } } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    },
    async create(obj: object, opts: WriteOptions = {}) {
      refuseDroppedKeys(plural, obj, `${plural}.create`);
      let location: string | null = null;
      const raw = await client.postRaw(endpoint, obj, {
        ...(opts.signal ? { signal: opts.signal } : {}),
        onHeaders: (h) => {
          location = h.get("location");
        },
      });
      const uid = createdUidOf(raw) ?? uidFromLocation(location) ?? (obj as { id?: unknown }).id;
      if (typeof uid !== "string") {
        throw new QueryValidationError(
          `DHIS2 did not report the UID of the new ${def?.singular ?? plural}`,
          "create",
          "",
        );
      }
      return uid;
    },
    async update(obj: { id: string }, opts: UpdateOptions = {}) {
      checkUid("id", obj?.id);
      refuseDroppedKeys(plural, obj, `${plural}.update`);
      return client.putRaw(itemPath(obj.id), obj, {
        ...(opts.mergeMode ? { params: { mergeMode: opts.mergeMode } } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    },
    async patch(uid: string, ops: readonly JsonPatchOperation[], opts: WriteOptions = {}) {
      checkUid("uid", uid);
      if (!Array.isArray(ops))
        throw new QueryValidationError("patch ops must be an array", "ops", String(ops));
      return client.patchRaw(itemPath(uid), ops, {
        headers: { "Content-Type": "application/json-patch+json" },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    },
    async delete(uid: string, opts: WriteOptions = {}) {
      checkUid("uid", uid);
      return client.deleteRaw(itemPath(uid), opts.signal ? { signal: opts.signal } : {});
    },
    async addCollectionItem(uid: string, collection: string, itemUid: string, opts: WriteOptions = {}) {
      checkUid("uid", uid);
      checkUid("itemUid", itemUid);
      checkCollection(collection);
      return client.postRaw(
        `${itemPath(uid)}/${collection}/${encodeURIComponent(itemUid)}`,
        undefined,
        opts.signal ? { signal: opts.signal } : {},
      );
    },
    async removeCollectionItem(uid: string, collection: string, itemUid: string, opts: WriteOptions = {}) {
      checkUid("uid", uid);
      checkUid("itemUid", itemUid);
      checkCollection(collection);
      return client.deleteRaw(
        `${itemPath(uid)}/${collection}/${encodeURIComponent(itemUid)}`,
        opts.signal ? { signal: opts.signal } : {},
      );
    },
  };
  // The runtime is untyped JSON; the interface carries the per-model types.
  return accessor as unknown as ResourceAccessor<T, P>;
}

/** Last page when the pager says so; without a pager, when a page comes back short. */
function isLastPage(pager: unknown, page: number, count: number, pageSize: number): boolean {
  if (count === 0) return true;
  if (typeof pager === "object" && pager !== null) {
    const p = pager as MetadataPager;
    if (typeof p.pageCount === "number") return page >= p.pageCount;
    if (typeof p.total === "number") return page * pageSize >= p.total;
    if ("nextPage" in p) return !p.nextPage;
  }
  return count < pageSize;
}
