/**
 * DHIS2 ISO period identifiers (`202401`, `2024W3`, `2024Q1`, `2024April`, ...): parsing,
 * validation and their start/end dates, for the ISO 8601 (Gregorian) calendar DHIS2 uses by default.
 *
 * Formats follow DHIS2's "Date and period format" table (Web API docs, "Data values" / "Periods"):
 * yyyyMMdd, yyyyWn, yyyyWedWn/ThuWn/SatWn/SunWn, yyyyBiWn, yyyyMM, yyyyMMB, yyyyQn, yyyySn,
 * yyyyAprilSn, yyyyNovSn, yyyy, yyyyApril, yyyyJuly, yyyySep, yyyyOct, yyyyNov.
 * Week 1 of a weekly type is the first week with at least four days in the year (the ISO rule,
 * shifted to the type's start day), as in dhis2-core `WeeklyAbstractPeriodType`.
 */
import { Dhis2ClientError } from "./errors.js";

/** DHIS2's period type names (`PeriodType.getName()`). */
export const PeriodType = {
  Daily: "Daily",
  Weekly: "Weekly",
  WeeklyWednesday: "WeeklyWednesday",
  WeeklyThursday: "WeeklyThursday",
  WeeklySaturday: "WeeklySaturday",
  WeeklySunday: "WeeklySunday",
  BiWeekly: "BiWeekly",
  Monthly: "Monthly",
  BiMonthly: "BiMonthly",
  Quarterly: "Quarterly",
  SixMonthly: "SixMonthly",
  SixMonthlyApril: "SixMonthlyApril",
  SixMonthlyNov: "SixMonthlyNov",
  Yearly: "Yearly",
  FinancialApril: "FinancialApril",
  FinancialJuly: "FinancialJuly",
  FinancialSep: "FinancialSep",
  FinancialOct: "FinancialOct",
  FinancialNov: "FinancialNov",
} as const;
/** One of {@link PeriodType}'s values. */
export type PeriodType = (typeof PeriodType)[keyof typeof PeriodType];

/** A parsed DHIS2 period: its id, type and inclusive start/end dates as `yyyy-MM-dd`. */
export interface Period {
  id: string;
  periodType: PeriodType;
  startDate: string;
  endDate: string;
}

/** Thrown by {@link parsePeriod} for an identifier that is not a valid DHIS2 period. */
export class InvalidPeriodError extends Dhis2ClientError {
  override readonly name = "InvalidPeriodError" as const;
  constructor(
    readonly period: string,
    reason: string,
  ) {
    super(`Invalid DHIS2 period ${JSON.stringify(period)}: ${reason}`);
  }
}

const DAY_MS = 86_400_000;

