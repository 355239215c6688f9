/**
 * `d2w sql-view run|adhoc`: run a SQL view (`/api/sqlViews/{uid}/data`) or ad-hoc SQL (a QUERY
 * view created, run and deleted) and print the grid as a table, `--json` the grid itself, or
 * `--csv` the rows.
 */
import type { Grid } from "@dhis2w/client";
import { sqlViewAdhoc, sqlViewRun } from "@dhis2w/core";
import type { CliContext } from "../context.js";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError } from "../errors.js";
import { cell, FULL } from "../output.js";

/** `name:value` pairs from repeated options. */
function pairs(option: string, values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf(":");
    if (i <= 0) throw new UsageError(`${option} ${v}: expected NAME:VALUE`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

function printGrid(ctx: CliContext, grid: Grid, csv: boolean): void {
  if (ctx.json) {
    ctx.printJson(grid);
    return;
  }
  const names = grid.headers.map((h) => h.name);
  if (csv) {
    const esc = (v: unknown) => {
      const s = v === null || v === undefined ? "" : String(v);
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    ctx.io.stdout.write([names, ...grid.rows].map((r) => r.map(esc).join(",")).join("\n") + "\n");
    return;
  }
  ctx.printRows(
    grid.rows,
    names.map((header, i) => ({
      header,
      value: (r: readonly unknown[]) => cell(r[i]),
      max: i === names.length - 1 ? FULL : 60,
    })),
    "(no rows)",
  );
}

const output = {
  csv: { type: "boolean", description: "print the rows as CSV (a header line first)" },
} as const;

const run = defineCommand({
  meta: {
    name: "run",
    description: "Run a SQL view and print its rows",
    examples: [
      "d2w sql-view run qMYMT0iUGkG",
      "d2w sql-view run qMYMT0iUGkG --var level:2 --criteria code:OU_NORT",
      "d2w --json sql-view run qMYMT0iUGkG",
    ],
  },
  args: {
    uid: { type: "positional", description: "the SQL view's UID", required: true },
    var: {
      type: "list",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${name} is DHIS2's SQL view variable syntax
      description: "a QUERY view's variable, NAME:VALUE (${NAME} in its SQL)",
      valueName: "name:value",
    },
    criteria: {
      type: "list",
      description: "keep rows whose COLUMN equals VALUE, COLUMN:VALUE",
      valueName: "col:value",
    },
    ...output,
  },
  async run(args, ctx) {
    const grid = await sqlViewRun(
      await ctx.resolve(),
      args.uid,
      { variables: pairs("--var", args.var), criteria: pairs("--criteria", args.criteria) },
      ctx.clientOptions(),
    );
    printGrid(ctx, grid, args.csv);
  },
});

const adhoc = defineCommand({
  meta: {
    name: "adhoc",
    description: "Run SQL through a temporary QUERY view (created, run, deleted)",
    examples: [
      "d2w sql-view adhoc \"select uid, name from dataelement where valuetype = 'NUMBER'\"",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${name} is DHIS2's SQL view variable syntax
      'd2w sql-view adhoc "select name from organisationunit where hierarchylevel = \\${level}" --var level:2',
    ],
  },
  args: {
    sql: { type: "positional", description: "a SELECT statement", required: true },
    var: {
      type: "list",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${name} is DHIS2's SQL view variable syntax
      description: "a variable, NAME:VALUE (${NAME} in the SQL)",
      valueName: "name:value",
    },
    ...output,
  },
  async run(args, ctx) {
    const grid = await sqlViewAdhoc(
      await ctx.resolve(),
      args.sql,
      { variables: pairs("--var", args.var) },
      ctx.clientOptions(),
    );
    printGrid(ctx, grid, args.csv);
  },
});

export default defineGroup({
  meta: { name: "sql-view", description: "Run SQL views and ad-hoc SQL" },
  subCommands: [run, adhoc],
});
