/**
 * Where an expression is used decides what it may contain. dhis2-core (2.41-2.43)
 * `DefaultExpressionService` gives each parse type its own item map: common items everywhere
 * (operators, `if(`, `isNull(`, `firstNonNull(`, `greatest(`, `least(`, `log(`, `log10(`,
 * `removeZeros(`, `contains(`, `containsItems(`, `is(`, `C{`, `null`); aggregate data items for
 * all but the simple test (`#{`, `A{`, `D{`, `I{`, `OUG{`, `R{`, `[days]`); `orgUnit.*` functions in
 * validation rules and predictors; aggregation functions (`sum(` ...) only in predictors; `N{`,
 * `subExpression(`, `.periodOffset(` ... only in indicators. Anything else is refused with "Item X
 * not supported for this type of expression".
 */

/** The kind of expression: a validation rule side, an indicator part, a predictor generator or skip test. */
export type ExpressionContext = "validationRule" | "indicator" | "predictor" | "predictorSkipTest";

/** Every {@link ExpressionContext}. */
export const EXPRESSION_CONTEXTS: readonly ExpressionContext[] = [
  "validationRule",
  "indicator",
  "predictor",
  "predictorSkipTest",
];

/** Words for messages: "validation rule", "indicator", ... */
export const CONTEXT_LABELS: Readonly<Record<ExpressionContext, string>> = {
  validationRule: "validation rule",
  indicator: "indicator",
  predictor: "predictor",
  predictorSkipTest: "predictor sample skip test",
};

const COMMON = [
  "contains(",
  "containsItems(",
  "firstNonNull(",
  "greatest(",
  "if(",
  "is(",
  "isNotNull(",
  "isNull(",
  "least(",
  "log(",
  "log10(",
  "removeZeros(",
  "C{",
  "null",
];
const BASE = [...COMMON, "#{", "A{", "D{", "I{", "OUG{", "R{", "[days]"];
const VALIDATION_RULE = [
  ...BASE,
  "orgUnit.ancestor(",
  "orgUnit.dataSet(",
  "orgUnit.group(",
  "orgUnit.program(",
];
const PREDICTOR = [
  ...VALIDATION_RULE,
  "avg(",
  "count(",
  "max(",
  ".maxDate(",
  "median(",
  "min(",
  ".minDate(",
  "normDistCum(",
  "normDistDen(",
  "percentileCont(",
  "stddev(",
  "stddevPop(",
  "stddevSamp(",
  "sum(",
];
const INDICATOR = [
  ...BASE,
  ".aggregationType(",
  "N{",
  ".maxDate(",
  ".minDate(",
  "[periodInYear]",
  ".periodOffset(",
  "subExpression(",
  "[yearlyPeriodCount]",
  ".yearToDate()",
];

const SUPPORTED: Readonly<Record<ExpressionContext, ReadonlySet<string>>> = {
  validationRule: new Set(VALIDATION_RULE),
  indicator: new Set(INDICATOR),
  predictor: new Set(PREDICTOR),
  predictorSkipTest: new Set(PREDICTOR),
};

/**
 * True when DHIS2 accepts the item, function or dot function `it` (its token, e.g. `sum(`, `#{`,
 * `.periodOffset(`) in an expression of `context`.
 *
 * @example
 * ```ts
 * isSupportedIn("sum(", "predictor"); // true
 * isSupportedIn("sum(", "validationRule"); // false
 * ```
 */
export function isSupportedIn(it: string, context: ExpressionContext): boolean {
  return SUPPORTED[context].has(it);
}

/** What each context evaluates to: DHIS2's `ParseType.getDataType()`. */
export const CONTEXT_DATA_TYPES: Readonly<Record<ExpressionContext, "NUMERIC" | "BOOLEAN">> = {
  validationRule: "NUMERIC",
  indicator: "NUMERIC",
  predictor: "NUMERIC",
  predictorSkipTest: "BOOLEAN",
};