function utc(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Last day of the month that starts `months` months after (year, month). */
function monthSpan(year: number, month: number, months: number): [number, number] {
  const start = utc(year, month, 1);
  const end = Date.UTC(year, month - 1 + months, 1) - DAY_MS;
  return [start, end];
}

/** First day of week 1 for a weekly type starting on `weekday` (0 = Sunday ... 6 = Saturday). */
function weekOneStart(year: number, weekday: number): number {
  // The week holding Jan 4 is the first one with >= 4 days in the year.
  const jan4 = utc(year, 1, 4);
  const back = (new Date(jan4).getUTCDay() - weekday + 7) % 7;
  return jan4 - back * DAY_MS;
}

function weeksInYear(year: number, weekday: number): number {
  return Math.round((weekOneStart(year + 1, weekday) - weekOneStart(year, weekday)) / (7 * DAY_MS));
}

const WEEKLY: Record<string, { type: PeriodType; weekday: number }> = {
  "": { type: PeriodType.Weekly, weekday: 1 },
  Wed: { type: PeriodType.WeeklyWednesday, weekday: 3 },
  Thu: { type: PeriodType.WeeklyThursday, weekday: 4 },
  Sat: { type: PeriodType.WeeklySaturday, weekday: 6 },
  Sun: { type: PeriodType.WeeklySunday, weekday: 0 },
};

const FINANCIAL: Record<string, { type: PeriodType; month: number }> = {
  April: { type: PeriodType.FinancialApril, month: 4 },
  July: { type: PeriodType.FinancialJuly, month: 7 },
  Sep: { type: PeriodType.FinancialSep, month: 9 },
  Oct: { type: PeriodType.FinancialOct, month: 10 },
  Nov: { type: PeriodType.FinancialNov, month: 11 },
};

const SIX_MONTHLY: Record<string, { type: PeriodType; month: number }> = {
  "": { type: PeriodType.SixMonthly, month: 1 },
  April: { type: PeriodType.SixMonthlyApril, month: 4 },
  Nov: { type: PeriodType.SixMonthlyNov, month: 11 },
};

function result(id: string, periodType: PeriodType, start: number, end: number): Period {
  return { id, periodType, startDate: iso(start), endDate: iso(end) };
}

function parseOrReason(id: string): Period | string {
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(id);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = utc(y, mo, d);
    const back = new Date(t);
    if (mo < 1 || mo > 12 || back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) {
      return `day ${m[2]}-${m[3]} does not exist in ${m[1]}`;
    }
    return result(id, PeriodType.Daily, t, t);
  }
  m = /^(\d{4})(Wed|Thu|Sat|Sun)?W(\d{1,2})$/.exec(id);
  if (m) {
    const y = Number(m[1]);
    const w = Number(m[3]);
    const spec = WEEKLY[m[2] ?? ""];
    if (!spec) return "unknown week start";
    const max = weeksInYear(y, spec.weekday);
    if (w < 1 || w > max) return `week must be 1..${max} in ${y}`;
    const start = weekOneStart(y, spec.weekday) + (w - 1) * 7 * DAY_MS;
    return result(id, spec.type, start, start + 6 * DAY_MS);
  }
  m = /^(\d{4})BiW(\d{1,2})$/.exec(id);
  if (m) {
    const y = Number(m[1]);
    const b = Number(m[2]);
    const max = Math.ceil(weeksInYear(y, 1) / 2);
    if (b < 1 || b > max) return `bi-week must be 1..${max} in ${y}`;
    const start = weekOneStart(y, 1) + (b - 1) * 14 * DAY_MS;
    return result(id, PeriodType.BiWeekly, start, start + 13 * DAY_MS);
  }
  m = /^(\d{4})(\d{2})(B?)$/.exec(id);
  if (m) {
    const y = Number(m[1]);
    const n = Number(m[2]);
    if (m[3] === "B") {
      if (n < 1 || n > 6) return "bi-month must be 01..06";
      const [s, e] = monthSpan(y, (n - 1) * 2 + 1, 2);
      return result(id, PeriodType.BiMonthly, s, e);
    }
    if (n < 1 || n > 12) return "month must be 01..12";
    const [s, e] = monthSpan(y, n, 1);
    return result(id, PeriodType.Monthly, s, e);
  }
  m = /^(\d{4})Q(\d)$/.exec(id);
  if (m) {
    const q = Number(m[2]);
    if (q < 1 || q > 4) return "quarter must be 1..4";
    const [s, e] = monthSpan(Number(m[1]), (q - 1) * 3 + 1, 3);
    return result(id, PeriodType.Quarterly, s, e);
  }
  m = /^(\d{4})(April|Nov)?S(\d)$/.exec(id);
  if (m) {
    const spec = SIX_MONTHLY[m[2] ?? ""];
    const h = Number(m[3]);
    if (!spec) return "unknown six-monthly type";
    if (h < 1 || h > 2) return "half must be 1 or 2";
    const [s, e] = monthSpan(Number(m[1]), spec.month + (h - 1) * 6, 6);
    return result(id, spec.type, s, e);
  }
  m = /^(\d{4})(April|July|Sep|Oct|Nov)?$/.exec(id);
  if (m) {
    const y = Number(m[1]);
    const fin = m[2] ? FINANCIAL[m[2]] : undefined;
    if (m[2] && !fin) return "unknown financial year";
    const [s, e] = monthSpan(y, fin ? fin.month : 1, 12);
    return result(id, fin ? fin.type : PeriodType.Yearly, s, e);
  }
  return "not a DHIS2 ISO period (e.g. 20240115, 2024W3, 202401, 202401B, 2024Q1, 2024S1, 2024, 2024April)";
}

/**
 * Parses a DHIS2 ISO period identifier.
 *
 * @throws {InvalidPeriodError} when `id` is not a valid period, with the reason.
 * @example
 * ```ts
 * parsePeriod("2024Q1"); // { id: "2024Q1", periodType: "Quarterly", startDate: "2024-01-01", endDate: "2024-03-31" }
 * ```
 */
export function parsePeriod(id: string): Period {
  const parsed = parseOrReason(id);
  if (typeof parsed === "string") throw new InvalidPeriodError(id, parsed);
  return parsed;
}

/**
 * Like {@link parsePeriod}, but returns `undefined` for an invalid identifier.
 *
 * @example
 * ```ts
 * tryParsePeriod("202413"); // undefined
 * ```
 */
export function tryParsePeriod(id: string): Period | undefined {
  const parsed = parseOrReason(id);
  return typeof parsed === "string" ? undefined : parsed;
}

/**
 * True when `id` is a valid DHIS2 ISO period.
 *
 * @example
 * ```ts
 * isValidPeriod("2024W53"); // false: 2024 has 52 ISO weeks
 * ```
 */
export function isValidPeriod(id: string): boolean {
  return typeof parseOrReason(id) !== "string";
}
