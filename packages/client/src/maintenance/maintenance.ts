/**
 * `client.maintenance`: analytics/resource table and monitoring jobs (`/api/resourceTables*`,
 * dhis2-core `ResourceTableController`), `/api/maintenance/*` actions (`MaintenanceController`,
 * all answering 204) and data integrity (`/api/dataIntegrity`, DHIS2 Web API docs "Data
 * integrity"). Job kick-offs come back as {@link WebMessageResponse}; `taskRef()` feeds
 * `client.tasks.awaitCompletion`.
 */
import { WebMessageResponse } from "../envelopes/web-message.js";
import { Dhis2ClientError } from "../errors.js";
import type { TaskCompletion } from "../tasks/schemas.js";
import type { AwaitCompletionOptions, Tasks } from "../tasks/tasks.js";
import { resolveIntegritySelection, unknownIntegrityChecksError } from "./integrity-selection.js";
import {
  IntegrityCheck,
  type IntegrityIssueRow,
  type IntegrityReport,
  parseIntegrityReport,
} from "./schemas.js";

type Params = Record<string, string | number | boolean>;

/** What {@link createMaintenance} needs from a client. `Dhis2Client` satisfies it. */
export interface MaintenanceHttp {
  getRaw(path: string, options?: { params?: Params; signal?: AbortSignal }): Promise<unknown>;
  postRaw(
    path: string,
    body?: unknown,
    options?: { params?: Params; signal?: AbortSignal },
  ): Promise<unknown>;
}

/** Options of {@link Maintenance.refreshAnalytics} (query parameters of `/api/resourceTables/analytics`). */
export interface RefreshAnalyticsOptions {
  /** Only the last N years of data (0 = latest/continuous tables); default all years. */
  readonly lastYears?: number;
  readonly skipResourceTables?: boolean;
  /** Skip aggregate data and completeness tables. */
  readonly skipAggregate?: boolean;
  readonly skipValidationResult?: boolean;
  readonly skipEvents?: boolean;
  readonly skipEnrollment?: boolean;
  readonly skipTrackedEntities?: boolean;
  readonly skipOrgUnitOwnership?: boolean;
  readonly skipOutliers?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Selects checks by name, `*` pattern or code; omitted = every non-slow check. A selector that
 * matches no check of the server is refused (a `QueryValidationError` with suggestions) before any
 * run, since DHIS2 would ignore it and run nothing.
 */
export interface IntegrityChecksSelection {
  readonly checks?: readonly string[];
  readonly signal?: AbortSignal;
}

/** Options of {@link Maintenance.getIntegrityReport}. */
export interface IntegrityReportOptions extends IntegrityChecksSelection {
  /** `true` (default): `/details` with issues; `false`: the cheaper `/summary` with counts. */
  readonly details?: boolean;
  /** Let the server wait this long for checks still running (DHIS2's `timeout` parameter). */
  readonly waitMs?: number;
}

// Past this, the check list goes in the POST body (DHIS2 accepts either) to keep URLs short.
const MAX_CHECKS_IN_URL = 1500;

const SKIP_FLAGS = [
  "skipResourceTables",
  "skipAggregate",
  "skipValidationResult",
  "skipEvents",
  "skipEnrollment",
  "skipTrackedEntities",
  "skipOrgUnitOwnership",
  "skipOutliers",
] as const;

function checkNames(checks: readonly string[] | undefined, where: string): string[] | undefined {
  if (checks === undefined) return undefined;
  if (
    !Array.isArray(checks) ||
    checks.some((c) => typeof c !== "string" || c.trim() === "" || c.includes(","))
  ) {
    throw new Dhis2ClientError(`${where}: checks must be an array of non-empty check names (without commas)`);
  }
  return checks.map((c) => c.trim());
}

/**
 * Maintenance jobs and data integrity. Get one from `client.maintenance` or
 * `createMaintenance(client, tasks)`.
 *
 * @example
 * ```ts
 * const kickoff = await client.maintenance.refreshAnalytics({ lastYears: 1 });
 * const done = await client.tasks.awaitCompletion(kickoff.taskRef()!, { timeoutMs: 300_000 });
 * console.log(done.message);
 * ```
 */
export class Maintenance {
  readonly #http: MaintenanceHttp;
  readonly #tasks: Tasks;
  /** The server's check catalog, read once and read again when a selector misses it. */
  #catalog: Promise<IntegrityCheck[]> | undefined;

  constructor(http: MaintenanceHttp, tasks: Tasks) {
    this.#http = http;
    this.#tasks = tasks;
  }

