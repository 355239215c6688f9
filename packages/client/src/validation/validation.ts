/**
 * `client.validation`: validation rule analysis (`POST /api/dataAnalysis/validationRules`,
 * dhis2-core `DataAnalysisController`) and expression checks (`POST
 * /api/{validationRules|indicators|predictors}/expression/description`, `POST
 * /api/predictors/skipTest/description`). One implementation serves 2.41-2.43: the request and
 * the `ValidationResultView` answer are the same there.
 *
 * Inputs DHIS2 would silently get wrong are refused first: a date it cannot read (it validates
 * nothing and answers `[]`), an end before the start (the same), a validation rule group that
 * does not exist (it validates every rule instead), and an expression its parser would refuse
 * (its answer only says "not well-formed"; {@link ExpressionSyntaxError} says where).
 */
import { WebMessageResponse } from "../envelopes/web-message.js";
import { Dhis2ClientError } from "../errors.js";
import { EXPRESSION_CONTEXTS, type ExpressionContext } from "../expressions/contexts.js";
import { parseExpression } from "../expressions/parser.js";
import { formatIssues } from "../standard-schema.js";
import { ValidationInputError } from "./errors.js";
import { checkDateRange, checkUid, type DhisDate, type ExistenceHttp, requireObject } from "./inputs.js";
import {
  type ExpressionDescription,
  toViolation,
  ValidationResultView,
  type ValidationViolation,
} from "./schemas.js";

/** What {@link Validation} needs from a client; `Dhis2Client` satisfies it. */
export interface ValidationHttp extends ExistenceHttp {
  request(
    method: string,
    path: string,
    options?: {
      body?: unknown;
      headers?: Readonly<Record<string, string>>;
      params?: Record<string, string>;
      signal?: AbortSignal;
    },
  ): Promise<object>;
}

/** Options of {@link Validation.run}. */
export interface ValidationRunOptions {
  /** The org unit to validate; every org unit below it is validated too. */
  readonly orgUnit: string;
  /** First day (`yyyy-MM-dd` or a `Date`): periods starting on or after it. */
  readonly startDate: DhisDate;
  /** Last day: periods ending on or before it. */
  readonly endDate: DhisDate;
  /** A validation rule group's UID: only its rules (default: every rule). */
  readonly group?: string;
  /** Store the violations as validation results (`/api/validationResults`). */
  readonly persist?: boolean;
  /**
   * Stop after this many violations (DHIS2's default 500; the server refuses more than its
   * `keyDataQualityMaxLimit` setting). Stored results of earlier persisted runs count too.
   */
  readonly maxResults?: number;
  readonly signal?: AbortSignal;
}

/** Options of {@link Validation.describeExpression}. */
export interface DescribeExpressionOptions {
  /** Which kind of expression (default `validationRule`): it decides what it may contain. */
  readonly context?: ExpressionContext;
  readonly signal?: AbortSignal;
}

const DESCRIPTION_PATHS: Readonly<Record<ExpressionContext, string>> = {
  validationRule: "/api/validationRules/expression/description",
  indicator: "/api/indicators/expression/description",
  predictor: "/api/predictors/expression/description",
  predictorSkipTest: "/api/predictors/skipTest/description",
};

const fail = (message: string, field: string, value: unknown) =>
  new ValidationInputError(message, field as ValidationInputError["field"], value);

/**
 * Validation rule analysis and expression descriptions.
 *
 * @example
 * ```ts
 * const violations = await client.validation.run({ orgUnit: "ImspTQPwCqd", startDate: "2024-01-01", endDate: "2024-12-31" });
 * for (const v of violations) console.log(v.validationRule, v.period, v.orgUnit, v.leftSideValue, v.operator, v.rightSideValue);
 * const { valid, description } = await client.validation.describeExpression("#{fbfJHSPpUQD}*2");
 * ```
 */
export class Validation {
  readonly #http: ValidationHttp;

  constructor(http: ValidationHttp) {
    this.#http = http;
  }

