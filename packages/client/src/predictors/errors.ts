import { Dhis2ClientError } from "../errors.js";

/**
 * A predictor run refused before any request: a date that is not a date, an end before the
 * start, a predictor or group that is not a UID. `field` says which input.
 *
 * @example
 * ```ts
 * try { await client.predictors.run({ startDate: "2024-03-31", endDate: "2024-01-01" }); }
 * catch (e) { if (e instanceof PredictorInputError) console.error(e.field, e.message); }
 * ```
 */
export class PredictorInputError extends Dhis2ClientError {
  override readonly name: string = "PredictorInputError";

  constructor(
    message: string,
    /** Which input was refused. */
    readonly field: "startDate" | "endDate" | "predictor" | "group",
    /** The value as given. */
    readonly value: unknown,
  ) {
    super(message);
  }
}
