/**
 * Job configurations and the scheduler, after dhis2-core 2.41.8.1 / 2.42.4.1 / 2.43.0:
 *
 * - `/api/jobConfigurations` is the metadata CRUD of `JobConfiguration`; every server holds the
 *   system jobs of `JobType.Defaults` from its first start (`createDefaultJobs`: the same UIDs,
 *   names and schedules on all three versions). Read-only members are derived as
 *   `JobConfiguration` does: `schedulingType` (given, else CRON with a cron expression,
 *   FIXED_DELAY with a delay, else ONCE_ASAP), `jobStatus` (DISABLED when not enabled,
 *   NOT_STARTED for a run-once job, else SCHEDULED), `configurable` (`JobType.isUserDefined`:
 *   the types before MOCK), `nextExecutionTime` / `maxDelayedExecutionTime` (`JobTrigger`: a cron
 *   job that never ran fires at the first cron time after now - 4 h, so it can lie in the past;
 *   a delay job that never ran, now), `leaderOnlyJob` true, `userUid` = `executedBy`.
 * - writes are checked like `JobConfigurationObjectBundleHook`: E7003 (a system job may change
 *   only its schedule), E7004 (CRON without cron expression), E7005 (invalid cron, reported with
 *   its `{0}` unfilled, as DHIS2 does), E7007 (FIXED_DELAY without delay), E7000 (a job of the
 *   same type already has that cron expression).
 * - `GET /api/scheduler` lists every job that is not run-once as a `SchedulerEntry` (`name`,
 *   `type`, `cronExpression`, `delay`, `nextExecutionTime`, `maxDelayedExecutionTime`,
 *   `secondsToNextExecutionTime`, `secondsToMaxDelayedExecutionTime`, `status`, `enabled`,
 *   `configurable`, `sequence: [SchedulerEntryJob]`), ordered by next execution time (nulls
 *   last) or by name with `?order=name`. The emulator has no job queues.
 */
import type { EmulatorApp } from "../app.js";
import { dhis2Timestamp } from "../clock.js";
import type { EmulatorState } from "../state.js";
import { isValidCron, nextCronTime } from "./cron.js";

const KLASS = "org.hisp.dhis.scheduling.JobConfiguration";
const MAX_CRON_DELAY_MS = 4 * 3600_000;

/** `JobType.Defaults` (identical in 2.41.8.1, 2.42.4.1, 2.43.0). */
const SYSTEM_JOBS = [
  { jobType: "HOUSEKEEPING", id: "DHIS2rocks1", name: "Housekeeping", delay: 20 },
  { jobType: "DATA_VALUE_TRIM", id: "D2datatrim8", name: "Data value trim", cron: "0 0 1 ? * *" },
  { jobType: "DATA_SET_NOTIFICATION", id: "YvAwAmrqAtN", name: "Dataset notification", cron: "0 0 2 ? * *" },
  {
    jobType: "CREDENTIALS_EXPIRY_ALERT",
    id: "sHMedQF7VYa",
    name: "Credentials expiry alert",
    cron: "0 0 2 ? * *",
  },
  { jobType: "DATA_STATISTICS", id: "BFa3jDsbtdO", name: "Data statistics", cron: "0 0 2 ? * *" },
  {
    jobType: "FILE_RESOURCE_CLEANUP",
    id: "pd6O228pqr0",
    name: "File resource clean up",
    cron: "0 0 2 ? * *",
  },
  {
    jobType: "ACCOUNT_EXPIRY_ALERT",
    id: "fUWM1At1TUx",
    name: "User account expiry alert",
    cron: "0 0 2 ? * *",
  },
  {
    jobType: "VALIDATION_RESULTS_NOTIFICATION",
    id: "Js3vHn2AVuG",
    name: "Validation result notification",
    cron: "0 0 7 ? * *",
  },
  {
    jobType: "REMOVE_USED_OR_EXPIRED_RESERVED_VALUES",
    id: "uwWCT2BMmlq",
    name: "Remove expired or used reserved values",
    cron: "0 0 2 ? * *",
  },
  // dailyRandomBetween3and5: a random second, minute and hour 3-5; fixed here for determinism.
  {
    jobType: "SYSTEM_VERSION_UPDATE_CHECK",
    id: "vt21671bgno",
    name: "System version update check notification",
    cron: "17 23 4 ? * *",
  },
] as const;

