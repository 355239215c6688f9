/**
 * DHIS2's values during expression evaluation (Double, Boolean, String, null) and its casts and
 * comparison (dhis2-antlr-expression-parser `AntlrParserUtils.castClass` / `compare`): a string
 * is a number when Java can parse it, an integral number is a boolean, anything else that does
 * not fit raises the "Could not cast ..." `ParserException`.
 */
import type { ItemNode } from "@dhis2w/client";
import { javaDoubleToString, javaParseDouble } from "./java-numbers.js";

/** A value during evaluation: DHIS2's Double, Boolean, String, or null. */
export type Value = number | boolean | string | null;

/** An item's value type, as DHIS2 groups them (`ValueType.isNumeric()` ...). */
export type ItemValueType = "number" | "boolean" | "text" | "date";

/** DHIS2's `MissingValueStrategy`. */
export type MissingValueStrategy = "SKIP_IF_ANY_VALUE_MISSING" | "SKIP_IF_ALL_VALUES_MISSING" | "NEVER_SKIP";

/** What the evaluator learns about an item. */
export interface ItemValue {
  readonly value: Value;
  readonly valueType: ItemValueType;
}

/** The org unit an expression is evaluated for (the `orgUnit.*` functions). */
export interface OrgUnitFacts {
  readonly id: string;
  /** Uids of its ancestors (not itself). */
  readonly ancestors: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  readonly dataSets: ReadonlySet<string>;
  readonly programs: ReadonlySet<string>;
}

/** Everything an evaluation reads. */
export interface EvaluationEnv {
  /** The value of an item in the current period (null: missing). */
  readonly item: (item: ItemNode) => ItemValue;
  /** A constant's value, or undefined when there is none. */
  readonly constant: (uid: string) => number | undefined;
  /** `[days]`: days in the period. */
  readonly days?: number;
  readonly orgUnit?: OrgUnitFacts;
  readonly missingValueStrategy: MissingValueStrategy;
  /** What the expression must give: DHIS2's `DataType`. */
  readonly dataType: "NUMERIC" | "BOOLEAN" | "TEXT";
  /** Item lookups of the sample periods, oldest first (predictor aggregation functions). */
  readonly samples?: readonly ((item: ItemNode) => ItemValue)[];
}

/** What DHIS2 raises as a `ParserException` while visiting: the message is DHIS2's. */
export class ExpressionEvaluationError extends Error {
  override readonly name: string = "ExpressionEvaluationError";
}

const castError = (v: Value, to: string) =>
  new ExpressionEvaluationError(
    `Could not cast ${typeof v === "number" ? "Double" : typeof v === "boolean" ? "Boolean" : "String"} '${typeof v === "number" ? javaDoubleToString(v) : String(v)}' to ${to}`,
  );

export function castDouble(v: Value): number | null {
  if (v === null || typeof v === "number") return v;
  if (typeof v === "string") {
    const n = javaParseDouble(v);
    if (n !== undefined) return n;
  }
  throw castError(v, "Double");
}

export function castBoolean(v: Value): boolean | null {
  if (v === null || typeof v === "boolean") return v;
  if (typeof v === "number" && v % 1 === 0) return v !== 0;
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  throw castError(v, "Boolean");
}

export function castString(v: Value): string | null {
  if (v === null) return null;
  return typeof v === "number" ? javaDoubleToString(v) : String(v);
}

/** dhis2-antlr-expression-parser `AntlrParserUtils.compare`. */
export function compare(a: Value, b: Value): number {
  const num = (v: Value) =>
    typeof v === "number" ? v : typeof v === "string" ? javaParseDouble(v) : undefined;
  if (typeof a === "number" || typeof b === "number") {
    const x = num(a);
    const y = num(b);
    if (x !== undefined && y !== undefined)
      return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : Number.isNaN(y) ? -1 : Math.sign(x - y);
  }
  const bool = (v: Value) => {
    try {
      return castBoolean(v) ?? undefined;
    } catch {
      return undefined;
    }
  };
  if (typeof a === "boolean" || typeof b === "boolean") {
    const x = bool(a);
    const y = bool(b);
    if (x !== undefined && y !== undefined) return Number(x) - Number(y);
  }
  if (typeof a === "string" || typeof b === "string") {
    const x = castString(a) ?? "";
    const y = castString(b) ?? "";
    return x < y ? -1 : x > y ? 1 : 0;
  }
  throw new ExpressionEvaluationError(`Could not compare '${String(a)}' to '${String(b)}'`);
}

export const invalid = (v: Value) => v === null || (typeof v === "number" && Number.isNaN(v));
