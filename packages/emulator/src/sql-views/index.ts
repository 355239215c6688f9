/**
 * `/api/sqlViews/{uid}/data`, `/execute` and `/refresh` as dhis2-core `SqlViewController` and
 * `DefaultSqlViewService` answer them on 2.41-2.43 (the CRUD of `/api/sqlViews` itself is the
 * metadata module's; DHIS2 validates nothing of the SQL on create):
 *
 * | request | answer |
 * |---|---|
 * | `GET /{uid}/data` | `{ pager?, listGrid }` (`GridResponse`): paged 50 a page unless `paging=false` / `skipPaging=true`; `var=name:value` (QUERY only: `${name}`), `criteria=column:value` (`WHERE "column" = value` around the view) |
 * | `GET /{uid}/data.csv` | the grid as CSV |
 * | `POST /{uid}/execute` | VIEW / MATERIALIZED_VIEW: (re)creates the database view, 201 "SQL view created" with `Location`; QUERY: 409 "SQL view is a query, no view to create" |
 * | `POST /{uid}/refresh` | MATERIALIZED_VIEW: 200 "Materialized view refreshed" (creates it first when missing); others: 409 "View could not be refreshed" |
 *
 * A failed `validateSqlView` is 409 with its E43xx code (`validate.ts`). The SQL runs on the
 * emulator's engine (`sql.ts`, `run.ts`); PostgreSQL's grammar errors are answered the way
 * `CrudControllerAdvice.badSqlGrammarException` does: 409, E7144 for a missing relation (a VIEW
 * never executed reads `"_view_<name>"`, which does not exist yet), E7145 otherwise, the SQLSTATE
 * in the message and the database's text in `devMessage`. SQL outside the engine's subset is a
 * 409 (E7145) whose message says what the emulator cannot run.
 */
