/**
 * Spring's six-field cron expressions (`second minute hour day-of-month month day-of-week`, as
 * DHIS2's `CronTrigger` reads them): validation and the next fire time in UTC (the emulator's
 * server time zone). Supported: `*`, `?`, numbers, `a-b`, `*\/n`, `a-b/n`, lists, month and day
 * names. `L`, `W` and `#` are accepted as valid (Spring takes them) but have no computed fire time.
 */

const FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  {
    min: 1,
    max: 12,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  },
  { min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
] as const;

const MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 0 1 1 *",
  "@annually": "0 0 0 1 1 *",
  "@monthly": "0 0 0 1 * *",
  "@weekly": "0 0 0 * * 0",
  "@daily": "0 0 0 * * *",
  "@midnight": "0 0 0 * * *",
  "@hourly": "0 0 * * * *",
};

type Parsed = (Set<number> | null)[] | "special";

function parseField(text: string, i: number): Set<number> | null | undefined {
  const spec = FIELDS[i]!;
  if (text === "*" || text === "?") return null;
  const out = new Set<number>();
  const value = (v: string): number | undefined => {
    const names = "names" in spec ? (spec.names as readonly string[]) : undefined;
    const named = names?.indexOf(v.toUpperCase());
    if (named !== undefined && named >= 0) return named + (i === 4 ? 1 : 0);
    return /^\d+$/.test(v) ? Number(v) : undefined;
  };
  for (const part of text.split(",")) {
    const m = /^(\*|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const from = m[1] === "*" ? spec.min : value(m[1]!);
    const to = m[2] !== undefined ? value(m[2]) : m[3] !== undefined || m[1] === "*" ? spec.max : from;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (from === undefined || to === undefined || step < 1 || from < spec.min || to > spec.max || from > to) {
      return undefined;
    }
    for (let v = from; v <= to; v += step) out.add(i === 5 && v === 7 ? 0 : v);
  }
  return out;
}

function parse(expression: string): Parsed | undefined {
  const fields = (MACROS[expression.trim()] ?? expression).trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  if (fields.some((f) => /[LW#]/.test(f) && !/^[A-Za-z]{3}/.test(f))) {
    return fields.every((f) => /^[\w*?,/#-]+$/.test(f)) ? "special" : undefined;
  }
  const parsed = fields.map(parseField);
  return parsed.some((p) => p === undefined) ? undefined : (parsed as (Set<number> | null)[]);
}

/** Spring's `CronExpression.isValidExpression`, for the subset above. */
export function isValidCron(expression: string): boolean {
  return parse(expression) !== undefined;
}

/** The first fire time strictly after `afterMs` (UTC), or undefined (none within ~4 years, or `L`/`W`/`#`). */
export function nextCronTime(expression: string, afterMs: number): number | undefined {
  const p = parse(expression);
  if (!p || p === "special") return undefined;
  const [sec, min, hour, dom, mon, dow] = p;
  const ok = (set: Set<number> | null | undefined, v: number) => !set || set.has(v);
  let t = Math.floor(afterMs / 1000) * 1000 + 1000;
  const limit = afterMs + 4 * 366 * 86_400_000;
  while (t <= limit) {
    const d = new Date(t);
    if (!ok(mon, d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    // Spring: both day fields restricted -> either matches; else the restricted one.
    const domOk = ok(dom, d.getUTCDate());
    const dowOk = ok(dow, d.getUTCDay());
    const dayOk = dom && dow ? domOk || dowOk : domOk && dowOk;
    if (!dayOk) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!ok(hour, d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!ok(min, d.getUTCMinutes())) {
      t = Date.UTC(
        d.getUTCFullYear(),
        d.getUTCMonth(),
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes() + 1,
      );
      continue;
    }
    if (!ok(sec, d.getUTCSeconds())) {
      t += 1000;
      continue;
    }
    return t;
  }
  return undefined;
}
