/**
 * DHIS2's expression, validation and predictor semantics as the emulator reproduces them
 * (dhis2-core 2.41-2.43): the evaluator on its own, then the endpoints over `emu.fetch`.
 */
import { type ItemNode, parseExpression } from "@dhis2w/client";
import { describe, expect, it } from "vitest";
import { type EvaluationEnv, evaluateExpression, type Value } from "../src/validation/evaluate.js";
import { call, useEmulator } from "./emulator-helpers.js";

const A = "aaaaaaaaaa1";
const B = "bbbbbbbbbb1";

function evaluate(
  source: string,
  values: Record<string, Value>,
  opts: Partial<EvaluationEnv> & { context?: "validationRule" | "predictor" | "predictorSkipTest" } = {},
): Value {
  const { context = "validationRule", ...env } = opts;
  const item = (vals: Record<string, Value>) => (node: ItemNode) => ({
    value: vals[node.uid0] ?? null,
    valueType: "number" as const,
  });
  return evaluateExpression(parseExpression(source, { context }).root, {
    item: item(values),
    constant: (uid) => (uid === "ccccccccc11" ? 2.5 : undefined),
    missingValueStrategy: "SKIP_IF_ALL_VALUES_MISSING",
    dataType: context === "predictorSkipTest" ? "BOOLEAN" : "NUMERIC",
    ...env,
  });
}

describe("the expression evaluator", () => {
  it("computes like BigDecimal, and division by zero gives NaN", () => {
    expect(evaluate("0.1 + 0.2", {})).toBe(0.3);
    expect(evaluate("1 / 3", {})).toBe(0.3333333333333333);
    expect(evaluate("-7 % 3", {})).toBe(-1);
    expect(evaluate("2 ^ 10 + C{ccccccccc11}", {})).toBe(1026.5);
    expect(evaluate(`#{${A}} / 0`, { [A]: 4 })).toBeNaN();
  });

  it("applies the missing value strategies to the items found", () => {
    const sum = `#{${A}} + #{${B}}`;
    expect(evaluate(sum, { [A]: 5 }, { missingValueStrategy: "SKIP_IF_ALL_VALUES_MISSING" })).toBe(5);
    expect(evaluate(sum, {}, { missingValueStrategy: "SKIP_IF_ALL_VALUES_MISSING" })).toBeNull();
    expect(evaluate(sum, { [A]: 5 }, { missingValueStrategy: "SKIP_IF_ANY_VALUE_MISSING" })).toBeNull();
    expect(evaluate(sum, {}, { missingValueStrategy: "NEVER_SKIP" })).toBe(0);
    // isNull, isNotNull and firstNonNull look at items without counting them.
    expect(evaluate(`firstNonNull(#{${A}}, 7)`, {})).toBe(7);
    expect(evaluate(`if(isNull(#{${A}}), 1, 2)`, {})).toBe(1);
    expect(evaluate(`if(#{${A}} > 3, 1, 0)`, { [A]: 4 })).toBe(1);
    // removeZeros turns 0 into no value, and stops nulls being replaced.
    expect(evaluate(`removeZeros(#{${A}})`, { [A]: 0 }, { missingValueStrategy: "NEVER_SKIP" })).toBeNull();
  });

  it("treats a boolean where a number is needed as DHIS2 does: the whole expression is 0", () => {
    expect(evaluate(`#{${A}} > 3`, { [A]: 4 })).toBe(0);
    expect(evaluate(`#{${A}} > 3 && #{${B}} < 2`, { [A]: 4, [B]: 1 }, { context: "predictorSkipTest" })).toBe(
      true,
    );
    expect(evaluate(`greatest(#{${A}}, #{${B}}, 3) + least(1, 2)`, { [A]: 9 })).toBe(10);
  });

  it("aggregates over sample periods, skipping samples by the missing value strategy", () => {
    const samples = [{ [A]: 1 }, { [A]: 5, [B]: 2 }, {}, { [A]: 3 }].map((vals) => (node: ItemNode) => ({
      value: vals[node.uid0 as keyof typeof vals] ?? null,
      valueType: "number" as const,
    }));
    const run = (
      src: string,
      missingValueStrategy: EvaluationEnv["missingValueStrategy"] = "SKIP_IF_ALL_VALUES_MISSING",
    ) => evaluate(src, {}, { context: "predictor", samples, missingValueStrategy });
    expect(run(`sum(#{${A}})`)).toBe(9);
    expect(run(`avg(#{${A}})`)).toBe(3);
    expect(run(`count(#{${A}})`)).toBe(3);
    expect(run(`max(#{${A}}) - min(#{${A}})`)).toBe(4);
    expect(run(`median(#{${A}})`)).toBe(3);
    expect(run(`percentileCont(0.25, #{${A}})`)).toBe(2);
    expect(run(`stddev(#{${A}})`)).toBe(2);
    expect(run(`sum(#{${A}} + #{${B}})`, "SKIP_IF_ANY_VALUE_MISSING")).toBe(7);
    expect(run(`sum(#{${A}})`, "NEVER_SKIP")).toBe(9);
    expect(run(`count(#{${A}})`, "NEVER_SKIP")).toBe(4);
  });
});

