/**
 * Turning whatever the caller hands to `dataValues.import` into one stream of rows, and cutting
 * that stream into chunks without ever holding more than one chunk.
 */
import { Dhis2ClientError } from "../errors.js";
import type { DataValue, DataValueSetHeader } from "./schemas.js";

/**
 * A stream of data values that may also carry set-level fields (`dataSet`, `period`, ...). File
 * readers fill `header` while they parse, so read it after the first rows arrived.
 */
export interface DataValueStream extends AsyncIterable<DataValue> {
  readonly header?: DataValueSetHeader;
}

/** Everything `dataValues.import` accepts. */
export type DataValueSource =
  | ({ dataValues: Iterable<DataValue> | AsyncIterable<DataValue> } & DataValueSetHeader)
  | Iterable<DataValue>
  | AsyncIterable<DataValue>
  | DataValueStream
  /** A file path (`.json`, `.json.gz`, `.csv`): Node only; read lazily through `dataValuesFromFile`. */
  | string;

const HEADER_KEYS = ["dataSet", "completeDate", "period", "orgUnit", "attributeOptionCombo"] as const;

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return x != null && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return x != null && typeof (x as Iterable<unknown>)[Symbol.iterator] === "function";
}

/** Picks the set-level fields that are strings. */
export function pickHeader(obj: Record<string, unknown>): DataValueSetHeader {
  const header: DataValueSetHeader = {};
  for (const key of HEADER_KEYS) {
    const v = obj[key];
    if (typeof v === "string" && v !== "") header[key] = v;
  }
  return header;
}

/** Normalises a source into rows plus a header getter (read lazily: file headers fill in late). */
export function openSource(source: DataValueSource): {
  rows: AsyncIterable<unknown> | Iterable<unknown>;
  header: () => DataValueSetHeader;
} {
  if (typeof source === "string") return fileSource(source);
  if (
    source &&
    typeof source === "object" &&
    "dataValues" in source &&
    !isIterable(source) &&
    !isAsyncIterable(source)
  ) {
    const values = (source as { dataValues: unknown }).dataValues;
    if (!isIterable(values) && !isAsyncIterable(values)) {
      throw new Dhis2ClientError(
        "dataValues.import: `dataValues` of the data value set is not an array or iterable",
      );
    }
    const header = pickHeader(source as unknown as Record<string, unknown>);
    return { rows: values, header: () => header };
  }
  if (isAsyncIterable(source) || isIterable(source)) {
    const stream = source as DataValueStream;
    return { rows: source, header: () => ({ ...(stream.header ?? {}) }) };
  }
  throw new Dhis2ClientError(
    "dataValues.import: source must be a DataValueSet, an array or (async) iterable of DataValue, or dataValuesFromFile(path)",
  );
}

/** A file path, streamed by the Node helper, which is loaded only when a path is given. */
function fileSource(path: string): ReturnType<typeof openSource> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) {
    throw new Dhis2ClientError(
      "dataValues.import: a file path needs Node; elsewhere pass a DataValueSet or an (async) iterable of DataValue",
    );
  }
  let stream: DataValueStream | undefined;
  const rows = (async function* () {
    // A computed specifier, so browser bundlers never follow it into node:* modules.
    const nodeReader = "../node/data-values-files.js";
    const mod = (await import(/* webpackIgnore: true */ /* @vite-ignore */ nodeReader)) as {
      dataValuesFromFile(file: string): DataValueStream;
    };
    stream = mod.dataValuesFromFile(path);
    yield* stream;
  })();
  return { rows, header: () => ({ ...(stream?.header ?? {}) }) };
}

/** Checks the minimum a row needs to be sent, so a broken input fails with its row number. */
export function checkRow(row: unknown, index: number): DataValue {
  if (!row || typeof row !== "object" || Array.isArray(row)) {
    throw new Dhis2ClientError(
      `dataValues.import: row ${index} is not an object (got ${row === null ? "null" : typeof row})`,
    );
  }
  return row as DataValue;
}

/**
 * Groups rows into arrays of `size` (the last may be shorter). Holds one chunk at a time.
 *
 * @example
 * ```ts
 * for await (const chunk of chunked(rows, 10_000)) await send(chunk);
 * ```
 */
export async function* chunked<T>(rows: AsyncIterable<T> | Iterable<T>, size: number): AsyncGenerator<T[]> {
  if (!Number.isInteger(size) || size < 1)
    throw new Dhis2ClientError(`chunkSize must be a positive integer, got ${size}`);
  let chunk: T[] = [];
  for await (const row of rows) {
    chunk.push(row);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
