/**
 * A small SQL engine for SQL views: enough of PostgreSQL's SELECT to run the views a DHIS2
 * instance keeps over `dataelement`, `organisationunit`, `datavalue` and friends.
 *
 * Supported: `SELECT [DISTINCT] <items> FROM t [alias] [[INNER|LEFT] JOIN t2 [alias] ON <expr>]...
 * [WHERE <expr>] [GROUP BY <exprs>] [ORDER BY <expr> [ASC|DESC], ...] [LIMIT n] [OFFSET n]`, an
 * optional trailing `;`. Expressions: column references (`col`, `t.col`), literals (`'text'`,
 * numbers, `true`/`false`/`null`), `= <> != < > <= >=`, `[NOT] LIKE/ILIKE`, `IS [NOT] NULL`,
 * `[NOT] IN (...)`, `[NOT] BETWEEN`, `AND/OR/NOT`, `||`, `+ - * /`, `lower() upper() length()
 * coalesce() trim()`, and the aggregates `count(*) count() sum() min() max() avg()`. Anything else
 * throws {@link SqlUnsupported}; a missing table or column throws {@link SqlError} with
 * PostgreSQL's SQLSTATE and message.
 */

/** PostgreSQL would refuse the query: `sqlState` and `message` as it reports them. */
export class SqlError extends Error {
  override readonly name = "SqlError" as const;
  constructor(
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
  }
}

/** Valid SQL the emulator cannot run (outside its subset). */
export class SqlUnsupported extends Error {
  override readonly name = "SqlUnsupported" as const;
}

export type SqlValue = string | number | boolean | null;
/** A table: its column names (in order) and its rows. */
export interface SqlTable {
  readonly columns: readonly string[];
  readonly rows: () => Iterable<Record<string, SqlValue>>;
}
export type Tables = (name: string) => SqlTable | undefined;

type Tok = { k: "id" | "num" | "str" | "op" | "kw"; v: string; quoted?: boolean };

const KEYWORDS = new Set(
  (
    "select distinct from where and or not as join inner left outer on group by order asc desc " +
    "limit offset is null like ilike in between true false union having with case"
  ).split(" "),
);

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= sql.length) throw new SqlError("42601", "ERROR: unterminated quoted string");
        if (sql[i] === "'" && sql[i + 1] === "'") {
          s += "'";
          i += 2;
        } else if (sql[i] === "'") {
          i++;
          break;
        } else s += sql[i++];
      }
      out.push({ k: "str", v: s });
    } else if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      if (end < 0) throw new SqlError("42601", "ERROR: unterminated quoted identifier");
      out.push({ k: "id", v: sql.slice(i + 1, end), quoted: true });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(sql.slice(i))!;
      out.push({ k: "num", v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      const low = m[0].toLowerCase();
      out.push(KEYWORDS.has(low) ? { k: "kw", v: low } : { k: "id", v: low });
      i += m[0].length;
    } else {
      const two = sql.slice(i, i + 2);
      if (["<>", "!=", "<=", ">=", "||", "::"].includes(two)) {
        out.push({ k: "op", v: two });
        i += 2;
      } else if ("=<>(),.*;+-/".includes(c)) {
        out.push({ k: "op", v: c });
        i++;
      } else throw new SqlError("42601", `ERROR: syntax error at or near "${c}"`);
    }
  }
  return out;
}

type Expr =
  | { t: "lit"; v: SqlValue }
  | { t: "col"; table?: string; name: string }
  | { t: "bin"; op: string; a: Expr; b: Expr }
  | { t: "not"; e: Expr }
  | { t: "isnull"; e: Expr; neg: boolean }
  | { t: "in"; e: Expr; list: Expr[]; neg: boolean }
  | { t: "between"; e: Expr; lo: Expr; hi: Expr; neg: boolean }
  | { t: "like"; e: Expr; p: Expr; ci: boolean; neg: boolean }
  | { t: "fn"; name: string; args: Expr[]; star?: boolean };

interface Item {
  expr?: Expr;
  /** `*` or `t.*`. */
  star?: string | true;
  alias?: string;
}
interface Source {
  table: string;
  alias: string;
  join?: { left: boolean; on: Expr };
}
export interface Query {
  distinct: boolean;
  items: Item[];
  from: Source[];
  where?: Expr;
  groupBy: Expr[];
  orderBy: { e: Expr; desc: boolean }[];
  limit?: number;
  offset?: number;
}

