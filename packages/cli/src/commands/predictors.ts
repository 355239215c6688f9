/**
 * `d2w predictors run`: runs every predictor, one (`--predictor`) or a group's (`--group`) over
 * the periods between two dates, and prints DHIS2's count.
 */
import { runPredictors } from "@dhis2w/core";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError } from "../errors.js";

const run = defineCommand({
  meta: {
    name: "run",
    description: "Run predictors and store their predictions as data values",
    examples: [
      "d2w predictors run --start-date 2024-01-01 --end-date 2024-12-31",
      "d2w predictors run --predictor PmyBVCmBBDx --start-date 2024-04-01 --end-date 2024-04-30",
      "d2w predictors run --group zlOzTpzPUrE --start-date 2024-01-01 --end-date 2024-03-31 --json",
    ],
  },
  args: {
    startDate: { type: "string", description: "first day (yyyy-MM-dd)", required: true, valueName: "date" },
    endDate: { type: "string", description: "last day (yyyy-MM-dd)", required: true, valueName: "date" },
    predictor: { type: "string", description: "only this predictor", valueName: "uid" },
    group: { type: "string", description: "only this predictor group's predictors", valueName: "uid" },
  },
  async run(args, ctx) {
    if (args.predictor !== undefined && args.group !== undefined) {
      throw new UsageError("predictors run: give --predictor or --group, not both");
    }
    const result = await runPredictors(
      await ctx.resolve(),
      {
        startDate: args.startDate,
        endDate: args.endDate,
        predictor: args.predictor,
        group: args.group,
      },
      ctx.clientOptions(),
    );
    if (ctx.json) return ctx.printJson(result);
    ctx.out(result.message);
  },
});

export default defineGroup({
  meta: { name: "predictors", description: "Run predictors" },
  subCommands: [run],
});
