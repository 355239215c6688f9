/**
 * `client.sqlViews`: run SQL views (`/api/sqlViews/{uid}/data`), refresh materialized ones and
 * run ad-hoc SQL. One implementation for 2.41-2.43 (dhis2-core `SqlViewController` and
 * `DefaultSqlViewService` are the same there; see docs/decisions.md "SQL views"). The answer is
 * the analytics `Grid` shape (`headers`, `rows`, `title`, `width`, `height`); `gridToRecords`
 * turns it into objects.
 */

import { Grid } from "../analytics/schemas.js";
import { Dhis2ClientError } from "../errors.js";
import { Dhis2ApiError } from "../http/errors/api-error.js";
import { type CallOptions, enc, errorCodeOf, type FacadeHttp } from "../http/facade.js";
import { generateUid } from "../uid.js";

/** What a view runs with. */
export interface SqlViewRunOptions extends CallOptions {
  /** `${name}` values of a QUERY view: letters, digits, spaces, `_` and `-` only (DHIS2's rule). */
  readonly variables?: Readonly<Record<string, string | number>>;
  /** `column: value` equality filters applied around the view's result. */
  readonly criteria?: Readonly<Record<string, string | number>>;
}

/**
 * A SQL view input DHIS2 would refuse (E4305, E4306, E4308, E4309), refused before any request.
 *
 * @example
 * ```ts
 * try { await client.sqlViews.execute(uid, { variables: { level: "2; drop" } }); }
 * catch (e) { if (e instanceof SqlViewInputError) console.error(e.field, e.key, e.message); }
 * ```
 */
export class SqlViewInputError extends Dhis2ClientError {
  override readonly name = "SqlViewInputError" as const;
  constructor(
    message: string,
    readonly field: "variables" | "criteria" | "sql",
    /** The offending variable or criterion name. */
    readonly key: string,
  ) {
    super(message);
  }
}

/**
 * DHIS2 refused to run a view: `errorCode` is its code (E4307 a variable not given, E4310 a
 * protected table, E4311 an illegal keyword, E7144 a missing relation, E7145 an SQL error...),
 * `view` the view's UID, `missingVariables` the names E4307 lists. The server's answer is the
 * `cause`.
 *
 * @example
 * ```ts
 * try { await client.sqlViews.execute(uid); }
 * catch (e) { if (e instanceof SqlViewError && e.errorCode === "E4307") console.error(e.missingVariables); }
 * ```
 */
export class SqlViewError extends Dhis2ClientError {
  override readonly name = "SqlViewError" as const;
  readonly statusCode: number;
  constructor(
    message: string,
    readonly view: string,
    readonly errorCode: string | undefined,
    readonly missingVariables: readonly string[],
    options: { cause: Dhis2ApiError },
  ) {
    super(message, options);
    this.statusCode = options.cause.statusCode;
  }
}

const NAME = /^[-a-zA-Z0-9_]+$/;
const VALUE = /^[\p{L}\w\s-]*$/u;

/** `name:value` parameters, checked against `SqlView.isValidQueryParam` / `isValidQueryValue`. */
function pairs(
  field: "variables" | "criteria",
  input: Readonly<Record<string, string | number>> | undefined,
): string[] {
  return Object.entries(input ?? {}).map(([k, raw]) => {
    const v = String(raw);
    if (!NAME.test(k)) {
      throw new SqlViewInputError(
        `${field}: "${k}" is not a valid name (letters, digits, "_" and "-" only)`,
        field,
        k,
      );
    }
    if (!VALUE.test(v)) {
      throw new SqlViewInputError(
        `${field}.${k}: "${v}" is refused by DHIS2 (letters, digits, spaces, "_" and "-" only; it is put into the SQL as it is)`,
        field,
        k,
      );
    }
    return `${k}:${v}`;
  });
}

/** The list between the backticks of "...: `[a, b]`". */
function listed(message: string): string[] {
  const m = /`\[([^\]]*)\]`/.exec(message);
  return m?.[1] ? m[1].split(", ").filter(Boolean) : [];
}

