/**
 * Numbers the way DHIS2 (Java) computes and prints them, where JavaScript would differ:
 * DHIS2's expression operators work on `BigDecimal.valueOf(double)` (dhis2-antlr-expression-parser
 * `AntlrOperatorMath*`: exact `+ - * %`, `/` to 16 significant digits (`MathContext.DECIMAL64`),
 * `^` to 7 (`DECIMAL32`)), so `0.1 + 0.2` is 0.3 there; `Double.toString` prints `12.0` and
 * `1.0E-4`; `MathUtils.roundSignificant` / `roundFraction` round validation and prediction values.
 */

interface Decimal {
  /** Unscaled digits (signed). */
  m: bigint;
  /** Value = m * 10^e. */
  e: number;
}

/** The exact decimal of a double's shortest representation (what `BigDecimal.valueOf` sees). */
function decimal(x: number): Decimal {
  const [mant = "0", exp = "0"] = x.toExponential().split("e");
  const [int = "0", frac = ""] = mant.split(".");
  return { m: BigInt(int + frac), e: Number(exp) - frac.length };
}

function toNumber(d: Decimal): number {
  return Number(`${d.m}e${d.e}`);
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}

const TEN = 10n;

/** Rounds `m * 10^e` to `digits` significant digits, half-even (`sticky`: a nonzero remainder was dropped). */
function roundSignificant(m: bigint, e: number, digits: number, sticky = false): Decimal {
  const neg = m < 0n;
  let abs = neg ? -m : m;
  const len = abs.toString().length;
  if (len <= digits) return { m: neg ? -abs : abs, e };
  const drop = len - digits;
  const div = TEN ** BigInt(drop);
  let q = abs / div;
  const r = abs % div;
  const half = div / 2n;
  if (r > half || (r === half && (sticky || q % 2n === 1n))) q += 1n;
  abs = q;
  return { m: neg ? -abs : abs, e: e + drop };
}

/** `a + b` in BigDecimal. */
export function add(a: number, b: number): number {
  const [x, y, e] = align(decimal(a), decimal(b));
  return toNumber({ m: x + y, e });
}

/** `a - b` in BigDecimal. */
export function subtract(a: number, b: number): number {
  const [x, y, e] = align(decimal(a), decimal(b));
  return toNumber({ m: x - y, e });
}

/** `a * b` in BigDecimal. */
export function multiply(a: number, b: number): number {
  const x = decimal(a);
  const y = decimal(b);
  return toNumber({ m: x.m * y.m, e: x.e + y.e });
}

/** `a / b` to `digits` significant digits (16: DECIMAL64); NaN for division by zero, as DHIS2. */
export function divide(a: number, b: number, digits = 16): number {
  if (b === 0) return Number.NaN;
  const x = decimal(a);
  const y = decimal(b);
  const scale = 40;
  const num = x.m * TEN ** BigInt(scale);
  const q = num / y.m;
  const rem = num % y.m;
  return toNumber(roundSignificant(q, x.e - y.e - scale, digits, rem !== 0n));
}

/** `a % b` (`BigDecimal.remainder`: the sign of `a`); NaN when `b` is 0. */
export function remainder(a: number, b: number): number {
  if (b === 0) return Number.NaN;
  const [x, y, e] = align(decimal(a), decimal(b));
  return toNumber({ m: x % y, e });
}

/** `base ^ exponent`: the exponent cut to an int, the result to 7 significant digits (DECIMAL32). */
export function power(base: number, exponent: number): number {
  const n = Math.trunc(exponent);
  if (n === 0) return 1;
  if (Math.abs(n) > 999) return base ** n;
  const b = decimal(base);
  const p = { m: b.m ** BigInt(Math.abs(n)), e: b.e * Math.abs(n) };
  if (n > 0) return toNumber(roundSignificant(p.m, p.e, 7));
  return divide(1, toNumber(p), 7);
}

/** Java's `Double.toString`: `12.0`, `0.5`, `1.0E-4`, `1.0E7`, `NaN`, `Infinity`. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (!Number.isFinite(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [m = "0", e = "0"] = d.toExponential().split("e");
  return `${m.includes(".") ? m : `${m}.0`}E${Number(e)}`;
}

/** Java's `Double.parseDouble` for the strings DHIS2 stores (trimmed; no hex floats). */
export function javaParseDouble(s: string): number | undefined {
  const t = s.trim();
  if (/^[+-]?(NaN|Infinity)$/.test(t)) return Number(t.replace(/^\+/, ""));
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(t)) return undefined;
  return Number(t.replace(/[fFdD]$/, ""));
}

/** Java's `Math.round(double)`: floor(x + 0.5). */
export function javaRound(x: number): number {
  return Math.floor(x + 0.5);
}

/** dhis2-core `MathUtils.roundToSignificantDigits`. */
export function roundToSignificantDigits(value: number, n: number): number {
  if (Math.abs(value) < 1e-12) return 0;
  const d = Math.ceil(Math.log10(Math.abs(value)));
  const magnitude = 10 ** (n - d);
  return javaRound(value * magnitude) / magnitude;
}

/**
 * dhis2-core `MathUtils.roundSignificant`: one decimal from 10 up (commons-math `Precision.round`,
 * half up), else three significant digits. Applied to validation results' side values.
 */
export function roundSignificantValue(value: number): number {
  if (value >= 10 || value <= -10) {
    const d = decimal(value);
    if (d.e >= -1) return value;
    const rounded = roundHalfUp(d, -1);
    return toNumber(rounded);
  }
  return roundToSignificantDigits(value, 3);
}

function roundHalfUp(d: Decimal, e: number): Decimal {
  const drop = e - d.e;
  const div = TEN ** BigInt(drop);
  const neg = d.m < 0n;
  const abs = neg ? -d.m : d.m;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return { m: neg ? -q : q, e };
}

/** dhis2-core `MathUtils.roundFraction`: whole numbers from 4 digits up, else 4 significant digits. */
export function roundFraction(value: number, n: number): number {
  if (Math.abs(value) < 1e-12) return 0;
  const d = Math.ceil(Math.log10(Math.abs(value)));
  if (d >= n) return javaRound(value);
  return roundToSignificantDigits(value, n);
}
