/**
 * Predictors: plants a predictor that forecasts a month's ANC 1st visits as the average of the
 * three months before, runs it for April, and reads the predicted values back as data values;
 * a re-run counts them again (unchanged), and a date that is not a date is refused first.
 *
 * Against DHIS2_URL (+ credentials) it only lists the server's predictors (running them writes
 * data values); against the embedded emulator it plants and runs:
 *
 *   npx tsx --conditions=source examples/predictors.ts
 */
import { generateUid, openClient, PredictorInputError } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

type List<K extends string> = Record<K, { id: string; name?: string; level?: number }[]>;

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    if (!target.embedded) {
      const list = await client.getRaw<List<"predictors">>("/api/predictors", {
        params: { fields: "id,name", paging: "false" },
      });
      console.log(`${list.predictors.length} predictors: ${list.predictors.map((p) => p.name).join(", ")}`);
      return;
    }
    const anc1 = (
      await client.getRaw<List<"dataElements">>("/api/dataElements", {
        params: { filter: "code:eq:DE_ANC1", fields: "id" },
      })
    ).dataElements[0]?.id as string;
    const facilities = (
      await client.getRaw<List<"organisationUnits">>("/api/organisationUnits", {
        params: { filter: "level:eq:4", fields: "id", pageSize: 3 },
      })
    ).organisationUnits;
    const levels = await client.getRaw<List<"organisationUnitLevels">>("/api/organisationUnitLevels", {
      params: { fields: "id,level", paging: "false" },
    });
    let level = levels.organisationUnitLevels.find((l) => l.level === 4)?.id;
    const forecast = generateUid();
    const predictor = generateUid();
    level ??= generateUid();
    await client.metadata.import({
      ...(levels.organisationUnitLevels.some((l) => l.id === level)
        ? {}
        : { organisationUnitLevels: [{ id: level, name: "Facility", level: 4 }] }),
      dataElements: [
        {
          id: forecast,
          name: "ANC 1st visit forecast",
          shortName: "ANC 1 forecast",
          valueType: "NUMBER",
          domainType: "AGGREGATE",
          aggregationType: "SUM",
          categoryCombo: { id: "bjDvmb4bfuf" },
        },
      ],
      predictors: [
        {
          id: predictor,
          name: "ANC 1st visit forecast",
          shortName: "ANC 1 forecast",
          output: { id: forecast },
          periodType: "Monthly",
          generator: { expression: `avg(#{${anc1}})`, missingValueStrategy: "SKIP_IF_ALL_VALUES_MISSING" },
          organisationUnitLevels: [{ id: level }],
          organisationUnitDescendants: "DESCENDANTS",
          sequentialSampleCount: 3,
          annualSampleCount: 0,
        },
      ],
    });
    await client.dataValues.import({
      dataValues: facilities.flatMap((ou, i) =>
        ["202401", "202402", "202403"].map((period, m) => ({
          dataElement: anc1,
          period,
          orgUnit: ou.id,
          value: String(10 * (i + 1) + m),
        })),
      ),
    });
    console.log(`planted a predictor and three months of ANC data at ${facilities.length} facilities`);

    const april = { startDate: "2024-04-01", endDate: "2024-04-30" };
    const run = await client.predictors.runOne(predictor, april);
    console.log(`runOne: ${run.message}`);
    for (const ou of facilities) {
      console.log(
        `  April forecast at ${ou.id}: ${await client.dataValues.get({ de: forecast, pe: "202404", ou: ou.id })}`,
      );
    }
    console.log(
      `run all again: ${(await client.predictors.run(april)).predictions} predictions (unchanged ones count)`,
    );
    try {
      await client.predictors.run({ startDate: "2024-04-31", endDate: "2024-05-31" });
    } catch (e) {
      if (!(e instanceof PredictorInputError)) throw e;
      console.log(`refused before any request: ${e.message}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