  /**
   * Evaluates the stored validation rules (or a group's) over the stored data of an org unit and
   * everything below it, in the periods between the dates, and returns the violations, sorted by
   * period. With `persist: true` DHIS2 also stores them; stored results of earlier runs for the
   * same rules, periods and org units come back as well.
   *
   * @example
   * ```ts
   * const violations = await client.validation.run({
   *   orgUnit: "ImspTQPwCqd", startDate: "2024-01-01", endDate: "2024-03-31", group: "RAsstekPRco", persist: true,
   * });
   * ```
   */
  async run(options: ValidationRunOptions): Promise<ValidationViolation[]> {
    const where = "validation.run";
    if (!options || typeof options !== "object")
      throw fail(`${where}: give { orgUnit, startDate, endDate }`, "orgUnit", options);
    const orgUnit = checkUid(options.orgUnit, "orgUnit", "organisation unit", where, fail);
    const { startDate, endDate } = checkDateRange(options.startDate, options.endDate, where, fail);
    const group =
      options.group === undefined
        ? undefined
        : checkUid(options.group, "group", "validation rule group", where, fail);
    const { maxResults } = options;
    if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1)) {
      throw fail(
        `${where}: maxResults must be a positive integer (got ${String(maxResults)})`,
        "maxResults",
        maxResults,
      );
    }
    const { signal } = options;
    await Promise.all([
      requireObject(this.#http, "organisationUnits", orgUnit, "organisation unit", where, signal),
      group
        ? requireObject(this.#http, "validationRuleGroups", group, "validation rule group", where, signal)
        : undefined,
    ]);
    const raw = await this.#http.request("POST", "/api/dataAnalysis/validationRules", {
      body: {
        ou: orgUnit,
        startDate,
        endDate,
        ...(group ? { vrg: group } : {}),
        persist: options.persist === true,
        notification: false,
        ...(maxResults !== undefined ? { maxResults } : {}),
      },
      ...(signal ? { signal } : {}),
    });
    const list = (raw as { data?: unknown }).data;
    const parsed = ValidationResultView.array().safeParse(list);
    if (!parsed.success) {
      throw new Dhis2ClientError(
        `POST /api/dataAnalysis/validationRules: the answer is not a list of validation results (${formatIssues(parsed.error.issues)})`,
      );
    }
    return parsed.data.map(toViolation);
  }

  /**
   * Checks an expression and describes it in words: DHIS2 replaces each item with its object's
   * name (`#{fbfJHSPpUQD}*2` -> `ANC 1st visit*2`). An expression that names an object the server
   * does not have comes back `{ valid: false, message: "Expression is not well-formed" }`; one
   * whose syntax DHIS2 would refuse, or that uses what the context does not allow (`sum(` outside
   * predictors), throws an {@link ExpressionSyntaxError} naming the position, before any request.
   *
   * @example
   * ```ts
   * const d = await client.validation.describeExpression("sum(#{fbfJHSPpUQD})", { context: "predictor" });
   * if (d.valid) console.log(d.description); else console.log(d.message);
   * ```
   */
  async describeExpression(
    expression: string,
    options: DescribeExpressionOptions = {},
  ): Promise<ExpressionDescription> {
    const where = "validation.describeExpression";
    const context = options.context ?? "validationRule";
    if (!EXPRESSION_CONTEXTS.includes(context)) {
      throw fail(
        `${where}: context must be one of ${EXPRESSION_CONTEXTS.join(", ")} (got ${String(context)})`,
        "context",
        context,
      );
    }
    if (typeof expression !== "string" || expression.trim() === "") {
      throw fail(
        `${where}: give an expression (got ${JSON.stringify(expression)})`,
        "expression",
        expression,
      );
    }
    parseExpression(expression, { context });
    const raw = await this.#http.request("POST", DESCRIPTION_PATHS[context], {
      body: expression,
      headers: { "content-type": "text/plain; charset=utf-8" },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const msg = WebMessageResponse.parse(raw);
    const description = (raw as { description?: unknown }).description;
    const valid = msg.status === "OK";
    return {
      valid,
      ...(valid && typeof description === "string" ? { description } : {}),
      message: msg.message ?? (valid ? "Valid" : "Expression is not well-formed"),
    };
  }
}

/**
 * Builds `client.validation` over any client with `request` and `getRaw`.
 *
 * @example
 * ```ts
 * const validation = createValidation(client);
 * ```
 */
export function createValidation(http: ValidationHttp): Validation {
  return new Validation(http);
}
