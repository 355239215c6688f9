/**
 * The expression description endpoints: `POST /api/validationRules/expression/description`,
 * `POST /api/indicators/expression/description`, `GET /api/expressions/description?expression=`
 * (indicator syntax), `POST /api/predictors/expression/description` and
 * `POST /api/predictors/skipTest/description`. The expression is the raw request body (Spring's
 * `@RequestBody String`: a JSON-quoted string arrives with its quotes). The answer is always 200,
 * a `DescriptiveWebMessage`: `status` OK with `message` "Valid" and the `description` (each item
 * replaced by its object's name), or `status` ERROR with "Expression is not well-formed" and no
 * description, whatever the reason (dhis2-core 2.41-2.43 `ValidationRuleController`,
 * `IndicatorController`, `ExpressionController`, `PredictorController`: `expressionIsValid` turns
 * every `IllegalStateException` into EXPRESSION_IS_NOT_WELL_FORMED, i18n "Expression is not
 * well-formed").
 */
import {
  CONTEXT_DATA_TYPES,
  type ExpressionContext,
  ExpressionSyntaxError,
  parseExpression,
} from "@dhis2w/client";
import type { EmulatorApp } from "../app.js";
import type { Ctx } from "../ctx.js";
import { HttpError } from "../web-message.js";
import { describeExpressionText, ExpressionEvaluationError } from "./evaluate.js";
import { describeEnvFor } from "./items.js";

/** The outcome DHIS2 reports for an expression: its description, or why not. */
export type DescribeOutcome = { valid: true; description: string } | { valid: false; reason: string };

/**
 * Checks and describes an expression against the metadata store, as the endpoints do.
 *
 * @example
 * describeStored(app, "#{fbfJHSPpUQD}*2", "validationRule"); // { valid: true, description: "ANC 1st visit*2" }
 */
export function describeStored(
  app: EmulatorApp,
  source: string,
  context: ExpressionContext,
): DescribeOutcome {
  try {
    const parsed = parseExpression(source, { context });
    const md = app.state.metadata;
    const description = describeExpressionText(
      source,
      parsed.root,
      describeEnvFor(md, context),
      CONTEXT_DATA_TYPES[context],
    );
    return { valid: true, description };
  } catch (error) {
    if (error instanceof ExpressionSyntaxError || error instanceof ExpressionEvaluationError) {
      return { valid: false, reason: error.message };
    }
    throw error;
  }
}

function answer(ctx: Ctx, outcome: DescribeOutcome): void {
  if (outcome.valid) ctx.webMessage(200, "Valid", { description: outcome.description });
  else ctx.webMessage(200, "Expression is not well-formed", { status: "ERROR" });
}

async function fromBody(ctx: Ctx, context: ExpressionContext): Promise<void> {
  const source = await ctx.bodyText();
  if (source === "") {
    throw new HttpError(
      400,
      `Required request body is missing: public org.hisp.dhis.dxf2.webmessage.WebMessage getExpressionDescription(java.lang.String)`,
    );
  }
  answer(ctx, describeStored(ctx.app, source, context));
}

/** Registers the description endpoints (called by the validation module). */
export function installDescriptionRoutes(app: EmulatorApp): void {
  const routes: readonly [string, ExpressionContext][] = [
    ["/api/validationRules/expression/description", "validationRule"],
    ["/api/indicators/expression/description", "indicator"],
    ["/api/predictors/expression/description", "predictor"],
    ["/api/predictors/skipTest/description", "predictorSkipTest"],
  ];
  // priority 1: these literal paths must beat the metadata module's /api/:resource/:id/:property.
  for (const [path, context] of routes) app.post(path, (ctx) => fromBody(ctx, context), { priority: 1 });
  app.get(
    "/api/expressions/description",
    (ctx) => {
      const source = ctx.query.get("expression");
      if (source === null) {
        throw new HttpError(
          400,
          "Required request parameter 'expression' for method parameter type String is not present",
        );
      }
      answer(ctx, describeStored(ctx.app, source, "indicator"));
    },
    { priority: 1 },
  );
}
