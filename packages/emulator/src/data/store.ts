/**
 * A compact in-memory store of aggregate data values, keyed by (dataElement, period, orgUnit,
 * categoryOptionCombo, attributeOptionCombo), built to hold millions of values.
 *
 * Layout: ids are interned to small integers; each value is one row of typed-array columns
 * (no object per value). (de, pe, ou) packs into one 53-bit number that keys a Map to the first
 * row of a short chain (rows linked through `next`) holding that cell's (coc, aoc) variants.
 * About 100 bytes per value, against ~500 for one JS object per value (see bench/data-values-import.ts).
 */

/** Interns strings to dense integer ids. */
export class Interner {
  readonly #ids = new Map<string, number>();
  readonly #names: string[] = [];

  constructor(
    readonly limit: number,
    readonly what: string,
  ) {}

  id(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#names.length;
      if (id >= this.limit)
        throw new Error(`data value store: more than ${this.limit} distinct ${this.what}`);
      this.#ids.set(name, id);
      this.#names.push(name);
    }
    return id;
  }

  /** The id of a known name, or -1. */
  find(name: string): number {
    return this.#ids.get(name) ?? -1;
  }

  name(id: number): string {
    return this.#names[id] ?? "";
  }
}

/** One stored value as the store hands it out. */
export interface StoredDataValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
  value: string | null;
  storedBy: string;
  created: number;
  lastUpdated: number;
  comment?: string;
  followup: boolean;
  deleted: boolean;
}

/** The key of a value. */
export interface DataValueKey {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
}

const FOLLOWUP = 1;
const DELETED = 2;
/** Removed by maintenance (`softDeletedDataValueRemoval`): as if the row had never been stored. */
const PURGED = 4;
const DE_BITS = 16;
const PE_BITS = 16;
const OU_BITS = 21;

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  if (a.length >= size) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
  next.set(a);
  return next;
}

/** The value store. Rows are never removed: DHIS2 deletes data values softly. */
export class DataValueStore {
  readonly #de = new Interner(2 ** DE_BITS, "data elements");
  readonly #pe = new Interner(2 ** PE_BITS, "periods");
  readonly #ou = new Interner(2 ** OU_BITS, "org units");
  readonly #coc = new Interner(2 ** 31, "category option combos");
  readonly #text = new Interner(2 ** 31, "storedBy names");
  /** Short values ("12", "true") are shared rather than held once per row. */
  readonly #shortValues = new Map<string, string>();
  readonly #heads = new Map<number, number>();
  #size = 0;
  #deCol = new Int32Array(1024);
  #peCol = new Int32Array(1024);
  #ouCol = new Int32Array(1024);
  #cocCol = new Int32Array(1024);
  #aocCol = new Int32Array(1024);
  #next = new Int32Array(1024);
  #storedBy = new Int32Array(1024);
  #created = new Float64Array(1024);
  #updated = new Float64Array(1024);
  #flags = new Uint8Array(1024);
  #values: (string | null)[] = [];
  readonly #comments = new Map<number, string>();

  /** Number of rows, soft-deleted ones included. */
  get size(): number {
    return this.#size;
  }

