/**
 * The result of a chunked data value import: each chunk's ImportSummary folded in as it settles,
 * failed chunks with their row ranges and outcome, and the accounting of every row read.
 */
import type { Conflict, ImportCount } from "../envelopes/schemas.js";
import { Dhis2ClientError } from "../errors.js";
import type { WriteOutcome } from "../import-outcome.js";
import type { DataValueImportSummary } from "./schemas.js";

/** A chunk whose request failed (network error after the client's retries, 5xx, not an ImportSummary). */
export interface FailedChunk {
  chunk: number;
  /** Index in the original input of the chunk's first row. */
  firstRow: number;
  /** Index in the original input of the chunk's last row (inclusive). */
  lastRow: number;
  rows: number;
  status?: number;
  /**
   * `rejected`: the server refused the chunk (or never got it): none of its rows landed.
   * `unknown`: the request was sent but no answer came back (a reset after the server applied
   * it, a timeout, a gateway that gave up, an async job whose end was not seen): its rows may
   * have landed. Re-run with `importStrategy: "CREATE_AND_UPDATE"` to be sure.
   */
  outcome: WriteOutcome;
  error: Error;
}

/** The merged outcome of a chunked import. */
export interface DataValuesImportResult {
  /**
   * `OK` when every row landed, `WARNING` when some were ignored or a chunk failed, `ERROR` when
   * nothing landed (never while a chunk's outcome is unknown: it may have landed).
   */
  status: "OK" | "WARNING" | "ERROR";
  importCount: ImportCount;
  /** Conflicts with `indexes` pointing at rows of the ORIGINAL input. */
  conflicts: Conflict[];
  /** Rows of the original input that the server refused, ascending. */
  rejectedIndexes: number[];
  failedChunks: FailedChunk[];
  /** Rows sent (or tried) in chunks: the input up to where the import ended. */
  rowsRead: number;
  rowsInFailedChunks: number;
  /** Rows of failed chunks whose outcome is `unknown` (part of `rowsInFailedChunks`): they may have landed. */
  rowsOfUnknownOutcome: number;
  chunks: number;
  /** True when `imported + updated + ignored + deleted + rowsInFailedChunks === rowsRead`. */
  balanced: boolean;
  /** `rowsRead` minus everything accounted for (0 when balanced). */
  unaccounted: number;
  /** True when the import ended before the end of the input (`stopOnChunkError`, a broken source). */
  stopped: boolean;
  dryRun: boolean;
}

/** Folds chunk summaries into one result; conflicts with the same key are merged like DHIS2 does. */
export class ResultBuilder {
  readonly count: ImportCount = { imported: 0, updated: 0, ignored: 0, deleted: 0 };
  readonly conflicts = new Map<string, Conflict>();
  readonly rejected: number[] = [];
  readonly failed: FailedChunk[] = [];
  rowsInFailedChunks = 0;
  rowsOfUnknownOutcome = 0;

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
    if (chunk.outcome === "unknown") this.rowsOfUnknownOutcome += chunk.rows;
  }

  build(rowsRead: number, chunks: number, stopped: boolean, dryRun: boolean): DataValuesImportResult {
    const count = this.count;
    const accounted =
      count.imported + count.updated + count.ignored + count.deleted + this.rowsInFailedChunks;
    const landed = count.imported + count.updated + count.deleted;
    const problems = this.failed.length > 0 || this.conflicts.size > 0 || count.ignored > 0;
    const nothingLanded = landed === 0 && rowsRead > 0 && this.rowsOfUnknownOutcome === 0;
    return {
      status: !problems ? "OK" : nothingLanded ? "ERROR" : "WARNING",
      importCount: { ...count },
      conflicts: [...this.conflicts.values()],
      rejectedIndexes: [...this.rejected].sort((a, b) => a - b),
      failedChunks: [...this.failed],
      rowsRead,
      rowsInFailedChunks: this.rowsInFailedChunks,
      rowsOfUnknownOutcome: this.rowsOfUnknownOutcome,
      chunks,
      balanced: accounted === rowsRead,
      unaccounted: rowsRead - accounted,
      stopped,
      dryRun,
    };
  }
}

/**
 * The source failed mid-stream (it threw, or a row was not an object): the import stopped
 * reading, let every chunk already sent settle, and reports what the server stored in `result`
 * (its counts, conflicts and failed chunks cover every chunk sent). The source's error is `cause`.
 *
 * @example
 * ```ts
 * try { await client.dataValues.import(rows); }
 * catch (e) { if (e instanceof DataValuesImportError) console.error(e.message, e.result.importCount); }
 * ```
 */
export class DataValuesImportError extends Dhis2ClientError {
  override readonly name = "DataValuesImportError" as const;
  /** What the chunks sent before the failure did; `stopped` is true. */
  readonly result: DataValuesImportResult;

  constructor(cause: unknown, result: DataValuesImportResult) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const c = result.importCount;
    const unknown = result.rowsOfUnknownOutcome
      ? `, ${result.rowsOfUnknownOutcome} rows of unknown outcome (may have landed)`
      : "";
    const failed = result.rowsInFailedChunks - result.rowsOfUnknownOutcome;
    super(
      `${why}; the import stopped there. Before it, ${result.rowsRead} rows were sent in ${result.chunks} chunks: ${c.imported} imported, ${c.updated} updated, ${c.ignored} ignored, ${c.deleted} deleted${failed ? `, ${failed} rows in failed chunks` : ""}${unknown} (error.result has the details)`,
      { cause },
    );
    this.result = result;
  }
}
