/**
 * Turning whatever the caller hands to `dataValues.import` into one stream of rows, and cutting
 * that stream into chunks without ever holding more than one chunk.
 */
import { Dhis2ClientError } from "../errors.js";
import type { DataValue, DataValueSetHeader } from "./schemas.js";
import { dataValuesFromText, isDataValueText } from "./text-source.js";

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
  /** JSON or CSV text, gzipped or not, streamed (a `File` from an `<input>`); see `dataValuesFromText`. */
  | Blob
  /** JSON or CSV text or bytes as they arrive (a `fetch` body); see `dataValuesFromText`. */
  | ReadableStream<Uint8Array | string>;

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
  if (typeof source === "string") {
    // The root never opens files (it runs in browsers, Deno and Bun): a path goes through the Node helper.
    throw new Dhis2ClientError(
      `dataValues.import: a string is not a source; for the file ${JSON.stringify(source)} pass dataValuesFromFile(path) from "@dhis2w/client/node"`,
    );
  }
  if (isDataValueText(source)) {
    const stream = dataValuesFromText(source);
    return { rows: stream, header: () => ({ ...(stream.header ?? {}) }) };
  }
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
    "dataValues.import: source must be a DataValueSet, an array or (async) iterable of DataValue, a Blob or ReadableStream of JSON or CSV, or dataValuesFromFile(path) of @dhis2w/client/node",
  );
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