/** `JobType` constants before `MOCK`: the ones users may create (`isUserDefined`). */
const USER_DEFINED = new Set([
  "DATA_INTEGRITY",
  "DATA_INTEGRITY_DETAILS",
  "RESOURCE_TABLE",
  "ANALYTICS_TABLE",
  "CONTINUOUS_ANALYTICS_TABLE",
  "SINGLE_EVENT_DATA_SYNC",
  "TRACKED_ENTITY_DATA_SYNC",
  "DATA_SYNC",
  "META_DATA_SYNC",
  "AGGREGATE_DATA_EXCHANGE",
  "SEND_SCHEDULED_MESSAGE",
  "PROGRAM_NOTIFICATIONS",
  "MONITORING",
  "PUSH_ANALYSIS",
  "HTML_PUSH_ANALYTICS",
  "TRACKER_SEARCH_OPTIMIZATION",
  "PREDICTOR",
  "MATERIALIZED_SQL_VIEW_UPDATE",
  "DISABLE_INACTIVE_USERS",
  "TEST",
  "LOCK_EXCEPTION_CLEANUP",
]);

type Job = Record<string, unknown>;

export function schedulingType(job: Job): string {
  if (typeof job.schedulingType === "string") return job.schedulingType;
  if (typeof job.cronExpression === "string") return "CRON";
  if (typeof job.delay === "number") return "FIXED_DELAY";
  return "ONCE_ASAP";
}

export function jobStatus(job: Job): string {
  if (job.enabled === false) return "DISABLED";
  if (typeof job.jobStatus === "string" && job.jobStatus !== "DISABLED") return job.jobStatus;
  return schedulingType(job) === "ONCE_ASAP" ? "NOT_STARTED" : "SCHEDULED";
}

/** `JobTrigger.nextExecutionTime` for a job that has not run yet. */
export function nextExecution(job: Job, nowMs: number): number | undefined {
  switch (schedulingType(job)) {
    case "CRON":
      return typeof job.cronExpression === "string"
        ? nextCronTime(job.cronExpression, nowMs - MAX_CRON_DELAY_MS - 1)
        : undefined;
    case "FIXED_DELAY":
      return typeof job.delay === "number" && job.delay > 0 ? nowMs : undefined;
    default:
      return nowMs;
  }
}

/** The read-only members a real server derives, by name (for `ReadContext`). */
export function derivedJobProperties(nowMs: () => number): Record<string, (job: Job) => unknown> {
  const next = (job: Job) => nextExecution(job, nowMs());
  return {
    schedulingType,
    jobStatus,
    configurable: (job) => USER_DEFINED.has(String(job.jobType)),
    nextExecutionTime: (job) => {
      const t = next(job);
      return t === undefined ? undefined : dhis2Timestamp(t);
    },
    maxDelayedExecutionTime: (job) => {
      const t = next(job);
      return t === undefined || schedulingType(job) !== "CRON"
        ? undefined
        : dhis2Timestamp(t + MAX_CRON_DELAY_MS);
    },
    leaderOnlyJob: () => true,
    userUid: (job) => job.executedBy,
    lastExecutedStatus: (job) => job.lastExecutedStatus ?? "NOT_STARTED",
  };
}

/**
 * `JobConfigurationObjectBundleHook.validateNoErrors`, as [code, args] pairs. It first fills the
 * required members the service sets on save (`schedulingType`, `jobStatus`), which a body
 * never needs to carry.
 */
export function jobErrors(job: Job, existing: Job | undefined, others: Iterable<Job>): [string, unknown[]][] {
  const errors: [string, unknown[]][] = [];
  job.schedulingType = schedulingType(job);
  job.jobStatus = jobStatus(job);
  if (existing && !USER_DEFINED.has(String(existing.jobType))) {
    const changed =
      job.jobType !== existing.jobType ||
      (job.enabled ?? true) !== (existing.enabled ?? true) ||
      JSON.stringify(job.jobParameters ?? null) !== JSON.stringify(existing.jobParameters ?? null);
    if (changed) errors.push(["E7003", [job.jobType]]);
  }
  const type = schedulingType(job);
  if (type === "CRON") {
    if (typeof job.cronExpression !== "string") errors.push(["E7004", [job.id]]);
    else if (!isValidCron(job.cronExpression)) errors.push(["E7005", []]);
  }
  if (type === "FIXED_DELAY" && typeof job.delay !== "number") errors.push(["E7007", [job.id]]);
  for (const other of others) {
    if (other.id !== job.id && other.jobType === job.jobType && typeof other.cronExpression === "string") {
      if (other.cronExpression === job.cronExpression) errors.push(["E7000", [other.cronExpression]]);
    }
  }
  return errors;
}