const AGGREGATES = new Set(["count", "sum", "min", "max", "avg"]);
const FUNCTIONS = new Set(["lower", "upper", "length", "coalesce", "trim", ...AGGREGATES]);

class Parser {
  #i = 0;
  constructor(readonly toks: Tok[]) {}
  peek(o = 0): Tok | undefined {
    return this.toks[this.#i + o];
  }
  is(k: Tok["k"], v?: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && t.k === k && (v === undefined || t.v === v);
  }
  take(k: Tok["k"], v?: string): Tok | undefined {
    if (!this.is(k, v)) return undefined;
    return this.toks[this.#i++];
  }
  need(k: Tok["k"], v?: string): Tok {
    const t = this.take(k, v);
    if (!t) {
      const at = this.peek();
      throw new SqlError("42601", `ERROR: syntax error at ${at ? `or near "${at.v}"` : "end of input"}`);
    }
    return t;
  }
  get done(): boolean {
    return this.#i >= this.toks.length;
  }

  query(): Query {
    if (this.is("kw", "with")) throw new SqlUnsupported("WITH (common table expressions)");
    this.need("kw", "select");
    const distinct = !!this.take("kw", "distinct");
    const items: Item[] = [];
    do items.push(this.item());
    while (this.take("op", ","));
    this.need("kw", "from");
    if (this.is("op", "(")) throw new SqlUnsupported("a subquery in FROM");
    const from: Source[] = [this.source()];
    for (;;) {
      if (this.is("op", ",")) throw new SqlUnsupported("FROM with a comma list (use JOIN ... ON)");
      let left = false;
      if (this.take("kw", "left")) {
        left = true;
        this.take("kw", "outer");
      } else this.take("kw", "inner");
      if (!this.take("kw", "join")) break;
      const src = this.source();
      this.need("kw", "on");
      from.push({ ...src, join: { left, on: this.expr() } });
    }
    const q: Query = { distinct, items, from, groupBy: [], orderBy: [] };
    if (this.take("kw", "where")) q.where = this.expr();
    if (this.take("kw", "group")) {
      this.need("kw", "by");
      do q.groupBy.push(this.expr());
      while (this.take("op", ","));
    }
    if (this.is("kw", "having")) throw new SqlUnsupported("HAVING");
    if (this.take("kw", "order")) {
      this.need("kw", "by");
      do {
        const e = this.expr();
        const desc = !!this.take("kw", "desc");
        if (!desc) this.take("kw", "asc");
        q.orderBy.push({ e, desc });
      } while (this.take("op", ","));
    }
    for (;;) {
      if (this.take("kw", "limit")) q.limit = Number(this.need("num").v);
      else if (this.take("kw", "offset")) q.offset = Number(this.need("num").v);
      else break;
    }
    this.take("op", ";");
    if (!this.done) {
      const t = this.peek()!;
      if (t.k === "kw" && ["union", "having", "case"].includes(t.v))
        throw new SqlUnsupported(t.v.toUpperCase());
      throw new SqlError("42601", `ERROR: syntax error at or near "${t.v}"`);
    }
    return q;
  }

  source(): Source {
    const table = this.need("id").v;
    this.take("kw", "as");
    const alias = this.is("id") ? this.need("id").v : table;
    return { table, alias };
  }

  item(): Item {
    if (this.take("op", "*")) return { star: true };
    if (this.is("id") && this.is("op", ".", 1) && this.is("op", "*", 2)) {
      const t = this.need("id").v;
      this.need("op", ".");
      this.need("op", "*");
      return { star: t };
    }
    const expr = this.expr();
    if (this.take("kw", "as")) return { expr, alias: this.need("id").v };
    if (this.is("id")) return { expr, alias: this.need("id").v };
    return { expr };
  }

  expr(): Expr {
    let a = this.and();
    while (this.take("kw", "or")) a = { t: "bin", op: "or", a, b: this.and() };
    return a;
  }
  and(): Expr {
    let a = this.not();
    while (this.take("kw", "and")) a = { t: "bin", op: "and", a, b: this.not() };
    return a;
  }
  not(): Expr {
    if (this.take("kw", "not")) return { t: "not", e: this.not() };
    return this.cmp();
  }
  cmp(): Expr {
    const e = this.add();
    const op = this.peek();
    if (op?.k === "op" && ["=", "<>", "!=", "<", ">", "<=", ">="].includes(op.v)) {
      this.take("op");
      return { t: "bin", op: op.v === "!=" ? "<>" : op.v, a: e, b: this.add() };
    }
    if (this.take("kw", "is")) {
      const neg = !!this.take("kw", "not");
      this.need("kw", "null");
      return { t: "isnull", e, neg };
    }
    const neg = !!this.take("kw", "not");
    if (this.is("kw", "like") || this.is("kw", "ilike")) {
      const ci = this.need("kw").v === "ilike";
      return { t: "like", e, p: this.add(), ci, neg };
    }
    if (this.take("kw", "in")) {
      this.need("op", "(");
      if (this.is("kw", "select")) throw new SqlUnsupported("a subquery in IN (...)");
      const list: Expr[] = [];
      do list.push(this.add());
      while (this.take("op", ","));
      this.need("op", ")");
      return { t: "in", e, list, neg };
    }
    if (this.take("kw", "between")) {
      const lo = this.add();
      this.need("kw", "and");
      return { t: "between", e, lo, hi: this.add(), neg };
    }
    if (neg) throw new SqlError("42601", 'ERROR: syntax error at or near "not"');
    return e;
  }
  add(): Expr {
    let a = this.mul();
    for (;;) {
      const op = this.peek();
      if (op?.k !== "op" || !["+", "-", "||"].includes(op.v)) return a;
      this.take("op");
      a = { t: "bin", op: op.v, a, b: this.mul() };
    }
  }
  mul(): Expr {
    let a = this.primary();
    for (;;) {
      const op = this.peek();
      if (op?.k !== "op" || !["*", "/"].includes(op.v)) return a;
      this.take("op");
      a = { t: "bin", op: op.v, a, b: this.primary() };
    }
  }
  primary(): Expr {
    const e = this.atom();
    if (this.is("op", "::")) throw new SqlUnsupported("casts (::type)");
    return e;
  }
  atom(): Expr {
    const t = this.peek();
    if (!t) throw new SqlError("42601", "ERROR: syntax error at end of input");
    if (this.take("op", "(")) {
      if (this.is("kw", "select")) throw new SqlUnsupported("a subquery");
      const e = this.expr();
      this.need("op", ")");
      return e;
    }
    if (this.take("op", "-")) {
      const n = this.need("num");
      return { t: "lit", v: -Number(n.v) };
    }
    if (this.take("num")) return { t: "lit", v: Number(t.v) };
    if (this.take("str")) return { t: "lit", v: t.v };
    if (this.take("kw", "null")) return { t: "lit", v: null };
    if (this.take("kw", "true")) return { t: "lit", v: true };
    if (this.take("kw", "false")) return { t: "lit", v: false };
    if (t.k === "kw") {
      if (t.v === "case") throw new SqlUnsupported("CASE");
      throw new SqlError("42601", `ERROR: syntax error at or near "${t.v}"`);
    }
    const name = this.need("id").v;
    if (this.take("op", "(")) {
      if (!FUNCTIONS.has(name)) throw new SqlUnsupported(`the function ${name}()`);
      if (this.take("op", "*")) {
        this.need("op", ")");
        if (name !== "count") throw new SqlError("42601", `ERROR: syntax error at or near "*"`);
        return { t: "fn", name, args: [], star: true };
      }
      if (this.take("kw", "distinct")) throw new SqlUnsupported(`${name}(DISTINCT ...)`);
      const args: Expr[] = [];
      if (!this.is("op", ")")) {
        do args.push(this.expr());
        while (this.take("op", ","));
      }
      this.need("op", ")");
      return { t: "fn", name, args };
    }
    if (this.take("op", ".")) return { t: "col", table: name, name: this.need("id").v };
    return { t: "col", name };
  }
}

/** Parses one SELECT statement. */
export function parseSql(sql: string): Query {
  return new Parser(tokenize(sql)).query();
}
