/**
 * The parser's tables from `Expression.g4` (dhis2-antlr-expression-parser 1.0.39): how many
 * arguments each function takes, the `orgUnit.*` and dot functions, the binary operators by
 * precedence, and Java's string escapes.
 */
import type { OrgUnitFunctionNode } from "./ast.js";

/** Arguments each function takes: [least, most]. */
export const CALLS: Readonly<Record<string, readonly [number, number]>> = {
  "contains(": [2, Infinity],
  "containsItems(": [2, Infinity],
  "firstNonNull(": [1, Infinity],
  "is(": [2, Infinity],
  "greatest(": [1, Infinity],
  "least(": [1, Infinity],
  "if(": [3, 3],
  "isNotNull(": [1, 1],
  "isNull(": [1, 1],
  "log(": [1, 2],
  "log10(": [1, 1],
  "normDistCum(": [1, 3],
  "normDistDen(": [1, 3],
  "removeZeros(": [1, 1],
  "subExpression(": [1, 1],
  "avg(": [1, 1],
  "count(": [1, 1],
  "max(": [1, 1],
  "median(": [1, 1],
  "min(": [1, 1],
  "percentileCont(": [2, 2],
  "stddev(": [1, 1],
  "stddevPop(": [1, 1],
  "stddevSamp(": [1, 1],
  "sum(": [1, 1],
  "variance(": [1, 1],
};

export const ORG_UNIT_FUNCTIONS: Readonly<Record<string, OrgUnitFunctionNode["name"]>> = {
  "orgUnit.ancestor(": "ancestor",
  "orgUnit.dataSet(": "dataSet",
  "orgUnit.group(": "group",
  "orgUnit.program(": "program",
};

export const BINARY_LEVELS: readonly (readonly string[])[] = [
  ["||", "or"],
  ["&&", "and"],
  ["==", "!="],
  ["<", ">", "<=", ">="],
  ["+", "-"],
  ["*", "/", "%"],
];

export const DOT_FUNCTIONS = new Set([
  ".aggregationType(",
  ".maxDate(",
  ".minDate(",
  ".periodOffset(",
  ".stageOffset(",
  ".yearToDate()",
]);

/** Tokens the grammar has only for program rules and program indicators. */
export const PROGRAM_ONLY = /^(d2:.*\(|V\{|PS_EVENTDATE:)$/;

const ESCAPES: Record<string, string> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  '"': '"',
  "'": "'",
  "\\": "\\",
};

export function unquote(quoted: string): string {
  return quoted
    .slice(1, -1)
    .replace(/\\(u+[0-9a-fA-F]{4}|[0-3]?[0-7]?[0-7]|.)/g, (_, e: string) =>
      e.startsWith("u")
        ? String.fromCharCode(Number.parseInt(e.replace(/^u+/, ""), 16))
        : /^[0-7]/.test(e)
          ? String.fromCharCode(Number.parseInt(e, 8))
          : (ESCAPES[e] ?? e),
    );
}
