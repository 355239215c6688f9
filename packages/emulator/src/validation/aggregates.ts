/**
 * DHIS2's aggregation functions over predictor sample values (dhis2-core `Vector*`): empty
 * samples give null (count gives 0); `stddev` is the sample standard deviation (commons-math
 * `StandardDeviation(true)`), `median` and `percentileCont` the R_7 percentile; and the normal
 * distribution functions.
 */
import { ExpressionEvaluationError, type Value } from "./values.js";

export function aggregate(name: string, raw: readonly Value[], fraction: number | null): number | null {
  if (name === "count") return raw.length;
  const values = raw as readonly number[];
  if (values.length === 0) return null;
  const sum = values.reduce((s, v) => s + v, 0);
  const mean = sum / values.length;
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  switch (name) {
    case "sum":
      return sum;
    case "avg":
      return mean;
    case "max":
      return Math.max(...values);
    case "min":
      return Math.min(...values);
    case "stddev":
    case "stddevSamp":
      return values.length === 1 ? 0 : Math.sqrt(squares / (values.length - 1));
    case "stddevPop":
      return Math.sqrt(squares / values.length);
    case "variance":
      return values.length === 1 ? 0 : squares / (values.length - 1);
    case "median":
      return percentile(values, 0.5);
    case "percentileCont":
      if (fraction === null || fraction < 0 || fraction > 1) return null;
      return percentile(values, fraction);
    default:
      throw new ExpressionEvaluationError(`Item ${name}( not supported`);
  }
}

/** commons-math `Percentile` with estimation type R_7 (what `percentileCont` uses). */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (p === 0) return sorted[0] as number;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

export function normalDensity(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI));
}

export function normalCumulative(x: number, mean: number, sd: number): number {
  // Abramowitz and Stegun 7.1.26 (error below 1.5e-7).
  const z = (x - mean) / (sd * Math.SQRT2);
  const t = 1 / (1 + 0.3275911 * Math.abs(z));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z);
  return 0.5 * (1 + Math.sign(z) * y);
}
