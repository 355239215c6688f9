/** `d2w maintenance ...`: table refreshes (optionally watched to the end) and data integrity. */
import type { TaskCompletion, TaskNotification, WebMessageResponse } from "@dhis2w/client";
import {
  awaitJob,
  listIntegrityIssues,
  refreshAnalytics,
  refreshMonitoring,
  refreshResourceTables,
  runIntegrity,
  type ServiceTarget,
  withClient,
} from "@dhis2w/core";
import { type CliContext, ProgressLine } from "../context.js";
import { defineCommand, defineGroup } from "../define.js";

const watchArgs = {
  watch: { type: "boolean", description: "follow the job's progress until it completes" },
  pollInterval: {
    type: "number",
    description: "ms between progress polls (default 1000)",
    min: 10,
    valueName: "ms",
  },
  timeout: {
    type: "number",
    description: "give up watching after this many seconds (default 600)",
    min: 1,
    valueName: "s",
  },
} as const;

interface WatchOptions {
  watch: boolean;
  pollInterval: number | undefined;
  timeout: number | undefined;
}

function showNotification(progress: ProgressLine, n: TaskNotification): void {
  progress.update(`${(n.level ?? "INFO").padEnd(5)} ${n.completed ? "[x]" : "[ ]"} ${n.message}`);
}

/** Kicks a job off and, with `--watch`, follows it over the same connection. Exit 1 when it failed. */
async function kickoffAndWatch(
  ctx: CliContext,
  label: string,
  opts: WatchOptions,
  start: (client: ServiceTarget) => Promise<WebMessageResponse>,
): Promise<number> {
  const target = await ctx.resolve();
  const { kickoff, completion } = await withClient(
    target,
    async (client) => {
      const kickoff = await start(client);
      if (!opts.watch) return { kickoff, completion: undefined as TaskCompletion | undefined };
      const progress = new ProgressLine(ctx);
      const completion = await awaitJob(client, kickoff, {
        onNotification: (n) => showNotification(progress, n),
        pollIntervalMs: opts.pollInterval,
        ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout * 1000 } : {}),
      });
      progress.done();
      return { kickoff, completion };
    },
    ctx.clientOptions(),
  );
  const ref = kickoff.taskRef();
  if (ctx.json) {
    ctx.printJson({
      kickoff: kickoff.raw,
      ...(completion ? { level: completion.level, message: completion.message } : {}),
    });
  } else if (!completion) {
    ctx.out(
      `${label} started${ref ? ` (job ${ref.jobType}/${ref.id}; watch with --watch)` : ""}: ${kickoff.message ?? ""}`.trim(),
    );
  } else {
    ctx.out(`${label} ${completion.level === "ERROR" ? "failed" : "completed"}: ${completion.message}`);
  }
  return completion?.level === "ERROR" ? 1 : 0;
}

const refreshAnalyticsCmd = defineCommand({
  meta: {
    name: "analytics",
    description: "Regenerate the analytics tables",
    examples: ["d2w maintenance refresh analytics --last-years 1 --watch"],
  },
  args: { lastYears: { type: "number", description: "only the last N years", min: 0 }, ...watchArgs },
  run: (args, ctx) =>
    kickoffAndWatch(ctx, "analytics table refresh", args, (c) =>
      refreshAnalytics(c, args.lastYears !== undefined ? { lastYears: args.lastYears } : {}),
    ),
});

const refreshResourceTablesCmd = defineCommand({
  meta: { name: "resource-tables", description: "Regenerate the resource tables" },
  args: { ...watchArgs },
  run: (args, ctx) => kickoffAndWatch(ctx, "resource table refresh", args, (c) => refreshResourceTables(c)),
});

const refreshMonitoringCmd = defineCommand({
  meta: { name: "monitoring", description: "Run validation rule monitoring" },
  args: { ...watchArgs },
  run: (args, ctx) => kickoffAndWatch(ctx, "monitoring", args, (c) => refreshMonitoring(c)),
});

const integrityRun = defineCommand({
  meta: {
    name: "run",
    description: "Run data integrity checks (all non-slow ones by default)",
    examples: ["d2w maintenance dataintegrity run --checks orgunits_orphaned --details --watch"],
  },
  args: {
    checks: {
      type: "list",
      description: "check names, * patterns or codes (one that matches no check is refused, exit 2)",
    },
    details: { type: "boolean", description: "collect the issues, not only counts" },
    ...watchArgs,
  },
  async run(args, ctx) {
    const progress = new ProgressLine(ctx);
    const r = await runIntegrity(
      await ctx.resolve(),
      {
        ...(args.checks.length ? { checks: args.checks } : {}),
        details: args.details,
        wait: args.watch,
        onNotification: (n) => showNotification(progress, n),
        pollIntervalMs: args.pollInterval,
        ...(args.timeout !== undefined ? { timeoutMs: args.timeout * 1000 } : {}),
      },
      ctx.clientOptions(),
    );
    progress.done();
    if (ctx.json)
      return ctx.printJson({ kickoff: r.kickoff.raw, completion: r.completion, report: r.report });
    if (!r.report) {
      const ref = r.kickoff.taskRef();
      return ctx.out(`data integrity started${ref ? ` (job ${ref.jobType}/${ref.id})` : ""}`);
    }
    const rows = Object.entries(r.report).map(([key, v]) => ({ key, ...v }));
    ctx.printRows(rows, [
      { header: "CHECK", value: (x) => x.name ?? x.key },
      { header: "SEVERITY", value: (x) => x.severity },
      { header: "COUNT", value: (x) => x.count ?? x.issues?.length },
      { header: "ERROR", value: (x) => x.error },
    ]);
    return r.completion?.level === "ERROR" ? 1 : 0;
  },
});

const integrityIssues = defineCommand({
  meta: { name: "issues", description: "The issues found by the last detailed run" },
  args: { checks: { type: "list", description: "only these checks" } },
  async run(args, ctx) {
    const rows = await listIntegrityIssues(
      await ctx.resolve(),
      args.checks.length ? { checks: args.checks } : {},
      ctx.clientOptions(),
    );
    ctx.printRows(
      rows,
      [
        { header: "CHECK", value: (r) => r.checkName },
        { header: "SEVERITY", value: (r) => r.severity },
        { header: "ID", value: (r) => r.issue.id },
        { header: "NAME", value: (r) => r.issue.name },
      ],
      "no issues (run `d2w maintenance dataintegrity run --details --watch` first)",
    );
  },
});

export default defineGroup({
  meta: { name: "maintenance", description: "Table refreshes and data integrity" },
  subCommands: [
    defineGroup({
      meta: { name: "refresh", description: "Start (and with --watch follow) a table job" },
      subCommands: [refreshAnalyticsCmd, refreshResourceTablesCmd, refreshMonitoringCmd],
    }),
    defineGroup({
      meta: { name: "dataintegrity", description: "Data integrity checks" },
      subCommands: [integrityRun, integrityIssues],
    }),
  ],
});