/** Writes the system jobs a fresh DHIS2 creates at its first start. */
export function seedSystemJobs(state: EmulatorState): void {
  const now = state.timestamp();
  for (const job of SYSTEM_JOBS) {
    if (state.metadata.get("jobConfigurations", job.id)) continue;
    state.metadata.put("jobConfigurations", {
      id: job.id,
      name: job.name,
      jobType: job.jobType,
      ...("cron" in job ? { cronExpression: job.cron, schedulingType: "CRON" } : {}),
      ...("delay" in job ? { delay: job.delay, schedulingType: "FIXED_DELAY" } : {}),
      enabled: true,
      created: now,
      lastUpdated: now,
    });
  }
}

/** `JobSchedulerController#getSchedulerEntries`. */
function schedulerEntries(state: EmulatorState, order: string | null): Record<string, unknown>[] {
  const nowMs = state.clock.now();
  const entries = [...state.metadata.bucket("jobConfigurations").values()]
    .filter(
      (job) => !(schedulingType(job) === "ONCE_ASAP" && job.cronExpression == null && job.delay == null),
    )
    .map((job) => {
      const next = nextExecution(job, nowMs);
      const maxDelayed =
        next !== undefined && schedulingType(job) === "CRON" ? next + MAX_CRON_DELAY_MS : undefined;
      const seconds = (t: number | undefined) =>
        t === undefined ? undefined : Math.floor((t - nowMs) / 1000);
      const stamp = (t: number | undefined) => (t === undefined ? undefined : dhis2Timestamp(t));
      const status = jobStatus(job);
      const entry = {
        name: job.name,
        type: job.jobType,
        cronExpression: job.cronExpression,
        delay: job.delay,
        nextExecutionTime: stamp(next),
        maxDelayedExecutionTime: stamp(maxDelayed),
        secondsToNextExecutionTime: seconds(next),
        secondsToMaxDelayedExecutionTime: seconds(maxDelayed),
        status,
        enabled: job.enabled !== false,
        configurable: USER_DEFINED.has(String(job.jobType)),
        sequence: [
          {
            id: job.id,
            name: job.name,
            type: job.jobType,
            cronExpression: job.cronExpression,
            delay: job.delay,
            nextExecutionTime: stamp(next),
            status,
          },
        ],
      };
      return { entry, next };
    });
  entries.sort((a, b) =>
    order === "name"
      ? String(a.entry.name).localeCompare(String(b.entry.name))
      : (a.next ?? Number.POSITIVE_INFINITY) - (b.next ?? Number.POSITIVE_INFINITY),
  );
  return entries.map(({ entry }) => JSON.parse(JSON.stringify(entry)) as Record<string, unknown>);
}

/** Routes and the system jobs (installed by the maintenance module). */
export function installJobConfigurations(app: EmulatorApp): void {
  seedSystemJobs(app.state);
  app.extensions.derivedProperties ??= {};
  app.extensions.derivedProperties[KLASS] = derivedJobProperties(() => app.state.clock.now());
  app.extensions.writeChecks ??= {};
  app.extensions.writeChecks[KLASS] = jobErrors;
  app.get("/api/scheduler", (ctx) => ctx.json(200, schedulerEntries(ctx.state, ctx.query.get("order"))));
}

declare module "../app.js" {
  interface EmulatorExtensions {
    /** Per schema class, read-only members computed on read (`ReadContext.value`). */
    derivedProperties?: Record<string, Record<string, (obj: Record<string, unknown>) => unknown>>;
    /** Per schema class, extra write checks run by metadata imports: [errorCode, args] pairs. */
    writeChecks?: Record<
      string,
      (
        obj: Record<string, unknown>,
        existing: Record<string, unknown> | undefined,
        others: Iterable<Record<string, unknown>>,
      ) => [string, unknown[]][]
    >;
  }
}