  /** Starts the analytics table job (`ANALYTICS_TABLE`). */
  async refreshAnalytics(options: RefreshAnalyticsOptions = {}): Promise<WebMessageResponse> {
    const params: Params = {};
    if (options.lastYears !== undefined) {
      if (!Number.isInteger(options.lastYears) || options.lastYears < 0) {
        throw new Dhis2ClientError(
          `refreshAnalytics: lastYears must be a whole number >= 0, got ${String(options.lastYears)}`,
        );
      }
      params.lastYears = options.lastYears;
    }
    for (const flag of SKIP_FLAGS) if (options[flag]) params[flag] = true;
    return this.#kickoff("/api/resourceTables/analytics", undefined, params, options.signal);
  }

  /** Starts the resource table job (`RESOURCE_TABLE`): org unit structure, category option combos, periods ... */
  refreshResourceTables(options: { signal?: AbortSignal } = {}): Promise<WebMessageResponse> {
    return this.#kickoff("/api/resourceTables", undefined, {}, options.signal);
  }

  /** Starts the monitoring job (`MONITORING`): validation rule analysis and its notifications. */
  refreshMonitoring(options: { signal?: AbortSignal } = {}): Promise<WebMessageResponse> {
    return this.#kickoff("/api/resourceTables/monitoring", undefined, {}, options.signal);
  }

  /**
   * Waits for the job a kick-off started (see `client.tasks.awaitCompletion`); throws a clear error
   * when the answer carries no job reference.
   */
  awaitJob(kickoff: WebMessageResponse, options: AwaitCompletionOptions = {}): Promise<TaskCompletion> {
    const ref = kickoff.taskRef();
    if (!ref) {
      throw new Dhis2ClientError(
        `the answer carries no job reference (response.jobType/response.id): ${kickoff.message ?? kickoff.status ?? "no message"}`,
      );
    }
    return this.#tasks.awaitCompletion(ref, options);
  }

