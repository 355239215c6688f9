/**
 * Data values from text that arrives in pieces: a `Blob` (a `File` from an `<input>`), a
 * `ReadableStream` (a `fetch` body), or any (async) iterable of strings or bytes. JSON
 * (`{ "dataValues": [...] }`) or CSV (DHIS2's columns), gzipped or not, read as it arrives with
 * the web's own `TextDecoder` and `DecompressionStream`, so nothing here needs Node. The Node file
 * reader (`dataValuesFromFile` of `@dhis2w/client/node`) feeds its file through the same parser.
 */
import { Dhis2ClientError } from "../errors.js";
import { CsvScanner, DataValueCsvMapper } from "./csv.js";
import { DataValuesJsonScanner } from "./json-scanner.js";
import type { DataValue, DataValueSetHeader } from "./schemas.js";
import { type DataValueStream, pickHeader } from "./sources.js";

/** Text or bytes as they arrive. */
export type DataValueText =
  | Blob
  | ReadableStream<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

/** Options of {@link dataValuesFromText}. */
export interface DataValuesTextOptions {
  /** Default: `"csv"` for a `text/csv` Blob or a `.csv` file name, else sniffed (`{`/`[` is JSON). */
  format?: "json" | "csv";
  /** Default: sniffed from the gzip magic bytes (`1f 8b`). */
  gzip?: boolean;
  /** Named in errors (a file name); `File`s name themselves. */
  name?: string;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

function isBlob(x: unknown): x is Blob {
  return typeof Blob !== "undefined" && x instanceof Blob;
}

/** True for the inputs {@link dataValuesFromText} takes that are not already rows. */
export function isDataValueText(x: unknown): x is Blob | ReadableStream<Uint8Array | string> {
  return isBlob(x) || (x != null && typeof (x as ReadableStream).getReader === "function");
}

async function* piecesOf(input: DataValueText): AsyncGenerator<Uint8Array | string> {
  if (isBlob(input)) {
    yield* piecesOf(input.stream());
    return;
  }
  if (typeof (input as ReadableStream).getReader === "function") {
    const reader = (input as ReadableStream<Uint8Array | string>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      // Stop the source when the reader is left early (a break, an error further down).
      await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  } else {
    yield* input as AsyncIterable<Uint8Array | string>;
  }
}

async function* gunzip(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const inflate = new DecompressionStream("gzip");
  const writer = inflate.writable.getWriter();
  const feeding = (async () => {
    for await (const chunk of bytes) await writer.write(chunk as Uint8Array<ArrayBuffer>);
    await writer.close();
  })();
  // A failure while feeding surfaces through the reader too; keep the feeder's own copy quiet.
  feeding.catch(() => {});
  yield* piecesOf(inflate.readable) as AsyncGenerator<Uint8Array>;
  await feeding;
}

/** Decodes pieces to text (UTF-8, a leading byte-order mark dropped), inflating gzip when asked or sniffed. */
async function* textOf(input: DataValueText, gzip: boolean | undefined): AsyncGenerator<string> {
  const pieces = piecesOf(input);
  const first = await pieces.next();
  if (first.done) return;
  if (typeof first.value === "string") {
    yield first.value;
    for await (const piece of pieces) {
      if (typeof piece !== "string")
        throw new Dhis2ClientError("data values: strings and bytes mixed in one input");
      yield piece;
    }
    return;
  }
  const head = first.value;
  const bytes = (async function* () {
    yield head;
    for await (const piece of pieces) {
      yield typeof piece === "string" ? new TextEncoder().encode(piece) : piece;
    }
  })();
  const zipped = gzip ?? (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const chunk of zipped ? gunzip(bytes) : bytes) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

function describe(name: string | undefined, error: unknown): Error {
  const where = name ? `${name}: ` : "";
  if (error instanceof Dhis2ClientError) {
    return name ? new Dhis2ClientError(`${where}${error.message}`, { cause: error }) : error;
  }
  // A broken gzip: browsers' DecompressionStream rejects with a TypeError, Node's with a zlib
  // error (`Z_DATA_ERROR`); TextDecoder's fatal mode throws a TypeError on bytes that are no UTF-8.
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof TypeError || (typeof code === "string" && code.startsWith("Z_"))) {
    return new Dhis2ClientError(
      `${where}data values are not valid gzip or UTF-8 text (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Parses data value text (JSON or CSV) as it arrives. `onHeader` gets the set-level fields of a
 * JSON data value set as the scanner sees them. Used by {@link dataValuesFromText} and by the Node
 * file reader.
 */
export async function* parseDataValueText(
  text: AsyncIterable<string>,
  format: "json" | "csv" | undefined,
  onHeader: (header: DataValueSetHeader) => void,
): AsyncGenerator<DataValue> {
  let kind = format;
  let csv: { scanner: CsvScanner; mapper: DataValueCsvMapper } | undefined;
  let json: DataValuesJsonScanner | undefined;
  for await (const piece of text) {
    if (kind === undefined) {
      const lead = piece.replace(/^\uFEFF/, "").trimStart();
      if (lead === "") continue;
      kind = lead[0] === "{" || lead[0] === "[" ? "json" : "csv";
    }
    if (kind === "csv") {
      csv ??= { scanner: new CsvScanner(), mapper: new DataValueCsvMapper() };
      for (const cells of csv.scanner.push(piece)) {
        const row = csv.mapper.map(cells);
        if (row) yield row;
      }
    } else {
      json ??= new DataValuesJsonScanner();
      const rows = json.push(piece);
      onHeader(pickHeader(json.header));
      yield* rows as DataValue[];
    }
  }
  if (csv) {
    for (const cells of csv.scanner.end()) {
      const row = csv.mapper.map(cells);
      if (row) yield row;
    }
  } else if (kind === "json") {
    (json ?? new DataValuesJsonScanner()).end();
  } else if (kind === undefined) {
    throw new Dhis2ClientError("data values: the input is empty (neither JSON nor CSV)");
  }
}

/**
 * Data values from a `Blob`/`File`, a `ReadableStream` (a `fetch` body) or an (async) iterable of
 * text or bytes: JSON or CSV, gzipped or not, streamed. `client.dataValues.import` takes a `Blob`
 * or a `ReadableStream` as it is; this names the format or the source explicitly. Each iteration
 * reads the input again, which a Blob allows and a stream does not.
 *
 * @example
 * ```ts
 * const file = input.files[0]; // a File from <input type="file">
 * const result = await client.dataValues.import(dataValuesFromText(file, { format: "csv" }));
 * ```
 */
export function dataValuesFromText(
  input: DataValueText,
  options: DataValuesTextOptions = {},
): DataValueStream {
  const name = options.name ?? (isBlob(input) ? (input as Blob & { name?: string }).name : undefined);
  const format =
    options.format ??
    (isBlob(input) && /csv/i.test(input.type)
      ? "csv"
      : name && /\.csv(\.gz)?$/i.test(name)
        ? "csv"
        : undefined);
  let header: DataValueSetHeader = {};
  return {
    get header() {
      return header;
    },
    async *[Symbol.asyncIterator]() {
      try {
        yield* parseDataValueText(textOf(input, options.gzip), format, (h) => {
          header = h;
        });
      } catch (error) {
        throw describe(name, error);
      }
    },
  };
}
