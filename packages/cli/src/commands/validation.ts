/**
 * `d2w validation run|describe`: validation rule analysis over the stored data of an org unit
 * and everything below it, and DHIS2's description of an expression.
 */
import { describeExpression, runValidation } from "@dhis2w/core";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError, UserError } from "../errors.js";

const CONTEXTS = ["validationRule", "indicator", "predictor", "predictorSkipTest"] as const;

const run = defineCommand({
  meta: {
    name: "run",
    description: "Evaluate the validation rules (or a group's) and list the violations",
    examples: [
      "d2w validation run ImspTQPwCqd --start-date 2024-01-01 --end-date 2024-12-31",
      "d2w validation run ImspTQPwCqd --start-date 2024-01-01 --end-date 2024-03-31 --group RAsstekPRco --persist",
      "d2w --json validation run O6uvpzGd5pu --start-date 2024-01-01 --end-date 2024-01-31",
    ],
  },
  args: {
    orgUnit: {
      type: "positional",
      description: "org unit UID (everything below it is validated too)",
      required: true,
    },
    startDate: { type: "string", description: "first day (yyyy-MM-dd)", required: true, valueName: "date" },
    endDate: { type: "string", description: "last day (yyyy-MM-dd)", required: true, valueName: "date" },
    group: { type: "string", description: "only this validation rule group's rules", valueName: "uid" },
    persist: { type: "boolean", description: "store the violations as validation results" },
    maxResults: {
      type: "number",
      description: "stop after this many violations (DHIS2's default 500)",
      min: 1,
      valueName: "n",
    },
  },
  async run(args, ctx) {
    const result = await runValidation(
      await ctx.resolve(),
      {
        orgUnit: args.orgUnit,
        startDate: args.startDate,
        endDate: args.endDate,
        group: args.group,
        ...(args.persist ? { persist: true } : {}),
        maxResults: args.maxResults,
      },
      ctx.clientOptions(),
    );
    if (ctx.json) return ctx.printJson(result);
    const { violations } = result;
    if (violations.length === 0) {
      ctx.err("no violations");
      return;
    }
    ctx.printRows(violations, [
      { header: "PERIOD", value: (v) => v.period },
      { header: "ORG UNIT", value: (v) => v.orgUnitName ?? v.orgUnit },
      { header: "RULE", value: (v) => v.validationRule },
      { header: "LEFT", value: (v) => v.leftSideValue },
      { header: "OPERATOR", value: (v) => v.operator },
      { header: "RIGHT", value: (v) => v.rightSideValue },
      { header: "IMPORTANCE", value: (v) => v.importance },
    ]);
    ctx.err(
      result.truncated
        ? `${violations.length} violations: DHIS2 stopped at --max-results ${result.maxResults}, there may be more`
        : `${violations.length} violation${violations.length === 1 ? "" : "s"}`,
    );
  },
});

const describe = defineCommand({
  meta: {
    name: "describe",
    description: "Check an expression and describe it in words (DHIS2 names each item)",
    examples: [
      "d2w validation describe '#{fbfJHSPpUQD} + #{cYeuwXTCPkU}'",
      "d2w validation describe 'sum(#{fbfJHSPpUQD})' --context predictor",
    ],
  },
  args: {
    expression: { type: "positional", description: "the expression", required: true },
    context: {
      type: "string",
      description: "what kind of expression",
      choices: CONTEXTS,
      default: "validationRule",
    },
  },
  async run(args, ctx) {
    let result: Awaited<ReturnType<typeof describeExpression>>;
    try {
      result = await describeExpression(
        await ctx.resolve(),
        args.expression,
        { context: args.context as (typeof CONTEXTS)[number] },
        ctx.clientOptions(),
      );
    } catch (error) {
      const pointer = (error as { pointer?: () => string }).pointer;
      if ((error as Error).name === "ExpressionSyntaxError" && typeof pointer === "function") {
        throw new UsageError(`${(error as Error).message}\n${pointer.call(error)}`, { cause: error });
      }
      throw error;
    }
    if (ctx.json) return ctx.printJson(result);
    if (!result.valid) throw new UserError(`DHIS2: ${result.message}`);
    ctx.out(result.description ?? "");
  },
});

export default defineGroup({
  meta: { name: "validation", description: "Run validation rules; describe expressions" },
  subCommands: [run, describe],
});
