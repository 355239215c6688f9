/**
 * Period arithmetic for validation and predictors: the period of a type that holds a date, the
 * next and previous ones, the same period some years back, and DHIS2's frequency order (dhis2-core
 * `PeriodType.getFrequencyOrder()`: Daily 1, weekly 7, BiWeekly 14, Monthly 30, BiMonthly 61,
 * Quarterly 91, six-monthly 182, Yearly and financial years 365). Built on the client's ISO period
 * parser, so an id this module makes always parses.
 */
import type { PeriodType } from "@dhis2w/client";
import { type DayPeriod, dayPeriod } from "../analytics/periods.js";

const DAY_MS = 86_400_000;

/** DHIS2's frequency order of each period type (shorter periods have lower numbers). */
export const FREQUENCY_ORDER: Readonly<Record<PeriodType, number>> = {
  Daily: 1,
  Weekly: 7,
  WeeklyWednesday: 7,
  WeeklyThursday: 7,
  WeeklySaturday: 7,
  WeeklySunday: 7,
  BiWeekly: 14,
  Monthly: 30,
  BiMonthly: 61,
  Quarterly: 91,
  SixMonthly: 182,
  SixMonthlyApril: 182,
  SixMonthlyNov: 182,
  Yearly: 365,
  FinancialApril: 365,
  FinancialJuly: 365,
  FinancialSep: 365,
  FinancialOct: 365,
  FinancialNov: 365,
};

const WEEK_PREFIX: Partial<Record<PeriodType, string>> = {
  Weekly: "",
  WeeklyWednesday: "Wed",
  WeeklyThursday: "Thu",
  WeeklySaturday: "Sat",
  WeeklySunday: "Sun",
};

/** True for a DHIS2 period type name this module knows. */
export function isPeriodType(name: unknown): name is PeriodType {
  return typeof name === "string" && Object.hasOwn(FREQUENCY_ORDER, name);
}

/** Days since the epoch of a `yyyy-MM-dd` date. */
export function dayOf(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

/** `yyyy-MM-dd` of a day number. */
export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const pad = (n: number) => String(n).padStart(2, "0");

function must(id: string): DayPeriod {
  const p = dayPeriod(id);
  if (!p) throw new Error(`period-math: made an invalid period id ${id}`);
  return p;
}

function firstContaining(ids: readonly string[], day: number): DayPeriod {
  for (const id of ids) {
    const p = dayPeriod(id);
    if (p && p.startDay <= day && day <= p.endDay) return p;
  }
  throw new Error(`period-math: no period among ${ids.join(", ")} holds day ${isoOf(day)}`);
}

function weekly(prefix: string, span: 7 | 14, day: number): DayPeriod {
  const y = Number(isoOf(day).slice(0, 4));
  for (const year of [y + 1, y, y - 1]) {
    const first = dayPeriod(span === 7 ? `${year}${prefix}W1` : `${year}BiW1`);
    if (!first || first.startDay > day) continue;
    const n = Math.floor((day - first.startDay) / span) + 1;
    const p = dayPeriod(span === 7 ? `${year}${prefix}W${n}` : `${year}BiW${n}`);
    if (p && p.startDay <= day && day <= p.endDay) return p;
  }
  throw new Error(`period-math: no ${span}-day period holds ${isoOf(day)}`);
}

/**
 * The period of `type` holding the day (DHIS2's `periodType.createPeriod(date)`).
 *
 * @example
 * periodContaining("Quarterly", dayOf("2024-05-17")).id; // "2024Q2"
 */
export function periodContaining(type: PeriodType, day: number): DayPeriod {
  const iso = isoOf(day);
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const years = [y - 1, y, y + 1];
  switch (type) {
    case "Daily":
      return must(iso.replace(/-/g, ""));
    case "Monthly":
      return must(`${y}${pad(m)}`);
    case "BiMonthly":
      return must(`${y}${pad(Math.floor((m - 1) / 2) + 1)}B`);
    case "Quarterly":
      return must(`${y}Q${Math.floor((m - 1) / 3) + 1}`);
    case "SixMonthly":
      return must(`${y}S${m <= 6 ? 1 : 2}`);
    case "Yearly":
      return must(String(y));
    case "BiWeekly":
      return weekly("", 14, day);
    case "SixMonthlyApril":
      return firstContaining(
        years.flatMap((yy) => [`${yy}AprilS1`, `${yy}AprilS2`]),
        day,
      );
    case "SixMonthlyNov":
      return firstContaining(
        years.flatMap((yy) => [`${yy}NovS1`, `${yy}NovS2`]),
        day,
      );
    case "FinancialApril":
    case "FinancialJuly":
    case "FinancialSep":
    case "FinancialOct":
    case "FinancialNov": {
      const suffix = type.slice("Financial".length);
      return firstContaining(
        years.map((yy) => `${yy}${suffix}`),
        day,
      );
    }
    default:
      return weekly(WEEK_PREFIX[type] ?? "", 7, day);
  }
}

/** The period after `p` (of the same type). */
export function nextPeriod(p: DayPeriod): DayPeriod {
  return periodContaining(p.periodType, p.endDay + 1);
}

/** The period before `p` (of the same type). */
export function previousPeriod(p: DayPeriod): DayPeriod {
  return periodContaining(p.periodType, p.startDay - 1);
}

/**
 * The period of the same type holding `p`'s start date `years` years earlier (dhis2-core
 * `getPreviousYearsPeriod`: a lenient `Calendar`, so 29 February falls on 1 March).
 */
export function previousYearsPeriod(p: DayPeriod, years: number): DayPeriod {
  const [y, m, d] = p.startDate.split("-").map(Number) as [number, number, number];
  const day = Math.floor(Date.UTC(y - years, m - 1, d) / DAY_MS);
  return periodContaining(p.periodType, day);
}

/**
 * Every period of `type` that lies wholly between the dates (dhis2-core
 * `DefaultPredictionService.getPeriodsBetweenDates`: the periods need not exist in the database).
 */
export function periodsBetween(type: PeriodType, startDay: number, endDay: number): DayPeriod[] {
  const out: DayPeriod[] = [];
  let p = periodContaining(type, startDay);
  if (p.startDay < startDay) p = nextPeriod(p);
  while (p.endDay <= endDay) {
    out.push(p);
    p = nextPeriod(p);
  }
  return out;
}

/** Days in a period. */
export function daysIn(p: DayPeriod): number {
  return p.endDay - p.startDay + 1;
}
