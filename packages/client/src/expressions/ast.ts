/**
 * The parse tree of a DHIS2 expression. Every node knows where it is in the source (`start`
 * inclusive, `end` exclusive), so a description can replace an item's text and an error can
 * point at it.
 */

/** Where a node sits in the source. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * A data item. `#{de}`, `#{de.*}`, `#{de.coc}`, `#{de.coc.*}`, `#{de.*.aoc}`, `#{de.coc.aoc}`
 * (`symbol` `#{`); `C{constant}`, `OUG{orgUnitGroup}`, `N{indicator}`, `I{programIndicator}`,
 * `D{program.dataElement}`, `A{program.attribute}`, `R{dataSet.REPORTING_RATE}`.
 */
export interface ItemNode extends Span {
  readonly type: "item";
  readonly symbol: "#{" | "A{" | "C{" | "D{" | "I{" | "N{" | "OUG{" | "R{";
  /** The item as written (DHIS2's `ctx.getText()`), e.g. `#{fbfJHSPpUQD.PT59n8BQbqM}`. */
  readonly text: string;
  readonly uid0: string;
  /** Second id: the category option combo of `#{de.coc}`, the element of `D{p.de}`, ... */
  readonly uid1?: string;
  /** The attribute option combo of `#{de.coc.aoc}` / `#{de.*.aoc}`. */
  readonly uid2?: string;
  /** `#{de.*}` or `#{de.coc.*}`: a wildcard in place of the combo. */
  readonly wildcard?: boolean;
  /** The reporting rate metric of `R{ds.REPORTING_RATE}`. */
  readonly reportingRateType?: string;
}

/** `[days]`, `[periodInYear]`, `[yearlyPeriodCount]`. */
export interface VariableNode extends Span {
  readonly type: "variable";
  readonly name: "[days]" | "[periodInYear]" | "[yearlyPeriodCount]";
}

/** A number, string, boolean or `null` literal. */
export type LiteralNode =
  | (Span & { readonly type: "number"; readonly value: number; readonly text: string })
  | (Span & { readonly type: "string"; readonly value: string })
  | (Span & { readonly type: "boolean"; readonly value: boolean })
  | (Span & { readonly type: "null" });

/** `-x`, `+x`, `!x` (also written `not x`). */
export interface UnaryNode extends Span {
  readonly type: "unary";
  readonly op: "-" | "+" | "!";
  readonly arg: ExpressionNode;
}

/** A binary operator; `and` and `or` are read as `&&` and `||`. */
export interface BinaryNode extends Span {
  readonly type: "binary";
  readonly op: "^" | "*" | "/" | "%" | "+" | "-" | "<" | ">" | "<=" | ">=" | "==" | "!=" | "&&" | "||";
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

/** `( expr )`. */
export interface GroupNode extends Span {
  readonly type: "group";
  readonly expr: ExpressionNode;
}

/** A function call such as `if(a, b, c)` or `sum(#{de})`; `name` without the parenthesis. */
export interface CallNode extends Span {
  readonly type: "call";
  readonly name: string;
  readonly args: readonly ExpressionNode[];
  /** `count(distinct x)`. */
  readonly distinct?: boolean;
}

/** `orgUnit.ancestor(uid, ...)`, `orgUnit.dataSet(...)`, `orgUnit.group(...)`, `orgUnit.program(...)`. */
export interface OrgUnitFunctionNode extends Span {
  readonly type: "orgUnitFunction";
  readonly name: "ancestor" | "dataSet" | "group" | "program";
  readonly uids: readonly { readonly uid: string; readonly start: number; readonly end: number }[];
}

/** A dot function after an expression: `x.periodOffset(-1)`, `x.aggregationType(SUM)`, `x.yearToDate()`. */
export interface DotCallNode extends Span {
  readonly type: "dotCall";
  readonly name: "aggregationType" | "maxDate" | "minDate" | "periodOffset" | "stageOffset" | "yearToDate";
  readonly target: ExpressionNode;
  /** The argument as written (`SUM`, `2024-01-01`, `-1`); none for `yearToDate()`. */
  readonly arg?: string;
}

/** Any node of a parsed expression. */
export type ExpressionNode =
  | ItemNode
  | VariableNode
  | LiteralNode
  | UnaryNode
  | BinaryNode
  | GroupNode
  | CallNode
  | OrgUnitFunctionNode
  | DotCallNode;

/**
 * Every node of a tree, depth first, with whether it sits inside the argument of an aggregation
 * function (`sum(...)`, `avg(...)`: DHIS2's predictor "sample" items, read in past periods).
 *
 * @example
 * ```ts
 * for (const { node } of walkExpression(parseExpression("sum(#{a1234567890})").root)) console.log(node.type);
 * ```
 */
export function* walkExpression(
  node: ExpressionNode,
  inSample = false,
): Generator<{ node: ExpressionNode; inSample: boolean }> {
  yield { node, inSample };
  switch (node.type) {
    case "unary":
      yield* walkExpression(node.arg, inSample);
      return;
    case "binary":
      yield* walkExpression(node.left, inSample);
      yield* walkExpression(node.right, inSample);
      return;
    case "group":
      yield* walkExpression(node.expr, inSample);
      return;
    case "dotCall":
      yield* walkExpression(node.target, inSample);
      return;
    case "call": {
      const last = node.args.length - 1;
      for (let i = 0; i <= last; i++) {
        const arg = node.args[i] as ExpressionNode;
        yield* walkExpression(arg, inSample || (AGGREGATION_FUNCTIONS.has(node.name) && i === last));
      }
      return;
    }
    default:
      return;
  }
}

/** DHIS2's vector (aggregation) functions: their last argument is evaluated over sample periods. */
export const AGGREGATION_FUNCTIONS: ReadonlySet<string> = new Set([
  "avg",
  "count",
  "max",
  "median",
  "min",
  "percentileCont",
  "stddev",
  "stddevPop",
  "stddevSamp",
  "sum",
  "variance",
]);
