import { Dhis2ClientError, type TaskNotification, TaskTimeoutError } from "@dhis2w/client";
import { awaitJob, refreshAnalytics, runIntegrity } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as z from "zod";
import { registerTool, type ToolRuntime } from "../tool.js";

/** Longest a tool call waits for a job; the job keeps running on the server after that. */
export const MAX_JOB_WAIT_MS = 1_800_000;
const DEFAULT_WAIT_MS = 120_000;
const DEFAULT_ISSUES = 500;

const Notification = z.object({
  time: z.string().optional(),
  level: z.string().optional(),
  message: z.string(),
  completed: z.boolean(),
});
const slim = (n: TaskNotification) => ({
  time: n.time,
  level: n.level,
  message: n.message,
  completed: n.completed,
});

/** `maintenance_refresh_analytics`, `integrity_issues`. */
export function registerMaintenanceTools(server: McpServer, runtime: ToolRuntime): void {
  registerTool(server, runtime, {
    name: "maintenance_refresh_analytics",
    title: "Refresh DHIS2 analytics tables",
    description:
      "Starts DHIS2's analytics table generation (the ANALYTICS_TABLE job behind /api/resourceTables/analytics), so that analytics_query sees recent data. Heavy on large servers: limit it with lastYears (e.g. 1) and the skip flags. With wait (default true) it follows the job until it completes or timeoutMs passes and returns the final notification; on timeout the job keeps running (completed=false, timedOut=true).",
    input: z.object({
      lastYears: z.number().int().min(0).optional().describe("Only the last N years of data (default all)"),
      skipResourceTables: z.boolean().optional(),
      skipEvents: z.boolean().optional().describe("Skip event analytics tables"),
      skipEnrollment: z.boolean().optional().describe("Skip enrollment analytics tables"),
      skipTrackedEntities: z.boolean().optional(),
      skipOutliers: z.boolean().optional(),
      wait: z.boolean().optional().describe("Wait for the job to finish (default true)"),
      timeoutMs: z
        .number()
        .int()
        .min(1)
        .max(MAX_JOB_WAIT_MS)
        .optional()
        .describe(`How long to wait, in ms (default ${DEFAULT_WAIT_MS})`),
    }),
    output: z.object({
      jobType: z.string(),
      jobId: z.string(),
      waited: z.boolean(),
      completed: z.boolean(),
      timedOut: z.boolean(),
      level: z
        .string()
        .optional()
        .describe("Final notification level: INFO when it went well, ERROR when it failed"),
      message: z.string().optional().describe("Final (or latest) notification message"),
      notifications: z.array(Notification).describe("The latest notifications, oldest first"),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const { wait, timeoutMs, ...flags } = args;
      const kickoff = await refreshAnalytics(client, { ...flags, signal: ctx.signal });
      const ref = kickoff.taskRef();
      if (!ref) {
        throw new Dhis2ClientError(
          `the server did not report a job for the analytics refresh: ${kickoff.message ?? kickoff.status ?? "no message"}`,
        );
      }
      const base = { jobType: ref.jobType, jobId: ref.id };
      if (wait === false) {
        return {
          ...base,
          waited: false,
          completed: false,
          timedOut: false,
          message: kickoff.message,
          notifications: [],
        };
      }
      try {
        const done = await awaitJob(client, ref, {
          timeoutMs: timeoutMs ?? DEFAULT_WAIT_MS,
          pollIntervalMs: ctx.pollIntervalMs,
          signal: ctx.signal,
        });
        return {
          ...base,
          waited: true,
          completed: true,
          timedOut: false,
          level: done.level,
          message: done.message,
          notifications: done.notifications.slice(-20).map(slim),
        };
      } catch (error) {
        if (!(error instanceof TaskTimeoutError)) throw error;
        const last = error.notifications.at(-1);
        return {
          ...base,
          waited: true,
          completed: false,
          timedOut: true,
          ...(last?.level !== undefined ? { level: last.level } : {}),
          message: last?.message ?? error.message,
          notifications: error.notifications.slice(-20).map(slim),
        };
      }
    },
  });

  registerTool(server, runtime, {
    name: "integrity_issues",
    title: "DHIS2 data integrity issues",
    description:
      'Runs DHIS2 data integrity checks (/api/dataIntegrity/details) and lists the problems found, one row per offending object: orphaned org units, data elements without data sets, category option combos out of sync, invalid indicator expressions, and so on. Give check names to keep it quick on large servers, e.g. { checks: ["orgunits_orphaned", "data_elements_aggregate_no_groups"] }; without them every non-slow check runs. run=false reads the results the server cached from the last run instead.',
    input: z.object({
      checks: z
        .array(z.string().min(1))
        .optional()
        .describe(
          'Check names, "*" patterns or codes, e.g. ["orgunits_orphaned"]; one that matches no check is an error with suggestions',
        ),
      run: z.boolean().optional().describe("Run the checks first (default true)"),
      timeoutMs: z
        .number()
        .int()
        .min(1)
        .max(MAX_JOB_WAIT_MS)
        .optional()
        .describe(`Wait for the run (default ${DEFAULT_WAIT_MS})`),
      maxIssues: z
        .number()
        .int()
        .min(1)
        .max(10_000)
        .optional()
        .describe(`Issues returned at most (default ${DEFAULT_ISSUES})`),
    }),
    output: z.object({
      checks: z.array(
        z.object({
          name: z.string(),
          displayName: z.string().optional(),
          severity: z.string().optional().describe("INFO, WARNING, SEVERE or CRITICAL"),
          issueCount: z.number(),
          error: z.string().optional(),
        }),
      ),
      issues: z.array(
        z.object({
          checkName: z.string(),
          severity: z.string().optional(),
          id: z.string().optional().describe("UID of the object with the problem"),
          name: z.string(),
          comment: z.string().optional(),
        }),
      ),
      issueCount: z.number(),
      truncated: z.boolean(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const selection = { ...(args.checks ? { checks: args.checks } : {}), signal: ctx.signal };
      const report =
        args.run === false
          ? await client.maintenance.getIntegrityReport({ ...selection, details: true })
          : ((
              await runIntegrity(client, {
                ...selection,
                details: true,
                wait: true,
                timeoutMs: args.timeoutMs ?? DEFAULT_WAIT_MS,
                pollIntervalMs: ctx.pollIntervalMs,
              })
            ).report ?? {});
      const checks = Object.entries(report).map(([key, r]) => ({
        name: r.name || key,
        displayName: r.displayName,
        severity: r.severity,
        issueCount: r.issues?.length ?? r.count ?? 0,
        error: r.error,
      }));
      const issues = Object.entries(report).flatMap(([key, r]) =>
        (r.issues ?? []).map((i) => ({
          checkName: r.name || key,
          severity: r.severity,
          id: i.id,
          name: i.name,
          ...(typeof i.comment === "string" ? { comment: i.comment } : {}),
        })),
      );
      const max = args.maxIssues ?? DEFAULT_ISSUES;
      return {
        checks,
        issues: issues.slice(0, max),
        issueCount: issues.length,
        truncated: issues.length > max,
      };
    },
  });
}
