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
 *
 * The result always agrees with the server: a chunk sent without an answer coming back is
 * reported with outcome `unknown` (it may have landed), and when the source breaks mid-stream the
 * import stops reading, waits for every chunk in flight and throws a `DataValuesImportError`
 * carrying the counts of everything the server stored.
 */
import type { ImportCount } from "../envelopes/schemas.js";
import { Dhis2ClientError } from "../errors.js";
import { type WriteOutcome, writeOutcomeOf } from "../import-outcome.js";
import { explainChunkError } from "./chunk-errors.js";
import {
  DataValuesImportError,
  type DataValuesImportResult,
  type FailedChunk,
  ResultBuilder,
} from "./import-result.js";
import { awaitImportJob, type JobPollOptions } from "./jobs.js";
import {
  type DataValueImportSummary,
  type DataValueSetHeader,
  findImportSummary,
  type IdScheme,
  type ImportStrategy,
} from "./schemas.js";

export { DataValuesImportError, type DataValuesImportResult, type FailedChunk } from "./import-result.js";

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

type ChunkOutcome =
  | { ok: true; summary: DataValueImportSummary }
  | { ok: false; status?: number; outcome: WriteOutcome; error: Error };

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
    const outcome = writeOutcomeOf(error);
    return answered?.status === undefined
      ? { ok: false, outcome, error: explained }
      : { ok: false, status: answered.status, outcome, error: explained };
  }
  if (options.async) {
    try {
      raw = await awaitImportJob(http, raw, options);
    } catch (error) {
      if (isAbort(error, options.signal)) throw error;
      // The job was accepted: it may be running, or done, without us seeing its end.
      return { ok: false, outcome: "unknown", error: describe(error) };
    }
  }
  const summary = findImportSummary(raw);
  if (summary) return { ok: true, summary };
  return { ok: false, outcome: "rejected", error: new Dhis2ClientError("answer is not an ImportSummary") };
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
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new Dhis2ClientError(`dataValues.import: chunkSize must be a positive integer, got ${chunkSize}`);
  }
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
    let outcome: ChunkOutcome;
    try {
      outcome = await head.outcome;
    } catch (error) {
      // Aborted while in flight: the server may have it.
      outcome = { ok: false, outcome: "unknown", error: describe(error) };
      result.fail(failedChunk(head, outcome));
      throw error;
    }
    if (outcome.ok) result.add(outcome.summary, head.offset);
    else {
      result.fail(failedChunk(head, outcome));
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

  /** Settles every chunk in flight, so that what is reported is what the server was sent. */
  const drain = async (): Promise<unknown> => {
    let abort: unknown;
    while (inflight.length > 0) {
      try {
        await settleHead();
      } catch (error) {
        abort ??= error;
      }
    }
    return abort;
  };

  let broken: { error: unknown } | undefined;
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
  } catch (error) {
    broken = { error };
  }
  const abort = await drain();
  // The caller's abort wins, as it is (whether it stopped the reading or a chunk in flight).
  const aborted = broken && isAbort(broken.error, options.signal) ? broken.error : abort;
  if (aborted !== undefined) throw aborted;
  if (broken) {
    throw new DataValuesImportError(
      broken.error,
      result.build(rowsRead, chunks, true, options.dryRun === true),
    );
  }
  return result.build(rowsRead, chunks, stopped, options.dryRun === true);
}

function failedChunk(
  head: { chunk: number; offset: number; rows: number },
  outcome: Extract<ChunkOutcome, { ok: false }>,
): FailedChunk {
  const failed: FailedChunk = {
    chunk: head.chunk,
    firstRow: head.offset,
    lastRow: head.offset + head.rows - 1,
    rows: head.rows,
    outcome: outcome.outcome,
    error: outcome.error,
  };
  if (outcome.status !== undefined) failed.status = outcome.status;
  return failed;
}