const json = { "content-type": "application/json" };
const DEFAULT_COMBO = { id: "bjDvmb4bfuf" };

describe("validation and predictors over HTTP", () => {
  const start = useEmulator();

  async function setup(version: "v41" | "v42" | "v43" = "v42") {
    const emu = await start({ version, seed: "demo" });
    const ous = (await (
      await call(emu, "/api/organisationUnits?filter=level:eq:4&fields=id&paging=false&order=name:asc")
    ).json()) as {
      organisationUnits: { id: string }[];
    };
    const facility = ous.organisationUnits[0]?.id as string;
    const de = (id: string, name: string, extra: object = {}) => ({
      id,
      name,
      shortName: name,
      valueType: "NUMBER",
      domainType: "AGGREGATE",
      aggregationType: "SUM",
      categoryCombo: DEFAULT_COMBO,
      ...extra,
    });
    const bundle = {
      dataElements: [de(A, "Alpha"), de(B, "Beta"), de("ddddddddd11", "Delta", { zeroIsSignificant: true })],
      constants: [{ id: "ccccccccc11", name: "Two and a half", shortName: "2.5", value: 2.5 }],
      validationRules: [
        {
          id: "vvvvvvvvv11",
          name: "Alpha at most ten",
          operator: "less_than_or_equal_to",
          periodType: "Monthly",
          leftSide: { expression: `#{${A}}`, missingValueStrategy: "SKIP_IF_ALL_VALUES_MISSING" },
          rightSide: { expression: "10", missingValueStrategy: "NEVER_SKIP" },
        },
      ],
      organisationUnitLevels: [{ id: "lllllllll14", name: "Facility", level: 4 }],
    };
    expect(
      (await call(emu, "/api/metadata", { method: "POST", headers: json, body: JSON.stringify(bundle) }))
        .status,
    ).toBe(200);
    const values = (rows: [string, string, string][]) =>
      call(emu, "/api/dataValueSets", {
        method: "POST",
        headers: json,
        body: JSON.stringify({
          dataValues: rows.map(([dataElement, period, value]) => ({
            dataElement,
            period,
            orgUnit: facility,
            value,
          })),
        }),
      });
    return { emu, facility, values };
  }

  const analyse = async (
    emu: Awaited<ReturnType<typeof setup>>["emu"],
    body: object,
    headers: Record<string, string> = {},
  ) =>
    call(emu, "/api/dataAnalysis/validationRules", {
      method: "POST",
      headers: { ...json, ...headers },
      body: JSON.stringify(body),
    });

  it("describes with names, and answers ERROR for what DHIS2 cannot read, a JSON-quoted body included", async () => {
    const { emu } = await setup();
    const describe = async (body: string, path = "/api/validationRules/expression/description") =>
      (await call(emu, path, { method: "POST", headers: { "content-type": "text/plain" }, body })).json();
    expect(await describe(`#{${A}} * C{ccccccccc11} + [days]`)).toEqual({
      httpStatus: "OK",
      httpStatusCode: 200,
      status: "OK",
      message: "Valid",
      description: "Alpha * Two and a half + [Number of days]",
    });
    expect(await describe(`"#{${A}}"`)).toMatchObject({
      status: "ERROR",
      message: "Expression is not well-formed",
    });
    expect(await describe(`#{${A}} > 1`)).toMatchObject({ status: "ERROR" });
    expect(await describe(`#{${A}} > 1`, "/api/predictors/skipTest/description")).toMatchObject({
      status: "OK",
    });
    const viaGet = await (
      await call(emu, `/api/expressions/description?expression=${encodeURIComponent(`#{${B}}/2`)}`)
    ).json();
    expect(viaGet).toMatchObject({ status: "OK", description: "Beta/2" });
    expect(
      (await call(emu, "/api/validationRules/expression/description", { method: "POST", body: "" })).status,
    ).toBe(400);
  });

  it("quirk: validates only in periods the period table has; a longer period's value stands in, the shortest wins", async () => {
    const { emu, facility, values } = await setup();
    await values([
      [A, "2024", "50"],
      [A, "202401", "5"],
      [B, "202402", "1"],
    ]);
    const run = async (endDate: string) =>
      (await (await analyse(emu, { ou: facility, startDate: "2024-01-01", endDate })).json()) as {
        periodId: string;
        leftSideValue: number;
      }[];
    // The whole year: 202401 uses its own 5, 202402 (which exists through Beta) the yearly 50.
    expect((await run("2024-12-31")).map((v) => [v.periodId, v.leftSideValue])).toEqual([["202402", 50]]);
    // Half a year: the yearly period is not between the dates, so it is not read.
    expect(await run("2024-06-30")).toEqual([]);
    // Dates DHIS2 cannot read: no periods, nothing validated.
    expect(
      await (await analyse(emu, { ou: facility, startDate: "31/01/2024", endDate: "2024-12-31" })).json(),
    ).toEqual([]);
  });

  it("answers DHIS2's errors: unknown org unit, maxResults out of range per version, missing authority", async () => {
    const { emu, facility } = await setup("v41");
    const unknown = await analyse(emu, { ou: "xxxxxxxxx11", startDate: "2024-01-01", endDate: "2024-12-31" });
    expect([unknown.status, ((await unknown.json()) as { message: string }).message]).toEqual([
      400,
      "No organisation unit defined",
    ]);
    const max = await analyse(emu, {
      ou: facility,
      startDate: "2024-01-01",
      endDate: "2024-12-31",
      maxResults: 501,
    });
    expect(((await max.json()) as { message: string }).message).toBe(
      "Max results must be greater than 0 and less than or equal to 500",
    );
    const v42 = (await setup("v42")).emu;
    const max42 = await analyse(v42, {
      ou: facility,
      startDate: "2024-01-01",
      endDate: "2024-12-31",
      maxResults: 0,
    });
    expect(((await max42.json()) as { message: string }).message).toBe(
      "Max results must be between 1 and 500",
    );
    const clerk = await analyse(
      emu,
      { ou: facility, startDate: "2024-01-01", endDate: "2024-12-31" },
      {
        Authorization: `Basic ${Buffer.from("district:district").toString("base64")}`,
      },
    );
    expect(clerk.status).toBe(403);
  });

  it("predicts with a skip test, NEVER_SKIP without data, and zero only where it is significant", async () => {
    const { emu, facility, values } = await setup("v43");
    await values([
      [A, "202401", "10"],
      [A, "202402", "1000"],
      [A, "202403", "30"],
    ]);
    const predictor = (id: string, output: string, expression: string, extra: object = {}) => ({
      id,
      name: id,
      shortName: id,
      output: { id: output },
      periodType: "Monthly",
      generator: { expression, missingValueStrategy: "SKIP_IF_ALL_VALUES_MISSING" },
      organisationUnitLevels: [{ id: "lllllllll14" }],
      organisationUnitDescendants: "DESCENDANTS",
      sequentialSampleCount: 3,
      annualSampleCount: 0,
      ...extra,
    });
    const bundle = {
      predictors: [
        // February's outlier is skipped: (10 + 30) / 2.
        predictor("ppppppppp11", B, `avg(#{${A}})`, { sampleSkipTest: { expression: `#{${A}} > 100` } }),
        // Every facility gets 0, stored only because Delta's zeros are significant.
        predictor("ppppppppp12", "ddddddddd11", "0", {
          generator: { expression: "0", missingValueStrategy: "NEVER_SKIP" },
        }),
      ],
    };
    expect(
      (await call(emu, "/api/metadata", { method: "POST", headers: json, body: JSON.stringify(bundle) }))
        .status,
    ).toBe(200);
    const run = (path: string, query = "startDate=2024-04-01&endDate=2024-04-30") =>
      call(emu, `/api/${path}?${query}`, { method: "POST" });
    expect(await (await run("predictors/ppppppppp11/run")).json()).toMatchObject({
      message: "Generated 1 predictions",
    });
    expect(await (await call(emu, `/api/dataValues?de=${B}&pe=202404&ou=${facility}`)).json()).toEqual([
      "20.0",
    ]);
    const facilities = (await (
      await call(emu, "/api/organisationUnits?filter=level:eq:4&paging=false&fields=id")
    ).json()) as {
      organisationUnits: unknown[];
    };
    expect(await (await run("predictors/ppppppppp12/run")).json()).toMatchObject({
      message: `Generated ${facilities.organisationUnits.length} predictions`,
    });
    expect(await (await call(emu, `/api/dataValues?de=ddddddddd11&pe=202404&ou=${facility}`)).json()).toEqual(
      ["0.0"],
    );
    // 2.43 refuses reversed dates; an unknown predictor meets a null in the controller.
    const reversed = await run("predictors/run", "startDate=2024-05-01&endDate=2024-04-01");
    expect([reversed.status, ((await reversed.json()) as { errorCode: string }).errorCode]).toEqual([
      409,
      "E7206",
    ]);
    expect((await run("predictors/xxxxxxxxx11/run")).status).toBe(500);
    expect((await run("predictors/run", "startDate=April&endDate=2024-04-30")).status).toBe(400);
  });
});
