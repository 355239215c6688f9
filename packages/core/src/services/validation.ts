/**
 * Validation and predictor services shared by the CLI (`d2w validation run|describe`,
 * `d2w predictors run`) and the MCP server (`validation_run`).
 */
import {
  type DescribeExpressionOptions,
  type ExpressionDescription,
  type PredictionRun,
  PredictorInputError,
  type PredictorRunOptions,
  type ValidationRunOptions,
  type ValidationViolation,
} from "@dhis2w/client";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/** DHIS2's default `maxResults` of a validation run (`ValidationService.MAX_INTERACTIVE_ALERTS`). */
export const DEFAULT_VALIDATION_MAX_RESULTS = 500;

/** What {@link runValidation} found. */
export interface ValidationRunResult {
  readonly violations: ValidationViolation[];
  /** The cap the run had (`maxResults`, default 500). */
  readonly maxResults: number;
  /** True when the run reached the cap: DHIS2 stopped looking, there may be more. */
  readonly truncated: boolean;
}

/**
 * Runs validation rule analysis (`client.validation.run`) and says whether DHIS2 stopped at the cap.
 *
 * @example
 * ```ts
 * const { violations, truncated } = await runValidation(resolveProfile(), {
 *   orgUnit: "ImspTQPwCqd", startDate: "2024-01-01", endDate: "2024-12-31",
 * });
 * ```
 */
export function runValidation(
  target: ServiceTarget,
  run: Omit<ValidationRunOptions, "signal"> & { signal?: AbortSignal },
  options?: ServiceOptions,
): Promise<ValidationRunResult> {
  return withClient(
    target,
    async (client) => {
      const violations = await client.validation.run(run);
      const maxResults = run.maxResults ?? DEFAULT_VALIDATION_MAX_RESULTS;
      return { violations, maxResults, truncated: violations.length >= maxResults };
    },
    options,
  );
}

/**
 * Checks and describes an expression (`client.validation.describeExpression`).
 *
 * @example
 * ```ts
 * const { valid, description } = await describeExpression(resolveProfile(), "#{fbfJHSPpUQD}*2");
 * ```
 */
export function describeExpression(
  target: ServiceTarget,
  expression: string,
  describe: DescribeExpressionOptions = {},
  options?: ServiceOptions,
): Promise<ExpressionDescription> {
  return withClient(target, (client) => client.validation.describeExpression(expression, describe), options);
}

/** Which predictors {@link runPredictors} runs: one, a group's, or (neither given) all. */
export interface PredictorSelection extends PredictorRunOptions {
  readonly predictor?: string;
  readonly group?: string;
}

/**
 * Runs predictors: one (`predictor`), a group's (`group`), or every one.
 *
 * @example
 * ```ts
 * const { predictions } = await runPredictors(resolveProfile(), { startDate: "2024-01-01", endDate: "2024-03-31" });
 * ```
 */
export async function runPredictors(
  target: ServiceTarget,
  selection: PredictorSelection,
  options?: ServiceOptions,
): Promise<PredictionRun> {
  const { predictor, group, ...dates } = selection;
  if (predictor !== undefined && group !== undefined) {
    throw new PredictorInputError("runPredictors: give a predictor or a group, not both", "group", group);
  }
  return withClient(
    target,
    (client) => {
      if (predictor !== undefined) return client.predictors.runOne(predictor, dates);
      if (group !== undefined) return client.predictors.runGroup(group, dates);
      return client.predictors.run(dates);
    },
    options,
  );
}
