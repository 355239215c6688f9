/**
 * The chunked, streaming import engine behind `client.dataValues.import`.
 *
 * Rows are read from the source one chunk at a time and posted to `/api/dataValueSets`; at most
 * `concurrency` chunks are in flight. Each chunk's ImportSummary is folded into one result right
 * away (counts summed, conflicts kept with their row numbers shifted back to the ORIGINAL input),
 * so memory stays flat however large the input: only conflicts are kept per row.
 *
 * DHIS2 answers 409 + `status: "WARNING"` when some rows were ignored although the others were
 * stored (dhis2-core `WebMessageUtils.importSummary`: "One more conflicts encountered, please check
 * import summary."), so a 409 whose body is an ImportSummary is a result, not a failure.
 */
import type { Conflict, ImportCount } from "../envelopes/schemas.js";
import { Dhis2ClientError } from "../errors.js";
import { explainChunkError } from "./chunk-errors.js";
import { awaitImportJob, type JobPollOptions } from "./jobs.js";
import {
  type DataValueImportSummary,
  type DataValueSetHeader,
  findImportSummary,
  type IdScheme,
  type ImportStrategy,
} from "./schemas.js";
import { checkRow, chunked, type DataValueSource, openSource } from "./sources.js";
import { type DataValuesHttp, type DataValuesParams, errorBody, isAbort } from "./transport.js";

/** Options of `client.dataValues.import`. */
export interface DataValuesImportOptions extends JobPollOptions {
  dryRun?: boolean;
  importStrategy?: ImportStrategy;
  idScheme?: IdScheme;
  dataElementIdScheme?: IdScheme;
  orgUnitIdScheme?: IdScheme;
  categoryOptionComboIdScheme?: IdScheme;
  /** Sets `dataSet` on every chunk (2.43 fails with E8002 without it when a data element is in several data sets). */
  dataSet?: string;
  /** Post each chunk with `async=true` and wait for its job's summary. */
  async?: boolean;
  /** Rows per request; default 10,000. */
  chunkSize?: number;
  /** Chunks in flight at once; default 1. Progress is still reported in input order. */
  concurrency?: number;
  /** Stop reading after the first failed chunk (default: report it and go on). */
  stopOnChunkError?: boolean;
  /** Extra query parameters passed as-is (e.g. `skipAudit`, `preheatCache`). */
  params?: DataValuesParams;
  signal?: AbortSignal;
  onProgress?: (progress: DataValuesImportProgress) => void;
}

/** Reported after each chunk, in input order. */
export interface DataValuesImportProgress {
  chunk: number;
  rowsRead: number;
  importCount: ImportCount;
  conflicts: number;
  failedChunks: number;
}

/** A chunk whose request failed (network error after the client's retries, 5xx, not an ImportSummary). */
export interface FailedChunk {
  chunk: number;
  /** Index in the original input of the chunk's first row. */
  firstRow: number;
  /** Index in the original input of the chunk's last row (inclusive). */
  lastRow: number;
  rows: number;
  status?: number;
  error: Error;
}

/** The merged outcome of a chunked import. */
export interface DataValuesImportResult {
  /** `OK` when every row landed, `WARNING` when some were ignored or a chunk failed, `ERROR` when nothing landed. */
  status: "OK" | "WARNING" | "ERROR";
  importCount: ImportCount;
  /** Conflicts with `indexes` pointing at rows of the ORIGINAL input. */
  conflicts: Conflict[];
  /** Rows of the original input that the server refused, ascending. */
  rejectedIndexes: number[];
  failedChunks: FailedChunk[];
  rowsRead: number;
  rowsInFailedChunks: number;
  chunks: number;
  /** True when `imported + updated + ignored + deleted + rowsInFailedChunks === rowsRead`. */
  balanced: boolean;
  /** `rowsRead` minus everything accounted for (0 when balanced). */
  unaccounted: number;
  /** True when `stopOnChunkError` stopped the import before the end of the input. */
  stopped: boolean;
  dryRun: boolean;
}

type ChunkOutcome =
  | { ok: true; summary: DataValueImportSummary }
  | { ok: false; status?: number; error: Error };

const DEFAULT_CHUNK_SIZE = 10_000;

function buildParams(options: DataValuesImportOptions): DataValuesParams {
  const params: DataValuesParams = { ...(options.params ?? {}) };
  const copy = [
    "dryRun",
    "importStrategy",
    "idScheme",
    "dataElementIdScheme",
    "orgUnitIdScheme",
    "categoryOptionComboIdScheme",
  ] as const;
  for (const key of copy) if (options[key] !== undefined) params[key] = options[key];
  if (options.async) params.async = true;
  return params;
}

