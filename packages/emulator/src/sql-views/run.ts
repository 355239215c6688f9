/**
 * Runs a parsed {@link Query} over the emulator's tables (see `tables.ts`), with PostgreSQL's
 * rules where a user could tell: `NULL` comparisons are unknown, `LIKE` is case sensitive and
 * `ILIKE` is not, an unknown column is SQLSTATE 42703, an ambiguous one 42702, an unknown table
 * 42P01, and a column not in GROUP BY next to an aggregate 42803.
 */
import {
  parseSql,
  type Query,
  SqlError,
  type SqlTable,
  SqlUnsupported,
  type SqlValue,
  type Tables,
} from "./sql.js";

/** A result: column labels and rows of values. */
export interface SqlResult {
  readonly columns: string[];
  readonly rows: SqlValue[][];
}

type Row = Map<string, Record<string, SqlValue> | undefined>;
type Expr = NonNullable<Query["where"]>;

const AGGREGATES = new Set(["count", "sum", "min", "max", "avg"]);

function hasAggregate(e: Expr | undefined): boolean {
  if (!e) return false;
  switch (e.t) {
    case "fn":
      return AGGREGATES.has(e.name) || e.args.some(hasAggregate);
    case "bin":
      return hasAggregate(e.a) || hasAggregate(e.b);
    case "not":
    case "isnull":
      return hasAggregate(e.e);
    case "in":
      return hasAggregate(e.e) || e.list.some(hasAggregate);
    case "between":
      return hasAggregate(e.e) || hasAggregate(e.lo) || hasAggregate(e.hi);
    case "like":
      return hasAggregate(e.e) || hasAggregate(e.p);
    default:
      return false;
  }
}

function compare(a: SqlValue, b: SqlValue): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function likeRegex(pattern: string, ci: boolean): RegExp {
  let re = "";
  for (const ch of pattern) {
    if (ch === "%") re += "[\\s\\S]*";
    else if (ch === "_") re += "[\\s\\S]";
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, ci ? "i" : "");
}

function truthy(v: SqlValue): boolean {
  return v === true;
}

class Evaluator {
  constructor(
    readonly sources: { alias: string; table: SqlTable }[],
    readonly outputAliases: Map<string, Expr> = new Map(),
  ) {}

  column(table: string | undefined, name: string, row: Row): SqlValue {
    if (table !== undefined) {
      const src = this.sources.find((s) => s.alias === table);
      if (!src) throw new SqlError("42P01", `ERROR: missing FROM-clause entry for table "${table}"`);
      if (!src.table.columns.includes(name)) {
        throw new SqlError("42703", `ERROR: column ${table}.${name} does not exist`);
      }
      return row.get(table)?.[name] ?? null;
    }
    const owners = this.sources.filter((s) => s.table.columns.includes(name));
    if (owners.length > 1) throw new SqlError("42702", `ERROR: column reference "${name}" is ambiguous`);
    if (owners.length === 0) {
      const aliased = this.outputAliases.get(name);
      if (aliased) return this.value(aliased, row);
      throw new SqlError("42703", `ERROR: column "${name}" does not exist`);
    }
    return row.get(owners[0]!.alias)?.[name] ?? null;
  }

  value(e: Expr, row: Row, group?: Row[]): SqlValue {
    switch (e.t) {
      case "lit":
        return e.v;
      case "col":
        return this.column(e.table, e.name, row);
      case "not": {
        const v = this.value(e.e, row, group);
        return v === null ? null : !truthy(v);
      }
      case "isnull":
        return (this.value(e.e, row, group) === null) !== e.neg;
      case "in": {
        const v = this.value(e.e, row, group);
        if (v === null) return null;
        const hit = e.list.some((x) => {
          const w = this.value(x, row, group);
          return w !== null && compare(v, w) === 0;
        });
        return hit !== e.neg;
      }
      case "between": {
        const v = this.value(e.e, row, group);
        const lo = this.value(e.lo, row, group);
        const hi = this.value(e.hi, row, group);
        if (v === null || lo === null || hi === null) return null;
        return (compare(v, lo) >= 0 && compare(v, hi) <= 0) !== e.neg;
      }
      case "like": {
        const v = this.value(e.e, row, group);
        const p = this.value(e.p, row, group);
        if (v === null || p === null) return null;
        return likeRegex(String(p), e.ci).test(String(v)) !== e.neg;
      }
      case "bin":
        return this.binary(e.op, e.a, e.b, row, group);
      case "fn":
        return this.call(e, row, group);
    }
  }