import type { EmulatorApp, EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import type { MetadataObject } from "../metadata-store.js";
import { seedToolkitDemo, type ToolkitDemoIds } from "../seed/toolkit-demo.js";
import { HttpError } from "../web-message.js";
import { runSql, SqlError, type SqlResult, SqlUnsupported } from "./run.js";
import type { SqlValue } from "./sql.js";
import { tablesOf } from "./tables.js";
import { pairsOf, substituteVariables, validateSqlView } from "./validate.js";

/** What `/execute` and `/refresh` created: views (live) and materialized views (a snapshot). */
export interface SqlViewState {
  readonly views: Map<string, { sql: string; snapshot?: SqlResult }>;
}

declare module "../app.js" {
  interface EmulatorExtensions {
    sqlViews?: SqlViewState;
    /** Ids of the demo seed's SQL views and FILE_RESOURCE attribute (demo seed only). */
    toolkitDemo?: ToolkitDemoIds;
  }
}

const E7144 = "Query failed because a referenced table does not exist. Please ensure analytics job was run";
const E7145 = "Query failed because of a syntax error";

/** `SqlView.getViewName()`: `_view` + the name's words, `_`-joined, lower case. */
export function viewNameOf(name: string): string {
  const words = name.trim().replace(/_/g, "").split(/\W/);
  return `_view${words.map((w) => (w ? `_${w}` : "")).join("")}`.toLowerCase();
}

function stateOf(app: EmulatorApp): SqlViewState {
  app.extensions.sqlViews ??= { views: new Map() };
  return app.extensions.sqlViews;
}

function existing(ctx: Ctx): MetadataObject {
  const view = ctx.state.metadata.get("sqlViews", ctx.params.uid!);
  if (!view)
    throw new HttpError(404, `SqlView with id ${ctx.params.uid} could not be found.`, { errorCode: "E1005" });
  return view;
}

/** Runs SQL on the engine, answering failures as DHIS2 answers a `BadSqlGrammarException`. */
function run(ctx: Ctx, sql: string): SqlResult {
  try {
    return runSql(sql, tablesOf(ctx.app));
  } catch (e) {
    if (e instanceof SqlError) {
      const message = e.sqlState === "42P01" ? E7144 : E7145;
      throw new HttpError(409, `${message} (SqlState: ${e.sqlState})`, {
        errorCode: e.sqlState === "42P01" ? "E7144" : "E7145",
        devMessage: e.message,
      });
    }
    if (e instanceof SqlUnsupported) {
      const text =
        `The emulator cannot run this SQL: ${e.message} is outside its subset ` +
        "(SELECT [DISTINCT] ... FROM ... [JOIN ... ON ...] [WHERE] [GROUP BY] [ORDER BY] [LIMIT/OFFSET] over " +
        "dataelement, organisationunit, datavalue, period, periodtype, categoryoptioncombo, dataset)";
      throw new HttpError(409, text, { errorCode: "E7145", devMessage: text });
    }
    throw e;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `WHERE "col" = ?` for each criterion, over the view's result. */
function applyCriteria(result: SqlResult, criteria: Record<string, string>): SqlResult {
  const entries = Object.entries(criteria);
  if (entries.length === 0) return result;
  const index = entries.map(([col, value]) => {
    const i = result.columns.indexOf(col);
    if (i < 0) {
      throw new HttpError(409, `${E7145} (SqlState: 42703)`, {
        errorCode: "E7145",
        devMessage: `ERROR: column ${quoteIdent(col)} does not exist`,
      });
    }
    return [i, value] as const;
  });
  const text = (v: SqlValue) => (v === null ? null : String(v));
  return {
    columns: result.columns,
    rows: result.rows.filter((r) => index.every(([i, value]) => text(r[i] ?? null) === value)),
  };
}

/** The grid of a view, as `getGridData` builds it. */
function gridOf(ctx: Ctx, view: MetadataObject): SqlResult {
  const criteria = pairsOf(ctx.query.getAll("criteria").flatMap((c) => c.split(",")));
  const variables = pairsOf(ctx.query.getAll("var").flatMap((c) => c.split(",")));
  const problem = validateSqlView(view, criteria, variables);
  if (problem) throw new HttpError(409, problem.message, { errorCode: problem.errorCode });
  const type = view.type ?? "VIEW";
  if (type === "QUERY") {
    const user = ctx.user;
    const ids = [...ctx.state.users.all()].map((u) => u.id);
    const sql = substituteVariables(
      String(view.sqlQuery),
      variables,
      user && {
        id: ids.indexOf(user.id) + 1,
        username: user.username,
      },
    );
    return applyCriteria(run(ctx, sql.replace(/;\s*$/, "")), criteria);
  }
  const made = stateOf(ctx.app).views.get(view.id);
  if (!made) {
    throw new HttpError(409, `${E7144} (SqlState: 42P01)`, {
      errorCode: "E7144",
      devMessage: `ERROR: relation ${quoteIdent(viewNameOf(String(view.name)))} does not exist`,
    });
  }
  return applyCriteria(made.snapshot ?? run(ctx, made.sql), criteria);
}

/** `ListGrid` as Jackson writes it (null members left out; every header typed as a String). */
function listGrid(view: MetadataObject, result: SqlResult) {
  const width = result.columns.length;
  return {
    title: view.name,
    ...(typeof view.description === "string" ? { subtitle: view.description } : {}),
    headers: result.columns.map((name) => ({
      name,
      column: name,
      type: "java.lang.String",
      hidden: false,
      meta: false,
    })),
    height: result.rows.length,
    width,
    headerWidth: width,
    metaData: {},
    rowContext: {},
    rows: result.rows,
  };
}

function csvOf(result: SqlResult): string {
  const cell = (v: SqlValue) => {
    const s = v === null ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [result.columns, ...result.rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}

/** The SQL view module (listed in `src/modules.ts`). */
export const sqlViewsModule: EmulatorModule = {
  name: "sql-views",
  install(app) {
    // `SqlView`'s constructor defaults: a view posted without them is valid in DHIS2.
    app.extensions.objectHooks ??= [];
    app.extensions.objectHooks.push({
      plural: "sqlViews",
      defaults: { type: "VIEW", cacheStrategy: "RESPECT_SYSTEM_SETTING" },
    });
    if (app.seedName === "demo") app.extensions.toolkitDemo = seedToolkitDemo(app.state);
    app.get("/api/sqlViews/:uid/data", (ctx) => {
      const view = existing(ctx);
      const result = gridOf(ctx, view);
      if (ctx.ext === "csv") return ctx.text(200, csvOf(result), "application/csv;charset=UTF-8");
      const q = ctx.query;
      const skip = q.get("skipPaging") === "true" || q.get("paging") === "false";
      if (skip) return ctx.json(200, { listGrid: listGrid(view, result) });
      const page = Math.max(1, Number(q.get("page") ?? 1) || 1);
      const pageSize = Math.max(1, Number(q.get("pageSize") ?? 50) || 50);
      const total = result.rows.length;
      const rows = result.rows.slice((page - 1) * pageSize, Math.min(page * pageSize, total));
      ctx.json(200, {
        pager: { page, total, pageSize, pageCount: Math.ceil(total / pageSize) },
        listGrid: listGrid(view, { columns: result.columns, rows }),
      });
    });

    app.post("/api/sqlViews/:uid/execute", (ctx) => {
      const view = existing(ctx);
      if (view.type === "QUERY") throw new HttpError(409, "SQL view is a query, no view to create");
      const problem = validateSqlView(view, undefined, undefined);
      if (problem) throw new HttpError(409, problem.message, { errorCode: problem.errorCode });
      const sql = String(view.sqlQuery).replace(/;\s*$/, "");
      // CREATE VIEW checks the query at once; a materialized view also runs it.
      const result = run(ctx, sql);
      stateOf(ctx.app).views.set(view.id, {
        sql,
        ...(view.type === "MATERIALIZED_VIEW" ? { snapshot: result } : {}),
      });
      ctx.webMessage(201, "SQL view created", undefined, {
        Location: `${ctx.origin}/api/sqlViews/${view.id}`,
      });
    });

    app.post("/api/sqlViews/:uid/refresh", (ctx) => {
      const view = existing(ctx);
      if (view.type !== "MATERIALIZED_VIEW") throw new HttpError(409, "View could not be refreshed");
      const sql = String(view.sqlQuery).replace(/;\s*$/, "");
      let snapshot: SqlResult;
      try {
        snapshot = run(ctx, sql);
      } catch {
        // `refreshMaterializedView` logs the failure and answers false.
        throw new HttpError(409, "View could not be refreshed");
      }
      stateOf(ctx.app).views.set(view.id, { sql, snapshot });
      ctx.webMessage(200, "Materialized view refreshed");
    });
  },
};
