/**
 * Numbers as DHIS2 prints them in analytics rows. dhis2-core `MathUtils.getRounded`: values
 * strictly between -1 and 1 get 2 decimals, others 1 (`Precision.round`, half up);
 * `AnalyticsUtils.getRoundedValueObject` then prints a data element value without a trailing
 * ".0" (`125.0` -> `125`); indicators are rounded to their `decimals` when set and printed as a
 * Java double (a live 2.42 server answers `"127.0"` for an indicator). `skipRounding=true` keeps
 * 10 decimals (`DECIMALS_NO_ROUNDING`).
 */

/** `Precision.round(value, scale)` with BigDecimal HALF_UP semantics (ties away from zero). */
export function roundHalfUp(value: number, scale: number): number {
  const sign = value < 0 ? -1 : 1;
  const shifted = Number(`${Math.abs(value)}e${scale}`);
  return sign * Number(`${Math.round(shifted)}e-${scale}`);
}

/** `MathUtils.getRounded`. */
export function dhis2Rounded(value: number): number {
  return roundHalfUp(value, value < 1 && value > -1 ? 2 : 1);
}

/** Java's `Double.toString` for the magnitudes analytics produces. */
export function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : n < 0 ? "-Infinity" : "NaN";
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [mant = "0", exp = "0"] = n.toExponential().split("e");
    return `${mant.includes(".") ? mant : `${mant}.0`}E${Number(exp)}`;
  }
  const s = String(n);
  return s.includes(".") ? s : `${s}.0`;
}

/** A data element / operand value. */
export function formatDataValue(value: number, skipRounding: boolean): string {
  const r = skipRounding ? roundHalfUp(value, 10) : dhis2Rounded(value);
  return Number.isInteger(r) && Math.abs(r) < 1e15 ? String(r) : javaDouble(r);
}

/** An indicator value (and its numerator/denominator with `includeNumDen`). */
export function formatIndicatorValue(
  value: number,
  decimals: number | undefined,
  skipRounding: boolean,
): string {
  if (skipRounding) return javaDouble(roundHalfUp(value, 10));
  return javaDouble(
    decimals !== undefined && decimals > 0 ? roundHalfUp(value, decimals) : dhis2Rounded(value),
  );
}
