/**
 * Maintenance services: the three table jobs (returning DHIS2's kick-off `WebMessageResponse`,
 * as the reference toolkit's services do), waiting on a job, and data integrity.
 */
import {
  type AwaitCompletionOptions,
  Dhis2ClientError,
  type IntegrityIssueRow,
  type IntegrityReport,
  type RefreshAnalyticsOptions,
  type TaskCompletion,
  type TaskRefInput,
  WebMessageResponse,
} from "@dhis2w/client";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/**
 * Starts the analytics tables job (`POST /api/resourceTables/analytics`).
 *
 * @example
 * ```ts
 * const kickoff = await refreshAnalytics(resolveProfile(), { lastYears: 1 });
 * console.log(kickoff.taskRef()); // { jobType: "ANALYTICS_TABLE", id: "..." }
 * ```
 */
export function refreshAnalytics(
  target: ServiceTarget,
  opts: RefreshAnalyticsOptions = {},
  options?: ServiceOptions,
): Promise<WebMessageResponse> {
  return withClient(target, (client) => client.maintenance.refreshAnalytics(opts), options);
}

/**
 * Starts the resource tables job (`POST /api/resourceTables`).
 *
 * @example
 * ```ts
 * const kickoff = await refreshResourceTables(resolveProfile());
 * ```
 */
export function refreshResourceTables(
  target: ServiceTarget,
  opts: { signal?: AbortSignal } = {},
  options?: ServiceOptions,
): Promise<WebMessageResponse> {
  return withClient(target, (client) => client.maintenance.refreshResourceTables(opts), options);
}

/**
 * Starts the monitoring job (`POST /api/resourceTables/monitoring`): validation rule analysis.
 *
 * @example
 * ```ts
 * const kickoff = await refreshMonitoring(resolveProfile());
 * ```
 */
export function refreshMonitoring(
  target: ServiceTarget,
  opts: { signal?: AbortSignal } = {},
  options?: ServiceOptions,
): Promise<WebMessageResponse> {
  return withClient(target, (client) => client.maintenance.refreshMonitoring(opts), options);
}

/**
 * Waits for a job: pass the kick-off answer or a `{ jobType, id }` / `"JOB_TYPE/uid"` reference.
 * `onNotification` sees each new notification once, oldest first (progress display).
 *
 * @example
 * ```ts
 * await withClient(resolveProfile(), async (client) => {
 *   const done = await awaitJob(client, await refreshAnalytics(client), { onNotification: (n) => console.log(n.message) });
 *   console.log(done.level, done.message);
 * });
 * ```
 */
export function awaitJob(
  target: ServiceTarget,
  job: WebMessageResponse | TaskRefInput,
  opts: AwaitCompletionOptions = {},
  options?: ServiceOptions,
): Promise<TaskCompletion> {
  const ref = job instanceof WebMessageResponse ? job.taskRef() : job;
  if (ref === undefined) {
    throw new Dhis2ClientError("awaitJob: the answer carries no job reference (jobType + id) to wait for");
  }
  return withClient(target, (client) => client.tasks.awaitCompletion(ref, opts), options);
}

/** Options of {@link runIntegrity}. */
export interface RunIntegrityOptions {
  /**
   * Check names, `*` patterns or codes; default every non-slow check. One that matches no check of
   * the server is refused (`QueryValidationError`, with suggestions) before any job starts.
   */
  checks?: readonly string[];
  /** Run the details job (issues) instead of the summary job (counts). */
  details?: boolean;
  /** Wait for the job and return the report; otherwise return after the kick-off. */
  wait?: boolean;
  /** Progress of the waited job. */
  onNotification?: AwaitCompletionOptions["onNotification"];
  pollIntervalMs?: number;
  timeoutMs?: number | null;
  signal?: AbortSignal;
}

/** What {@link runIntegrity} did. */
export interface RunIntegrityResult {
  kickoff: WebMessageResponse;
  /** With `wait`: the job's final notification. */
  completion?: TaskCompletion;
  /** With `wait`: the fresh report. */
  report?: IntegrityReport;
}

/**
 * Starts a data integrity run (`POST /api/dataIntegrity/summary` or `/details`) and, with `wait`,
 * waits for it and reads the report.
 *
 * @example
 * ```ts
 * const { report } = await runIntegrity(resolveProfile(), { checks: ["orgunits_orphaned"], details: true, wait: true });
 * ```
 */
export function runIntegrity(
  target: ServiceTarget,
  opts: RunIntegrityOptions = {},
  options?: ServiceOptions,
): Promise<RunIntegrityResult> {
  return withClient(
    target,
    async (client) => {
      const selection = {
        ...(opts.checks ? { checks: opts.checks } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      };
      const kickoff = await client.maintenance.runIntegrityChecks({ ...selection, details: opts.details });
      if (!opts.wait) return { kickoff };
      const completion = await client.maintenance.awaitJob(kickoff, {
        ...(opts.onNotification ? { onNotification: opts.onNotification } : {}),
        pollIntervalMs: opts.pollIntervalMs,
        timeoutMs: opts.timeoutMs,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const report = await client.maintenance.getIntegrityReport({
        ...selection,
        details: opts.details === true,
      });
      return { kickoff, completion, report };
    },
    options,
  );
}

/**
 * Every issue of the server's cached `/api/dataIntegrity/details` results, flattened and tagged
 * with its check (run the checks first: {@link runIntegrity} with `details` and `wait`).
 *
 * @example
 * ```ts
 * for (const row of await listIntegrityIssues(resolveProfile())) console.log(row.checkName, row.issue.id);
 * ```
 */
export function listIntegrityIssues(
  target: ServiceTarget,
  opts: { checks?: readonly string[]; signal?: AbortSignal } = {},
  options?: ServiceOptions,
): Promise<IntegrityIssueRow[]> {
  return withClient(
    target,
    async (client) => {
      const rows: IntegrityIssueRow[] = [];
      for await (const row of client.maintenance.iterIntegrityIssues(opts)) rows.push(row);
      return rows;
    },
    options,
  );
}