  /** Regenerates missing category option combos and prunes stale ones (204). */
  async updateCategoryOptionCombos(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#http.postRaw("/api/maintenance/categoryOptionComboUpdate", undefined, {
      signal: options.signal,
    });
  }

  /**
   * Removes soft-deleted data values for good (`/api/maintenance/softDeletedDataValueRemoval`).
   * Until then a deleted value still blocks deleting its data element, org unit or option combo
   * (E4030 "... associated with another object: DataValue").
   *
   * @example
   * ```ts
   * await client.maintenance.removeSoftDeletedDataValues();
   * await client.resources.dataElements.delete(uid);
   * ```
   */
  async removeSoftDeletedDataValues(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#http.postRaw("/api/maintenance/softDeletedDataValueRemoval", undefined, {
      signal: options.signal,
    });
  }

  /** Drops the analytics tables (204). */
  async clearAnalyticsTables(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#http.postRaw("/api/maintenance/analyticsTablesClear", undefined, { signal: options.signal });
  }

  /** Clears the server's caches (204). */
  async clearCache(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#http.postRaw("/api/maintenance/cacheClear", undefined, { signal: options.signal });
  }

  /** The data integrity checks the server offers (`GET /api/dataIntegrity`). */
  async listIntegrityChecks(
    options: IntegrityChecksSelection & { section?: string; slow?: boolean; programmatic?: boolean } = {},
  ): Promise<IntegrityCheck[]> {
    const params: Params = {};
    const checks = checkNames(options.checks, "listIntegrityChecks");
    if (checks?.length) params.checks = checks.join(",");
    if (options.section !== undefined) params.section = options.section;
    if (options.slow !== undefined) params.slow = options.slow;
    if (options.programmatic !== undefined) params.programmatic = options.programmatic;
    const raw = await this.#http.getRaw("/api/dataIntegrity", { params, signal: options.signal });
    const list = Array.isArray(raw) ? raw : (raw as { data?: unknown } | null)?.data;
    if (!Array.isArray(list))
      throw new Dhis2ClientError("GET /api/dataIntegrity: expected a JSON array of checks");
    return list.flatMap((item) => {
      const parsed = IntegrityCheck.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /**
   * Starts a data integrity run (`POST /api/dataIntegrity/summary` or `/details`): a
   * `DATA_INTEGRITY` / `DATA_INTEGRITY_DETAILS` job. Results reach the server's cache as each check
   * finishes; read them with {@link getIntegrityReport}.
   */
  async runIntegrityChecks(
    options: IntegrityChecksSelection & { details?: boolean } = {},
  ): Promise<WebMessageResponse> {
    const path = options.details ? "/api/dataIntegrity/details" : "/api/dataIntegrity/summary";
    const checks =
      (await this.resolveIntegrityChecks(checkNames(options.checks, "runIntegrityChecks"), options)) ?? [];
    const joined = checks.join(",");
    if (joined.length > MAX_CHECKS_IN_URL) return this.#kickoff(path, checks, {}, options.signal);
    return this.#kickoff(path, undefined, joined ? { checks: joined } : {}, options.signal);
  }

  /** The cached results of the last runs: `/details` (issues, default) or `/summary` (counts). */
  async getIntegrityReport(options: IntegrityReportOptions = {}): Promise<IntegrityReport> {
    const path = options.details === false ? "/api/dataIntegrity/summary" : "/api/dataIntegrity/details";
    const params: Params = {};
    const checks = await this.resolveIntegrityChecks(
      checkNames(options.checks, "getIntegrityReport"),
      options,
    );
    if (checks?.length) params.checks = checks.join(",");
    if (options.waitMs !== undefined) params.timeout = options.waitMs;
    return parseIntegrityReport(await this.#http.getRaw(path, { params, signal: options.signal }));
  }

  /**
   * Checks a selection against the server's catalog (`GET /api/dataIntegrity`, read once per
   * client and again when a selector misses it) and returns it as it will be sent: names and
   * codes as the catalog's names, `*` patterns verbatim. Throws a `QueryValidationError` naming
   * every selector that matches no check, with suggestions. `undefined` or `[]` (every non-slow
   * check) is returned unchanged without reading the catalog. The run and report methods call it.
   *
   * @example
   * ```ts
   * await client.maintenance.resolveIntegrityChecks(["OO", "orgunits_*"]); // ["orgunits_orphaned", "orgunits_*"]
   * ```
   */
  async resolveIntegrityChecks(
    checks: readonly string[] | undefined,
    options: { signal?: AbortSignal } = {},
  ): Promise<string[] | undefined> {
    const selectors = checkNames(checks, "resolveIntegrityChecks");
    if (!selectors || selectors.length === 0) return selectors;
    const fresh = this.#catalog === undefined;
    let catalog = await this.#readCatalog(options.signal);
    let resolved = resolveIntegritySelection(selectors, catalog);
    if (resolved.unknown.length > 0 && !fresh) {
      // Custom checks can appear while a long-lived client runs: look again before refusing.
      this.#catalog = undefined;
      catalog = await this.#readCatalog(options.signal);
      resolved = resolveIntegritySelection(selectors, catalog);
    }
    if (resolved.unknown.length > 0) throw unknownIntegrityChecksError(resolved.unknown, catalog);
    return resolved.checks;
  }

  #readCatalog(signal: AbortSignal | undefined): Promise<IntegrityCheck[]> {
    if (!this.#catalog) {
      const reading = this.listIntegrityChecks(signal ? { signal } : {});
      this.#catalog = reading;
      // A failed or aborted read is not kept: the next call reads again.
      reading.catch(() => {
        if (this.#catalog === reading) this.#catalog = undefined;
      });
    }
    return this.#catalog;
  }

  /**
   * Runs the checks, waits for the job and returns the fresh report: the three steps in one.
   *
   * @example
   * ```ts
   * const report = await client.maintenance.checkIntegrity({ checks: ["orgunits_orphaned"], details: true });
   * console.log(report.orgunits_orphaned?.issues?.length);
   * ```
   */
  async checkIntegrity(
    options: IntegrityReportOptions & Omit<AwaitCompletionOptions, "signal"> = {},
  ): Promise<IntegrityReport> {
    const details = options.details !== false;
    const kickoff = await this.runIntegrityChecks({
      checks: options.checks,
      details,
      signal: options.signal,
    });
    await this.awaitJob(kickoff, options);
    return this.getIntegrityReport({ ...options, details });
  }

  /**
   * Every issue of `/api/dataIntegrity/details` as a flat stream, tagged with its check's name,
   * display name and severity. Reads the server's cached results: run the checks first
   * (`runIntegrityChecks({ details: true })` + `awaitJob`, or `checkIntegrity`).
   *
   * @example
   * ```ts
   * for await (const row of client.maintenance.iterIntegrityIssues()) {
   *   if (row.severity === "WARNING") console.log(row.checkName, row.issue.id, row.issue.name);
   * }
   * ```
   */
  async *iterIntegrityIssues(
    options: IntegrityChecksSelection & { waitMs?: number } = {},
  ): AsyncGenerator<IntegrityIssueRow, void, undefined> {
    const report = await this.getIntegrityReport({ ...options, details: true });
    for (const [key, result] of Object.entries(report)) {
      for (const issue of result.issues ?? []) {
        options.signal?.throwIfAborted();
        yield {
          checkName: result.name || key,
          checkDisplayName: result.displayName ?? result.name ?? key,
          severity: result.severity,
          issue,
        };
      }
    }
  }

  async #kickoff(
    path: string,
    body: unknown,
    params: Params,
    signal: AbortSignal | undefined,
  ): Promise<WebMessageResponse> {
    return WebMessageResponse.parse(await this.#http.postRaw(path, body, { params, signal }));
  }
}

/**
 * The `client.maintenance` facade over any client with `getRaw`/`postRaw` and a {@link Tasks}.
 *
 * @example
 * ```ts
 * const maintenance = createMaintenance(client, createTasks(client));
 * await maintenance.refreshResourceTables();
 * ```
 */
export function createMaintenance(http: MaintenanceHttp, tasks: Tasks): Maintenance {
  return new Maintenance(http, tasks);
}
