/**
 * Periods for analytics: fixed ISO periods (parsed with `@dhis2w/client`'s period module),
 * relative periods resolved against the emulator's clock, period display names, and the
 * "does stored period P roll up into requested period R" test.
 *
 * Relative periods after the DHIS2 Web API docs ("Analytics" -> "Relative periods"): a relative
 * period is anchored on the current date, and "LAST_*" excludes the current period (LAST_12_MONTHS
 * in March 2025 = 202403..202502). Names as DHIS2 renders them ("Last 12 months", "January 2024",
 * "January - March 2024"), seen in live 2.42 answers.
 */
import { type Period, tryParsePeriod } from "@dhis2w/client";

const DAY_MS = 86_400_000;
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** A period with its inclusive day range (days since the epoch). */
export interface DayPeriod extends Period {
  startDay: number;
  endDay: number;
}

const toDay = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const cache = new Map<string, DayPeriod | null>();

/** Parses a fixed period with its day range (cached: analytics asks for the same few ids often). */
export function dayPeriod(id: string): DayPeriod | undefined {
  let hit = cache.get(id);
  if (hit === undefined) {
    const p = tryParsePeriod(id);
    hit = p ? { ...p, startDay: toDay(p.startDate), endDay: toDay(p.endDate) } : null;
    if (cache.size < 50_000) cache.set(id, hit);
  }
  return hit ?? undefined;
}

/**
 * True when a value stored for `stored` rolls up into `requested`: it starts inside it and is not
 * longer (a week that straddles two months counts in the month it starts in, like DHIS2's period
 * structure table; a yearly value does not split into months).
 */
export function rollsInto(stored: DayPeriod, requested: DayPeriod): boolean {
  return (
    stored.startDay >= requested.startDay &&
    stored.startDay <= requested.endDay &&
    stored.endDay - stored.startDay <= requested.endDay - requested.startDay
  );
}

const pad = (n: number) => String(n).padStart(2, "0");
const month = (y: number, m: number): string => {
  const d = new Date(Date.UTC(y, m, 1));
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}`;
};
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Relative period -> fixed period ids, for the clock's current date (UTC). */
export function resolveRelativePeriod(id: string, nowMs: number): string[] | undefined {
  const now = new Date(nowMs);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const q = Math.floor(m / 3);
  const lastMonths = (n: number) => range(n).map((i) => month(y, m - n + i));
  const quarter = (k: number) => {
    const yy = y + Math.floor(k / 4);
    return `${yy}Q${(((k % 4) + 4) % 4) + 1}`;
  };
  const half = Math.floor(m / 6);
  const sixMonth = (k: number) => `${y + Math.floor(k / 2)}S${(((k % 2) + 2) % 2) + 1}`;
  switch (id) {
    case "TODAY":
      return [`${y}${pad(m + 1)}${pad(now.getUTCDate())}`];
    case "THIS_MONTH":
      return [month(y, m)];
    case "LAST_MONTH":
      return [month(y, m - 1)];
    case "LAST_3_MONTHS":
      return lastMonths(3);
    case "LAST_6_MONTHS":
      return lastMonths(6);
    case "LAST_12_MONTHS":
      return lastMonths(12);
    case "MONTHS_THIS_YEAR":
      return range(12).map((i) => month(y, i));
    case "MONTHS_LAST_YEAR":
      return range(12).map((i) => month(y - 1, i));
    case "THIS_QUARTER":
      return [quarter(q)];
    case "LAST_QUARTER":
      return [quarter(q - 1)];
    case "LAST_4_QUARTERS":
      return range(4).map((i) => quarter(q - 4 + i));
    case "QUARTERS_THIS_YEAR":
      return range(4).map((i) => `${y}Q${i + 1}`);
    case "QUARTERS_LAST_YEAR":
      return range(4).map((i) => `${y - 1}Q${i + 1}`);
    case "THIS_SIX_MONTH":
      return [sixMonth(half)];
    case "LAST_SIX_MONTH":
      return [sixMonth(half - 1)];
    case "LAST_2_SIXMONTHS":
      return [sixMonth(half - 2), sixMonth(half - 1)];
    case "THIS_YEAR":
      return [String(y)];
    case "LAST_YEAR":
      return [String(y - 1)];
    case "LAST_5_YEARS":
      return range(5).map((i) => String(y - 5 + i));
    case "LAST_10_YEARS":
      return range(10).map((i) => String(y - 10 + i));
    default:
      return undefined;
  }
}

/** "LAST_12_MONTHS" -> "Last 12 months". */
export function relativePeriodName(id: string): string {
  const words = id.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const monthName = (iso: string) => MONTHS[Number(iso.slice(5, 7)) - 1] ?? "";
const year = (iso: string) => iso.slice(0, 4);

/** The display name DHIS2 gives a fixed period. */
export function periodName(p: Period): string {
  const { startDate: s, endDate: e } = p;
  switch (p.periodType) {
    case "Daily":
      return s;
    case "Monthly":
      return `${monthName(s)} ${year(s)}`;
    case "Yearly":
      return year(s);
    case "BiMonthly":
    case "Quarterly":
    case "SixMonthly":
    case "SixMonthlyApril":
    case "SixMonthlyNov":
      return year(s) === year(e)
        ? `${monthName(s)} - ${monthName(e)} ${year(e)}`
        : `${monthName(s)} ${year(s)} - ${monthName(e)} ${year(e)}`;
    case "FinancialApril":
    case "FinancialJuly":
    case "FinancialSep":
    case "FinancialOct":
    case "FinancialNov":
      return `${monthName(s)} ${year(s)} - ${monthName(e)} ${year(e)}`;
    default: {
      const week = /W(\d+)$/.exec(p.id)?.[1];
      return week ? `Week ${week} ${s} - ${e}` : `${s} - ${e}`;
    }
  }
}