  binary(op: string, ea: Expr, eb: Expr, row: Row, group?: Row[]): SqlValue {
    const a = this.value(ea, row, group);
    if (op === "and" && a === false) return false;
    if (op === "or" && a === true) return true;
    const b = this.value(eb, row, group);
    if (op === "and") return a === null || b === null ? (b === false ? false : null) : truthy(a) && truthy(b);
    if (op === "or") return a === null || b === null ? (b === true ? true : null) : truthy(a) || truthy(b);
    if (a === null || b === null) return null;
    switch (op) {
      case "=":
        return compare(a, b) === 0;
      case "<>":
        return compare(a, b) !== 0;
      case "<":
        return compare(a, b) < 0;
      case ">":
        return compare(a, b) > 0;
      case "<=":
        return compare(a, b) <= 0;
      case ">=":
        return compare(a, b) >= 0;
      case "||":
        return String(a) + String(b);
    }
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      throw new SqlError("42883", `ERROR: operator does not exist: ${typeof a} ${op} ${typeof b}`);
    }
    if (op === "+") return x + y;
    if (op === "-") return x - y;
    if (op === "*") return x * y;
    if (y === 0) throw new SqlError("22012", "ERROR: division by zero");
    return Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y;
  }

  call(e: Extract<Expr, { t: "fn" }>, row: Row, group?: Row[]): SqlValue {
    if (AGGREGATES.has(e.name)) {
      const rows = group ?? [row];
      if (e.star) return rows.length;
      const arg = e.args[0];
      if (!arg || e.args.length !== 1)
        throw new SqlError("42883", `ERROR: function ${e.name} needs one argument`);
      const values = rows.map((r) => this.value(arg, r)).filter((v) => v !== null);
      if (e.name === "count") return values.length;
      if (values.length === 0) return null;
      if (e.name === "min") return values.reduce((m, v) => (compare(v, m) < 0 ? v : m));
      if (e.name === "max") return values.reduce((m, v) => (compare(v, m) > 0 ? v : m));
      const nums = values.map(Number);
      if (nums.some(Number.isNaN))
        throw new SqlError("42883", `ERROR: function ${e.name}(text) does not exist`);
      const sum = nums.reduce((s, v) => s + v, 0);
      return e.name === "sum" ? sum : sum / nums.length;
    }
    const args = e.args.map((a) => this.value(a, row, group));
    const first = args[0] ?? null;
    switch (e.name) {
      case "coalesce":
        return args.find((v) => v !== null) ?? null;
      case "lower":
        return first === null ? null : String(first).toLowerCase();
      case "upper":
        return first === null ? null : String(first).toUpperCase();
      case "trim":
        return first === null ? null : String(first).trim();
      default:
        return first === null ? null : String(first).length;
    }
  }
}

function label(e: Expr): string {
  if (e.t === "col") return e.name;
  if (e.t === "fn") return e.name;
  return "?column?";
}

function joinRows(q: Query, ev: Evaluator): Row[] {
  let rows: Row[] = [];
  const first = ev.sources[0]!;
  for (const r of first.table.rows()) rows.push(new Map([[first.alias, r]]));
  q.from.slice(1).forEach((src, i) => {
    const right = ev.sources[i + 1]!;
    const all = [...right.table.rows()];
    const next: Row[] = [];
    for (const left of rows) {
      let matched = false;
      for (const r of all) {
        const row: Row = new Map(left);
        row.set(right.alias, r);
        if (truthy(ev.value(src.join!.on, row))) {
          next.push(row);
          matched = true;
        }
      }
      if (!matched && src.join!.left) {
        const row: Row = new Map(left);
        row.set(right.alias, undefined);
        next.push(row);
      }
    }
    rows = next;
  });
  return rows;
}

/**
 * Runs one SELECT over `tables`.
 *
 * @example
 * runSql("select uid, name from dataelement where valuetype = 'NUMBER'", tablesOf(state));
 */
