/**
 * `client.predictors`: runs predictors (`POST /api/predictors/run`, `/api/predictors/{uid}/run`,
 * `/api/predictorGroups/{uid}/run`, dhis2-core `PredictorController` and
 * `PredictorGroupController`). DHIS2 answers a WebMessage "Generated N predictions" on 2.41-2.43;
 * the count is inserted + updated + unchanged values. Dates are checked first (2.43 refuses an
 * end before the start, 2.41 and 2.42 quietly predict nothing), and the predictor or group a run
 * names must exist (DHIS2 answers a 500 for an unknown predictor and predicts nothing for an
 * unknown group).
 */
import { WebMessageResponse } from "../envelopes/web-message.js";
import { Dhis2ClientError } from "../errors.js";
import {
  checkDateRange,
  checkUid,
  type DhisDate,
  type ExistenceHttp,
  requireObject,
} from "../validation/inputs.js";
import { PredictorInputError } from "./errors.js";

/** What {@link Predictors} needs from a client; `Dhis2Client` satisfies it. */
export interface PredictorsHttp extends ExistenceHttp {
  postRaw(
    path: string,
    body?: unknown,
    options?: { params?: Record<string, string>; signal?: AbortSignal },
  ): Promise<object>;
}

/** The period a run predicts for: every period of each predictor's type lying wholly between the dates. */
export interface PredictorRunOptions {
  readonly startDate: DhisDate;
  readonly endDate: DhisDate;
  readonly signal?: AbortSignal;
}

/** What a run did. */
export interface PredictionRun {
  /** Values predicted: inserted, updated, or found unchanged. */
  readonly predictions: number;
  /** DHIS2's words, e.g. "Generated 12 predictions". */
  readonly message: string;
}

const fail = (message: string, field: string, value: unknown) =>
  new PredictorInputError(message, field as PredictorInputError["field"], value);

/**
 * Predictor runs.
 *
 * @example
 * ```ts
 * const { predictions } = await client.predictors.run({ startDate: "2024-01-01", endDate: "2024-12-31" });
 * await client.predictors.runOne("PmyBVCmBBDx", { startDate: "2024-04-01", endDate: "2024-04-30" });
 * ```
 */
export class Predictors {
  readonly #http: PredictorsHttp;

  constructor(http: PredictorsHttp) {
    this.#http = http;
  }

  async #run(path: string, options: PredictorRunOptions, where: string): Promise<PredictionRun> {
    const { startDate, endDate } = checkDateRange(options?.startDate, options?.endDate, where, fail);
    const raw = await this.#http.postRaw(path, undefined, {
      params: { startDate, endDate },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const message = WebMessageResponse.parse(raw).message ?? "";
    const n = /^Generated (\d+) predictions?$/.exec(message)?.[1];
    if (n === undefined)
      throw new Dhis2ClientError(`POST ${path}: unexpected answer ${JSON.stringify(message)}`);
    return { predictions: Number(n), message };
  }

  /**
   * Runs every predictor of the server, in the server's order; DHIS2 stops at the first that
   * fails (a 409 "Unable to predict <name>"), after writing what the earlier ones predicted.
   *
   * @example
   * ```ts
   * const { predictions } = await client.predictors.run({ startDate: "2024-01-01", endDate: "2024-03-31" });
   * ```
   */
  run(options: PredictorRunOptions): Promise<PredictionRun> {
    return this.#run("/api/predictors/run", options, "predictors.run");
  }

  /**
   * Runs one predictor.
   *
   * @example
   * ```ts
   * await client.predictors.runOne("PmyBVCmBBDx", { startDate: "2024-01-01", endDate: "2024-01-31" });
   * ```
   */
  async runOne(uid: string, options: PredictorRunOptions): Promise<PredictionRun> {
    const where = "predictors.runOne";
    const id = checkUid(uid, "predictor", "predictor", where, fail);
    checkDateRange(options?.startDate, options?.endDate, where, fail);
    await requireObject(this.#http, "predictors", id, "predictor", where, options.signal);
    return this.#run(`/api/predictors/${id}/run`, options, where);
  }

  /**
   * Runs the predictors of a predictor group.
   *
   * @example
   * ```ts
   * await client.predictors.runGroup("zlOzTpzPUrE", { startDate: "2024-01-01", endDate: "2024-12-31" });
   * ```
   */
  async runGroup(uid: string, options: PredictorRunOptions): Promise<PredictionRun> {
    const where = "predictors.runGroup";
    const id = checkUid(uid, "group", "predictor group", where, fail);
    checkDateRange(options?.startDate, options?.endDate, where, fail);
    await requireObject(this.#http, "predictorGroups", id, "predictor group", where, options.signal);
    return this.#run(`/api/predictorGroups/${id}/run`, options, where);
  }
}

/**
 * Builds `client.predictors` over any client with `postRaw` and `getRaw`.
 *
 * @example
 * ```ts
 * const predictors = createPredictors(client);
 * ```
 */
export function createPredictors(http: PredictorsHttp): Predictors {
  return new Predictors(http);
}