  #cell(de: number, pe: number, ou: number): number {
    return (de * 2 ** PE_BITS + pe) * 2 ** OU_BITS + ou;
  }

  /** The row of a key, or -1. */
  find(key: DataValueKey): number {
    const de = this.#de.find(key.dataElement);
    const pe = this.#pe.find(key.period);
    const ou = this.#ou.find(key.orgUnit);
    const coc = this.#coc.find(key.categoryOptionCombo);
    const aoc = this.#coc.find(key.attributeOptionCombo);
    if (de < 0 || pe < 0 || ou < 0 || coc < 0 || aoc < 0) return -1;
    let row = this.#heads.get(this.#cell(de, pe, ou)) ?? -1;
    while (row >= 0 && (this.#cocCol[row] !== coc || this.#aocCol[row] !== aoc)) row = this.#next[row] ?? -1;
    return row;
  }

  /** True when the key holds a value that is not soft-deleted. */
  exists(row: number): boolean {
    return row >= 0 && ((this.#flags[row] ?? 0) & DELETED) === 0;
  }

  /** Writes a value (creating the row, or overwriting and un-deleting it); returns the row. */
  put(
    key: DataValueKey,
    data: {
      value: string | null;
      storedBy: string;
      now: number;
      comment?: string | null;
      followup?: boolean;
      created?: number;
    },
  ): number {
    let row = this.find(key);
    if (row < 0) {
      row = this.#size++;
      const n = this.#size;
      this.#deCol = grow(this.#deCol, n);
      this.#peCol = grow(this.#peCol, n);
      this.#ouCol = grow(this.#ouCol, n);
      this.#cocCol = grow(this.#cocCol, n);
      this.#aocCol = grow(this.#aocCol, n);
      this.#next = grow(this.#next, n);
      this.#storedBy = grow(this.#storedBy, n);
      this.#created = grow(this.#created, n);
      this.#updated = grow(this.#updated, n);
      this.#flags = grow(this.#flags, n);
      const de = this.#de.id(key.dataElement);
      const pe = this.#pe.id(key.period);
      const ou = this.#ou.id(key.orgUnit);
      this.#deCol[row] = de;
      this.#peCol[row] = pe;
      this.#ouCol[row] = ou;
      this.#cocCol[row] = this.#coc.id(key.categoryOptionCombo);
      this.#aocCol[row] = this.#coc.id(key.attributeOptionCombo);
      const cell = this.#cell(de, pe, ou);
      this.#next[row] = this.#heads.get(cell) ?? -1;
      this.#heads.set(cell, row);
      this.#created[row] = data.created ?? data.now;
      this.#values.push(null);
    } else if (!this.exists(row)) {
      this.#created[row] = data.created ?? data.now;
    }
    const v = data.value;
    if (v !== null && v.length <= 8) {
      let shared = this.#shortValues.get(v);
      if (shared === undefined) {
        shared = v;
        if (this.#shortValues.size < 100_000) this.#shortValues.set(v, v);
      }
      this.#values[row] = shared;
    } else this.#values[row] = v;
    this.#storedBy[row] = this.#text.id(data.storedBy);
    this.#updated[row] = data.now;
    this.#flags[row] = data.followup ? FOLLOWUP : 0;
    if (data.comment) this.#comments.set(row, data.comment);
    else this.#comments.delete(row);
    return row;
  }

  /** Soft-deletes a row. */
  softDelete(row: number, now: number): void {
    this.#flags[row] = (this.#flags[row] ?? 0) | DELETED;
    this.#updated[row] = now;
  }

  /**
   * True when any row that maintenance has not purged, soft-deleted ones included, refers to the
   * id: dhis2-core's `DataValueDeletionHandler` vetoes deleting such a data element, org unit or
   * option combo with `select 1 from datavalue where dataelementid=:id` (no `deleted` filter).
   */
  referencedBy(column: "dataElement" | "orgUnit" | "categoryOptionCombo", id: string): boolean {
    const interner = column === "dataElement" ? this.#de : column === "orgUnit" ? this.#ou : this.#coc;
    const n = interner.find(id);
    if (n < 0) return false;
    for (let row = 0; row < this.#size; row++) {
      if (((this.#flags[row] ?? 0) & PURGED) !== 0) continue;
      const hit =
        column === "dataElement"
          ? this.#deCol[row] === n
          : column === "orgUnit"
            ? this.#ouCol[row] === n
            : this.#cocCol[row] === n || this.#aocCol[row] === n;
      if (hit) return true;
    }
    return false;
  }

  /** Removes the soft-deleted rows for good (`/api/maintenance/softDeletedDataValueRemoval`); returns how many. */
  purgeDeleted(): number {
    let purged = 0;
    for (let row = 0; row < this.#size; row++) {
      const flags = this.#flags[row] ?? 0;
      if ((flags & DELETED) === 0 || (flags & PURGED) !== 0) continue;
      this.#flags[row] = flags | PURGED;
      this.#values[row] = null;
      this.#comments.delete(row);
      purged++;
    }
    return purged;
  }

  /*
   * Column accessors: one field of a row without building its object (`get` allocates one per
   * call, which a scan over millions of rows should not). Ids come back interned, so comparing
   * and using them as Map keys is cheap.
   */

  /** The row's data element id. */
  dataElementOf(row: number): string {
    return this.#de.name(this.#deCol[row] ?? -1);
  }
  /** The row's period id (`202501`). */
  periodOf(row: number): string {
    return this.#pe.name(this.#peCol[row] ?? -1);
  }
  /** The row's org unit id. */
  orgUnitOf(row: number): string {
    return this.#ou.name(this.#ouCol[row] ?? -1);
  }
  /** The row's category option combo id. */
  categoryOptionComboOf(row: number): string {
    return this.#coc.name(this.#cocCol[row] ?? -1);
  }
  /** The row's attribute option combo id. */
  attributeOptionComboOf(row: number): string {
    return this.#coc.name(this.#aocCol[row] ?? -1);
  }
  /**
   * The row's value as stored (null once purged).
   *
   * @example
   * for (const row of store.rows({ dataElements })) total += Number(store.valueOf(row));
   */
  valueOf(row: number): string | null {
    return this.#values[row] ?? null;
  }

  /** One row as an object. */
  get(row: number): StoredDataValue {
    const flags = this.#flags[row] ?? 0;
    const out: StoredDataValue = {
      dataElement: this.dataElementOf(row),
      period: this.periodOf(row),
      orgUnit: this.orgUnitOf(row),
      categoryOptionCombo: this.categoryOptionComboOf(row),
      attributeOptionCombo: this.attributeOptionComboOf(row),
      value: this.valueOf(row),
      storedBy: this.#text.name(this.#storedBy[row] ?? -1),
      created: this.#created[row] ?? 0,
      lastUpdated: this.#updated[row] ?? 0,
      followup: (flags & FOLLOWUP) !== 0,
      deleted: (flags & DELETED) !== 0,
    };
    const comment = this.#comments.get(row);
    if (comment !== undefined) out.comment = comment;
    return out;
  }

  /**
   * Rows whose ids pass the filters (unset filters pass everything), in insertion order. Rows
   * added while the generator is paused are yielded too, unless `end` (a `size` read earlier)
   * stops the scan at the rows that existed then.
   */
  *rows(filter: {
    dataElements?: ReadonlySet<string>;
    periods?: (period: string) => boolean;
    orgUnits?: (orgUnit: string) => boolean;
    includeDeleted?: boolean;
    end?: number;
  }): Generator<number> {
    const deOk = new Map<number, boolean>();
    const peOk = new Map<number, boolean>();
    const ouOk = new Map<number, boolean>();
    const memo = (cache: Map<number, boolean>, id: number, test: () => boolean): boolean => {
      let ok = cache.get(id);
      if (ok === undefined) {
        ok = test();
        cache.set(id, ok);
      }
      return ok;
    };
    const end = filter.end ?? Number.POSITIVE_INFINITY;
    for (let row = 0; row < this.#size && row < end; row++) {
      if (!filter.includeDeleted && !this.exists(row)) continue;
      if (((this.#flags[row] ?? 0) & PURGED) !== 0) continue;
      const de = this.#deCol[row] ?? -1;
      const { dataElements, periods, orgUnits } = filter;
      if (dataElements && !memo(deOk, de, () => dataElements.has(this.#de.name(de)))) continue;
      const pe = this.#peCol[row] ?? -1;
      if (periods && !memo(peOk, pe, () => periods(this.#pe.name(pe)))) continue;
      const ou = this.#ouCol[row] ?? -1;
      if (orgUnits && !memo(ouOk, ou, () => orgUnits(this.#ou.name(ou)))) continue;
      yield row;
    }
  }
}
