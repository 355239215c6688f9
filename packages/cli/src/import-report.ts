/** What the import commands (metadata, tracker, data values) share: `--strategy` and the outcome printout. */
import type { CliContext } from "./context.js";
import type { Column } from "./output.js";

/** `--strategy`: DHIS2's `importStrategy`. */
export const importStrategyArg = {
  type: "string",
  description: "import strategy",
  choices: ["CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE"],
} as const;

/** The counts every DHIS2 import report carries. */
export interface ImportCounts {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  readonly ignored: number;
  readonly total: number;
}

/** One import's outcome, as {@link printImportOutcome} shows it. */
export interface ImportOutcome<E> {
  readonly status: string;
  readonly stats: ImportCounts;
  readonly errors: readonly E[];
  /** What `--json` prints. */
  readonly json: unknown;
  /** The columns of the error table people see. */
  readonly columns: readonly Column<E>[];
}

/**
 * Prints an import's outcome (`--json`: `outcome.json`; else a status line with the counts and
 * a table of the errors) and returns the exit code: 1 when the import failed or refused anything.
 *
 * @example
 * ```ts
 * return printImportOutcome(ctx, { status, stats, errors, json: report, columns: [{ header: "UID", value: (e) => e.uid }] });
 * ```
 */
export function printImportOutcome<E>(ctx: CliContext, outcome: ImportOutcome<E>): number {
  const { status, stats: s, errors } = outcome;
  if (ctx.json) ctx.printJson(outcome.json);
  else {
    ctx.out(
      `status ${status}: ${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.ignored} ignored (of ${s.total})`,
    );
    if (errors.length > 0) ctx.printRows(errors, outcome.columns);
  }
  return status === "ERROR" || errors.length > 0 ? 1 : 0;
}

/** What {@link failedChunkLine} needs of a failed chunk (`FailedChunk` of `@dhis2w/client`). */
export interface FailedChunkLike {
  readonly chunk: number;
  readonly firstRow: number;
  readonly lastRow: number;
  readonly outcome: "rejected" | "unknown";
  readonly error: { readonly message: string };
}

/**
 * One line about a failed chunk of a data value import, rows 1-based. A chunk whose answer never
 * arrived may still have been stored: the line says so, and how to make sure.
 *
 * @example
 * ```ts
 * for (const f of result.failedChunks) ctx.err(failedChunkLine(f));
 * ```
 */
export function failedChunkLine(f: FailedChunkLike): string {
  const where = `chunk ${f.chunk} (rows ${f.firstRow + 1}-${f.lastRow + 1})`;
  return f.outcome === "unknown"
    ? `${where}: no answer arrived (${f.error.message}); may have landed; re-run with CREATE_AND_UPDATE to be sure`
    : `${where} failed: ${f.error.message}`;
}
