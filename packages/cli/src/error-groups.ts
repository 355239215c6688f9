/**
 * Import errors for people: a handful one per line, many grouped. An import that fails wholesale
 * can refuse every object (13,114 rows for one bad reference shared by all), which printed one
 * line each buried the cause; grouped by error code (and type), each group shows its count, the
 * first few objects and one message. The full list is what `--json` prints and what
 * `--errors-out FILE` writes.
 */
import { writeFile } from "node:fs/promises";
import type { CliContext } from "./context.js";
import { UserError } from "./errors.js";
import { type Column, FULL } from "./output.js";

/** More errors than this are grouped. */
export const GROUP_ABOVE = 10;
/** Objects shown per group. */
const SHOWN_OBJECTS = 3;

/** `--errors-out FILE`: every error as JSON, whatever is printed. */
export const errorsOutArg = {
  type: "string",
  description: "write every error (JSON) to this file; stdout shows them grouped when there are many",
  valueName: "file",
} as const;

/** Errors sharing a code (and type): how many, the first objects, one message. */
export interface ErrorGroup {
  readonly code: string;
  readonly type: string;
  readonly count: number;
  /** The first few distinct objects, in input order. */
  readonly objects: readonly string[];
  /** How many distinct objects there are in all. */
  readonly objectCount: number;
  /** The first error's message (messages differ only by the object they name, mostly). */
  readonly message: string;
}

/** How to read an error for grouping. */
export interface ErrorFacets<E> {
  code(e: E): string | undefined;
  type?(e: E): string | undefined;
  /** The object the error is about (UID, row...), as shown. */
  object(e: E): string | undefined;
  message(e: E): string | undefined;
  /** What one error is called in the note (default "error"; data imports say "conflict"). */
  noun?: string;
}

/**
 * Groups errors by code and type, largest group first (ties in input order).
 *
 * @example
 * ```ts
 * groupErrors(report.errors(), { code: (e) => e.errorCode, type: (e) => e.type, object: (e) => e.uid, message: (e) => e.message });
 * ```
 */
export function groupErrors<E>(errors: readonly E[], facets: ErrorFacets<E>): ErrorGroup[] {
  const groups = new Map<
    string,
    { code: string; type: string; count: number; objects: Set<string>; message: string }
  >();
  for (const e of errors) {
    const code = facets.code(e) ?? "";
    const type = facets.type?.(e) ?? "";
    const key = `${code}\u0000${type}`;
    let g = groups.get(key);
    if (!g) {
      g = { code, type, count: 0, objects: new Set(), message: facets.message(e) ?? "" };
      groups.set(key, g);
    }
    g.count++;
    const object = facets.object(e);
    if (object) g.objects.add(object);
  }
  return [...groups.values()]
    .map((g) => ({
      code: g.code,
      type: g.type,
      count: g.count,
      objects: [...g.objects].slice(0, SHOWN_OBJECTS),
      objectCount: g.objects.size,
      message: g.message,
    }))
    .sort((a, b) => b.count - a.count);
}

/** The columns of a group table; TYPE only when some group has one. */
export function groupColumns(groups: readonly ErrorGroup[]): Column<ErrorGroup>[] {
  return [
    { header: "CODE", value: (g) => g.code },
    ...(groups.some((g) => g.type) ? [{ header: "TYPE", value: (g: ErrorGroup) => g.type }] : []),
    { header: "COUNT", value: (g) => g.count },
    {
      header: "OBJECTS",
      value: (g) => {
        const more = g.objectCount - g.objects.length;
        return `${g.objects.join(", ")}${more > 0 ? `, … (+${more})` : ""}`;
      },
      max: FULL,
    },
    { header: "FIRST MESSAGE", value: (g) => g.message, max: FULL },
  ];
}

/**
 * What an import's error table shows: the errors themselves when there are few, else their
 * groups (with a note on stderr saying where the full list is).
 */
export function errorTable<E>(
  ctx: CliContext,
  errors: readonly E[],
  columns: readonly Column<E>[],
  facets: ErrorFacets<E>,
): { rows: readonly unknown[]; columns: readonly Column<unknown>[]; afterwards: () => void } {
  if (errors.length <= GROUP_ABOVE || ctx.json) {
    return { rows: errors, columns: columns as readonly Column<unknown>[], afterwards: () => {} };
  }
  const groups = groupErrors(errors, facets);
  const noun = facets.noun ?? "error";
  return {
    rows: groups,
    columns: groupColumns(groups) as readonly Column<unknown>[],
    afterwards: () =>
      ctx.err(
        `${errors.length} ${noun}s in ${groups.length} ${groups.length === 1 ? "group" : "groups"}; the full list: --errors-out FILE or --json`,
      ),
  };
}

/** Writes every error to `file` as JSON (with `--errors-out`), saying so on stderr. */
export async function writeErrorsOut(
  ctx: CliContext,
  file: string | undefined,
  errors: readonly unknown[],
  noun = "error",
): Promise<void> {
  if (file === undefined) return;
  try {
    await writeFile(file, `${JSON.stringify(errors, null, 2)}\n`);
  } catch (error) {
    throw new UserError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    });
  }
  ctx.err(`wrote ${errors.length} ${noun}${errors.length === 1 ? "" : "s"} to ${file}`);
}
