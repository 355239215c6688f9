import { Dhis2ClientError } from "../errors.js";

/**
 * A validation run or expression check DHIS2 would get wrong, refused before any request: an
 * org unit or group that is not a UID, a date that is not a date (DHIS2 reads it as none and
 * silently validates nothing), an end before the start, a `maxResults` that is not a positive
 * integer, an empty expression, an unknown context. `field` says which input.
 *
 * @example
 * ```ts
 * try { await client.validation.run({ orgUnit: "ImspTQPwCqd", startDate: "2024-13-01", endDate: "2024-12-31" }); }
 * catch (e) { if (e instanceof ValidationInputError) console.error(e.field, e.message); }
 * ```
 */
export class ValidationInputError extends Dhis2ClientError {
  override readonly name: string = "ValidationInputError";

  constructor(
    message: string,
    /** Which input was refused. */
    readonly field: "orgUnit" | "startDate" | "endDate" | "group" | "maxResults" | "expression" | "context",
    /** The value as given. */
    readonly value: unknown,
  ) {
    super(message);
  }
}

/**
 * An object a run names does not exist on the server (checked before the run, because DHIS2
 * would not say so: an unknown validation rule group validates every rule, an unknown predictor
 * group predicts nothing, an unknown predictor fails with a 500). `resource` is DHIS2's plural
 * (`validationRuleGroups`, `organisationUnits`, `predictors`, `predictorGroups`).
 *
 * @example
 * ```ts
 * try { await client.predictors.runGroup("Xyz01234567", { startDate: "2024-01-01", endDate: "2024-03-31" }); }
 * catch (e) { if (e instanceof UnknownObjectError) console.error(`${e.resource}/${e.uid} does not exist`); }
 * ```
 */
export class UnknownObjectError extends Dhis2ClientError {
  override readonly name: string = "UnknownObjectError";

  constructor(
    message: string,
    readonly resource: string,
    readonly uid: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
