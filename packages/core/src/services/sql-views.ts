/**
 * SQL view services shared by the CLI (`d2w sql-view run|adhoc`) and the MCP server
 * (`sql_view_run`).
 */
import type { Grid, SqlViewRunOptions } from "@dhis2w/client";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/** Variables and criteria of a run. */
export type SqlViewRunInput = Pick<SqlViewRunOptions, "variables" | "criteria">;

/**
 * Runs a SQL view into a `Grid`.
 *
 * @example
 * ```ts
 * const grid = await sqlViewRun(resolveProfile(), "qMYMT0iUGkG", { variables: { level: "2" } });
 * ```
 */
export function sqlViewRun(
  target: ServiceTarget,
  uid: string,
  input: SqlViewRunInput = {},
  options?: ServiceOptions,
): Promise<Grid> {
  return withClient(target, (client) => client.sqlViews.execute(uid, input), options);
}

/**
 * Runs SQL through a temporary QUERY view (created, run, deleted).
 *
 * @example
 * ```ts
 * const grid = await sqlViewAdhoc(resolveProfile(), "select uid, name from dataelement");
 * ```
 */
export function sqlViewAdhoc(
  target: ServiceTarget,
  sql: string,
  input: Pick<SqlViewRunOptions, "variables"> = {},
  options?: ServiceOptions,
): Promise<Grid> {
  return withClient(target, (client) => client.sqlViews.adhoc(sql, input), options);
}