export function runSql(sql: string, tables: Tables): SqlResult {
  const q = parseSql(sql);
  const sources = q.from.map((s) => {
    const table = tables(s.table);
    if (!table) throw new SqlError("42P01", `ERROR: relation "${s.table}" does not exist`);
    return { alias: s.alias, table };
  });
  const aliases = new Map<string, Expr>();
  for (const it of q.items) if (it.alias && it.expr) aliases.set(it.alias, it.expr);
  const ev = new Evaluator(sources, aliases);
  const whereEv = new Evaluator(sources);
  let rows = joinRows(q, ev);
  if (q.where) {
    if (hasAggregate(q.where))
      throw new SqlError("42803", "ERROR: aggregate functions are not allowed in WHERE");
    rows = rows.filter((r) => truthy(whereEv.value(q.where!, r)));
  }

  // The output columns: `*` expands to every column of every source.
  const cols: { label: string; expr: Expr }[] = [];
  for (const it of q.items) {
    if (it.star !== undefined) {
      for (const s of sources) {
        if (it.star !== true && s.alias !== it.star) continue;
        for (const c of s.table.columns) cols.push({ label: c, expr: { t: "col", table: s.alias, name: c } });
      }
      if (it.star !== true && !sources.some((s) => s.alias === it.star)) {
        throw new SqlError("42P01", `ERROR: missing FROM-clause entry for table "${it.star}"`);
      }
    } else cols.push({ label: it.alias ?? label(it.expr!), expr: it.expr! });
  }

  const grouped = q.groupBy.length > 0 || cols.some((c) => hasAggregate(c.expr));
  let out: { values: SqlValue[]; row: Row; group?: Row[] }[];
  if (grouped) {
    const groups = new Map<string, Row[]>();
    for (const r of rows) {
      const key = JSON.stringify(q.groupBy.map((g) => ev.value(g, r)));
      const list = groups.get(key);
      if (list) list.push(r);
      else groups.set(key, [r]);
    }
    if (groups.size === 0 && q.groupBy.length === 0) groups.set("[]", []);
    const sameCol = (a: Expr, b: Expr) =>
      a.t === "col" && b.t === "col" && a.name === b.name && (!a.table || !b.table || a.table === b.table);
    for (const c of cols) {
      if (hasAggregate(c.expr) || c.expr.t === "lit") continue;
      const key = JSON.stringify(c.expr);
      if (!q.groupBy.some((g) => JSON.stringify(g) === key || sameCol(g, c.expr))) {
        throw new SqlError(
          "42803",
          `ERROR: column "${c.label}" must appear in the GROUP BY clause or be used in an aggregate function`,
        );
      }
    }
    out = [...groups.values()].map((g) => {
      const row = g[0] ?? new Map();
      return { values: cols.map((c) => ev.value(c.expr, row, g)), row, group: g };
    });
  } else {
    out = rows.map((row) => ({ values: cols.map((c) => ev.value(c.expr, row)), row }));
  }
  if (q.distinct) {
    const seen = new Set<string>();
    out = out.filter((o) => {
      const k = JSON.stringify(o.values);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  if (q.orderBy.length > 0) {
    const keyed = out.map((o) => ({
      o,
      keys: q.orderBy.map(({ e }) => {
        // ORDER BY 2 is the second output column; an output alias names its column.
        if (e.t === "lit" && typeof e.v === "number") {
          const i = e.v - 1;
          if (i < 0 || i >= cols.length)
            throw new SqlError("42P10", `ERROR: ORDER BY position ${e.v} is not in select list`);
          return o.values[i] ?? null;
        }
        if (e.t === "col" && !e.table) {
          const i = cols.findIndex((c) => c.label === e.name);
          if (i >= 0) return o.values[i] ?? null;
        }
        return ev.value(e, o.row, o.group);
      }),
    }));
    keyed.sort((x, y) => {
      for (let i = 0; i < q.orderBy.length; i++) {
        const a = x.keys[i] ?? null;
        const b = y.keys[i] ?? null;
        const desc = q.orderBy[i]!.desc;
        // PostgreSQL puts NULLs last ascending, first descending.
        if (a === null || b === null) {
          if (a === b) continue;
          return (a === null ? 1 : -1) * (desc ? -1 : 1);
        }
        const c = compare(a, b);
        if (c !== 0) return desc ? -c : c;
      }
      return 0;
    });
    out = keyed.map((k) => k.o);
  }
  const start = q.offset ?? 0;
  const end = q.limit === undefined ? undefined : start + q.limit;
  return { columns: cols.map((c) => c.label), rows: out.slice(start, end).map((o) => o.values) };
}

export { SqlError, SqlUnsupported };