function describe(view: string, err: Dhis2ApiError): SqlViewError {
  const code = errorCodeOf(err);
  const body = err.body as { devMessage?: unknown } | undefined;
  const dev = typeof body?.devMessage === "string" ? ` (${body.devMessage})` : "";
  const missing = code === "E4307" ? listed(err.serverMessage) : [];
  const hint =
    code === "E4307"
      ? `; give them as { variables: { ${missing.map((v) => `${v}: ...`).join(", ")} } } (d2w: --var name:value)`
      : code === "E7144" && /_view_/.test(dev)
        ? "; a VIEW or MATERIALIZED_VIEW must be created first: POST /api/sqlViews/{uid}/execute"
        : "";
  return new SqlViewError(`SQL view ${view}: ${err.serverMessage}${dev}${hint}`, view, code, missing, {
    cause: err,
  });
}

/**
 * SQL views: `execute` a view into a {@link Grid}, `refresh` a materialized one, `adhoc` SQL.
 *
 * @example
 * ```ts
 * const grid = await client.sqlViews.execute("qMYMT0iUGkG", { variables: { level: 2 } });
 * for (const row of gridToRecords(grid)) console.log(row.name);
 * ```
 */
export class SqlViews {
  readonly #http: FacadeHttp;

  constructor(http: FacadeHttp) {
    this.#http = http;
  }

  /** Runs a view and returns its whole grid (`paging=false`). */
  async execute(uid: string, options: SqlViewRunOptions = {}): Promise<Grid> {
    const params = {
      paging: "false",
      ...(options.variables ? { var: pairs("variables", options.variables) } : {}),
      ...(options.criteria ? { criteria: pairs("criteria", options.criteria) } : {}),
    };
    try {
      const raw = await this.#http.request<{ listGrid?: unknown }>("GET", `/api/sqlViews/${enc(uid)}/data`, {
        params,
        signal: options.signal,
      });
      const grid = Grid.safeParse(raw.listGrid);
      if (!grid.success) throw new Dhis2ClientError(`SQL view ${uid}: the answer has no listGrid`);
      return grid.data;
    } catch (err) {
      throw err instanceof Dhis2ApiError && err.statusCode === 409 ? describe(uid, err) : err;
    }
  }

  /**
   * Creates (VIEW, MATERIALIZED_VIEW) the database view of a view: `/execute`. A view must be
   * created before its data can be read.
   */
  async create(uid: string, options: CallOptions = {}): Promise<void> {
    try {
      await this.#http.request("POST", `/api/sqlViews/${enc(uid)}/execute`, { signal: options.signal });
    } catch (err) {
      throw err instanceof Dhis2ApiError && err.statusCode === 409 ? describe(uid, err) : err;
    }
  }

  /** Refreshes a MATERIALIZED_VIEW (DHIS2 creates it when it does not exist yet). */
  async refresh(uid: string, options: CallOptions = {}): Promise<void> {
    try {
      await this.#http.request("POST", `/api/sqlViews/${enc(uid)}/refresh`, { signal: options.signal });
    } catch (err) {
      throw err instanceof Dhis2ApiError && err.statusCode === 409 ? describe(uid, err) : err;
    }
  }

  /**
   * Runs SQL without keeping a view: creates a QUERY view, runs it, deletes it (also when the run
   * fails). Needs the right to create SQL views (F_SQLVIEW_PUBLIC_ADD or ALL).
   *
   * @example
   * ```ts
   * const grid = await client.sqlViews.adhoc("select uid, name from dataelement where valuetype = 'NUMBER'");
   * ```
   */
  async adhoc(sql: string, options: Omit<SqlViewRunOptions, "criteria"> = {}): Promise<Grid> {
    if (typeof sql !== "string" || sql.trim() === "") {
      throw new SqlViewInputError("adhoc: the SQL is empty", "sql", "sql");
    }
    pairs("variables", options.variables);
    const id = generateUid();
    await this.#http.request("POST", "/api/sqlViews", {
      body: {
        id,
        name: `dhis2w adhoc ${id}`,
        type: "QUERY",
        cacheStrategy: "NO_CACHE",
        sqlQuery: sql,
      },
      signal: options.signal,
    });
    try {
      return await this.execute(id, options);
    } finally {
      // Not on the caller's signal: an aborted run must still clean up.
      await this.#http.request("DELETE", `/api/sqlViews/${id}`).catch(() => {});
    }
  }
}