function describe(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

async function postChunk(
  http: DataValuesHttp,
  body: DataValueSetHeader & { dataValues: unknown[] },
  params: DataValuesParams,
  options: DataValuesImportOptions,
): Promise<ChunkOutcome> {
  let raw: unknown;
  try {
    raw = await http.postRaw("/api/dataValueSets", body, { params, signal: options.signal });
  } catch (error) {
    if (isAbort(error, options.signal)) throw error;
    const answered = errorBody(error);
    const summary = answered ? findImportSummary(answered.body) : undefined;
    if (summary) return { ok: true, summary };
    const explained = explainChunkError(
      error,
      body.dataValues.length,
      options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    );
    return answered?.status === undefined
      ? { ok: false, error: explained }
      : { ok: false, status: answered.status, error: explained };
  }
  if (options.async) {
    try {
      raw = await awaitImportJob(http, raw, options);
    } catch (error) {
      if (isAbort(error, options.signal)) throw error;
      return { ok: false, error: describe(error) };
    }
  }
  const summary = findImportSummary(raw);
  if (summary) return { ok: true, summary };
  return { ok: false, error: new Dhis2ClientError("answer is not an ImportSummary") };
}

/** Folds chunk summaries into one result; conflicts with the same key are merged like DHIS2 does. */
class ResultBuilder {
  readonly count: ImportCount = { imported: 0, updated: 0, ignored: 0, deleted: 0 };
  readonly conflicts = new Map<string, Conflict>();
  readonly rejected: number[] = [];
  readonly failed: FailedChunk[] = [];
  rowsInFailedChunks = 0;

  add(summary: DataValueImportSummary, offset: number): void {
    const c = summary.importCount;
    if (c) {
      this.count.imported += c.imported;
      this.count.updated += c.updated;
      this.count.ignored += c.ignored;
      this.count.deleted += c.deleted;
    }
    for (const conflict of summary.conflicts ?? []) {
      const indexes = (conflict.indexes ?? []).map((i) => i + offset);
      const key = `${conflict.errorCode ?? ""}|${conflict.property ?? ""}|${conflict.object ?? ""}|${conflict.value ?? ""}`;
      const seen = this.conflicts.get(key);
      if (seen) seen.indexes = [...(seen.indexes ?? []), ...indexes];
      else this.conflicts.set(key, { ...conflict, indexes });
    }
    for (const i of summary.rejectedIndexes ?? []) this.rejected.push(i + offset);
  }

  fail(chunk: FailedChunk): void {
    this.failed.push(chunk);
    this.rowsInFailedChunks += chunk.rows;
  }
}

/**
 * Imports data values in chunks; see {@link DataValuesImportOptions}. Used by `client.dataValues.import`.
 *
 * @example
 * ```ts
 * const result = await importDataValues(client, dataValuesFromFile("values.json.gz"), { chunkSize: 5_000 });
 * if (!result.balanced) console.warn(`${result.unaccounted} rows unaccounted for`);
 * ```
 */
export async function importDataValues(
  http: DataValuesHttp,
  source: DataValueSource,
  options: DataValuesImportOptions = {},
): Promise<DataValuesImportResult> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Dhis2ClientError(
      `dataValues.import: concurrency must be a positive integer, got ${concurrency}`,
    );
  }
  const { rows, header } = openSource(source);
  const params = buildParams(options);
  const result = new ResultBuilder();
  const inflight: Array<{ chunk: number; offset: number; rows: number; outcome: Promise<ChunkOutcome> }> = [];
  let rowsRead = 0;
  let chunks = 0;
  let stopped = false;

  const settleHead = async (): Promise<void> => {
    const head = inflight.shift();
    if (!head) return;
    const outcome = await head.outcome;
    if (outcome.ok) result.add(outcome.summary, head.offset);
    else {
      const failed: FailedChunk = {
        chunk: head.chunk,
        firstRow: head.offset,
        lastRow: head.offset + head.rows - 1,
        rows: head.rows,
        error: outcome.error,
      };
      if (outcome.status !== undefined) failed.status = outcome.status;
      result.fail(failed);
      if (options.stopOnChunkError) stopped = true;
    }
    options.onProgress?.({
      chunk: head.chunk,
      rowsRead: head.offset + head.rows,
      importCount: { ...result.count },
      conflicts: result.conflicts.size,
      failedChunks: result.failed.length,
    });
  };

  try {
    for await (const raw of chunked(rows, chunkSize)) {
      options.signal?.throwIfAborted();
      const offset = rowsRead;
      const values = raw.map((row, i) => checkRow(row, offset + i));
      const body = {
        ...header(),
        ...(options.dataSet ? { dataSet: options.dataSet } : {}),
        dataValues: values,
      };
      const outcome = postChunk(http, body, params, options);
      // Keep the promise from being reported as unhandled while earlier chunks settle.
      outcome.catch(() => {});
      inflight.push({ chunk: chunks, offset, rows: values.length, outcome });
      chunks += 1;
      rowsRead += values.length;
      while (inflight.length >= concurrency) await settleHead();
      if (stopped) break;
    }
    while (inflight.length > 0) await settleHead();
  } finally {
    // On abort or a broken source, let requests already sent finish quietly.
    for (const pending of inflight) pending.outcome.catch(() => {});
  }

  const count = result.count;
  const accounted =
    count.imported + count.updated + count.ignored + count.deleted + result.rowsInFailedChunks;
  const landed = count.imported + count.updated + count.deleted;
  const problems = result.failed.length > 0 || result.conflicts.size > 0 || count.ignored > 0;
  return {
    status: !problems ? "OK" : landed === 0 && rowsRead > 0 ? "ERROR" : "WARNING",
    importCount: { ...count },
    conflicts: [...result.conflicts.values()],
    rejectedIndexes: result.rejected.sort((a, b) => a - b),
    failedChunks: result.failed,
    rowsRead,
    rowsInFailedChunks: result.rowsInFailedChunks,
    chunks,
    balanced: accounted === rowsRead,
    unaccounted: rowsRead - accounted,
    stopped,
    dryRun: options.dryRun === true,
  };
}
