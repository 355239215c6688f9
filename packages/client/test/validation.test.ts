/**
 * `client.validation` against the emulator on each version: rules and data planted through the
 * client, a run that finds exactly the planted violations (operators, missing value strategies,
 * org unit levels, period types), persisted results, expression descriptions, and the input DHIS2
 * would get wrong refused first.
 */
import {
  BasicAuth,
  Dhis2Client,
  ExpressionSyntaxError,
  generateUid,
  UnknownObjectError,
  ValidationInputError,
} from "@dhis2w/client";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plantValidation, type ValidationFixture } from "./support/validation-fixture.js";

describe.each(["v41", "v42", "v43"] as const)("client.validation on %s", (version) => {
  let emu: Emulator;
  let client: Dhis2Client;
  let fx: ValidationFixture;
  const Q1 = { startDate: "2024-01-01", endDate: "2024-03-31" };

  beforeAll(async () => {
    emu = await createEmulator({ version, seed: "demo" });
    client = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    fx = await plantValidation(client);
  });
  afterAll(async () => {
    await client?.close();
    await emu?.close();
  });

  it("run finds exactly the planted violation, with DHIS2's names", async () => {
    const violations = await client.validation.run({ orgUnit: fx.district, ...Q1, group: fx.smallGroup });
    expect(violations).toEqual([
      expect.objectContaining({
        validationRule: fx.rules.lessOrEqual,
        validationRuleDescription: "x never exceeds y",
        period: "202401",
        periodName: "January 2024",
        orgUnit: fx.facility,
        attributeOptionCombo: "HllvX50cXC0",
        leftSideValue: 10,
        operator: "<=",
        rightSideValue: 4,
        importance: "HIGH",
      }),
    ]);
    expect(violations[0]?.orgUnitPath).toMatch(new RegExp(`/${fx.district}/${fx.facility}$`));
  });

  it("applies each operator and missing value strategy as DHIS2 does", async () => {
    const violations = await client.validation.run({ orgUnit: fx.district, ...Q1, group: fx.group });
    const march = violations
      .filter((v) => v.orgUnit === fx.facility && v.period === "202403")
      .map((v) => [v.validationRule, v.leftSideValue, v.rightSideValue]);
    // x=5, z=7 and no y in March: NEVER_SKIP counts y as 0; a side that skips has no value and
    // the rule is skipped; compulsory_pair fires on one side only, exclusive_pair on both.
    expect(new Set(march.map((m) => JSON.stringify(m)))).toEqual(
      new Set(
        [
          [fx.rules.never, 5, 0],
          [fx.rules.skipAllSum, 5, 1],
          [fx.rules.compulsory, 5, 0],
          [fx.rules.exclusive, 5, 7],
        ].map((m) => JSON.stringify(m)),
      ),
    );
    const rulesSeen = new Set(violations.map((v) => v.validationRule));
    // Evaluated only at level 3 (the district has no data of its own), and a Quarterly rule
    // where no quarter exists in the period table: never reported.
    expect(rulesSeen.has(fx.rules.districtOnly)).toBe(false);
    expect(rulesSeen.has(fx.rules.quarterly)).toBe(false);
    // Sorted by period, the other facility's own data evaluated on its own.
    expect(violations.map((v) => v.period)).toEqual([...violations.map((v) => v.period)].sort());
    expect(
      violations
        .filter((v) => v.orgUnit === fx.otherFacility)
        .map((v) => [v.validationRule, v.leftSideValue]),
    ).toEqual(
      expect.arrayContaining([
        [fx.rules.skipAny, 3],
        [fx.rules.skipAllSum, 3],
      ]),
    );
  });

  it("quirk: persisted violations come back in later runs, even after the data was fixed; maxResults stops the run", async () => {
    const capped = await client.validation.run({
      orgUnit: fx.district,
      ...Q1,
      group: fx.group,
      maxResults: 2,
    });
    expect(capped).toHaveLength(2);
    await client.validation.run({ orgUnit: fx.facility, ...Q1, group: fx.smallGroup, persist: true });
    const stored = (await client.getRaw("/api/validationResults", {
      params: { vr: fx.rules.lessOrEqual, ou: fx.facility },
    })) as { validationResults: { period: { id: string }; leftsideValue: number; rightsideValue: number }[] };
    expect(stored.validationResults.map((r) => [r.period.id, r.leftsideValue, r.rightsideValue])).toEqual([
      ["202401", 10, 4],
    ]);
    // Fixing the data does not clear a stored result: DHIS2 returns it until it is deleted.
    await client.dataValues.set({ de: fx.de.y, pe: "202401", ou: fx.facility, value: 20 });
    const again = await client.validation.run({ orgUnit: fx.facility, ...Q1, group: fx.smallGroup });
    expect(again.map((v) => [v.period, v.leftSideValue, v.rightSideValue])).toEqual([["202401", 10, 4]]);
    await client.dataValues.set({ de: fx.de.y, pe: "202401", ou: fx.facility, value: 4 });
  });

  it("describeExpression describes in words, and says when an object does not exist", async () => {
    const ok = await client.validation.describeExpression(`#{${fx.de.x}} + 2 * #{${fx.de.y}}`);
    expect(ok).toEqual({
      valid: true,
      description: `VT x ${fx.de.x} + 2 * VT y ${fx.de.y}`,
      message: "Valid",
    });
    const sum = await client.validation.describeExpression(`sum(#{${fx.de.x}})`, { context: "predictor" });
    expect(sum).toEqual({ valid: true, description: `sum(VT x ${fx.de.x})`, message: "Valid" });
    const missing = await client.validation.describeExpression(`#{${generateUid()}}`);
    expect(missing).toEqual({ valid: false, message: "Expression is not well-formed" });
  });

  it("quirk: an expression DHIS2 would only call not well-formed is an ExpressionSyntaxError naming the position, before any request", async () => {
    const before = emu.stats.total;
    const broken = await client.validation.describeExpression(`#{${fx.de.x}} + `).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(ExpressionSyntaxError);
    expect((broken as ExpressionSyntaxError).position).toBe(17);
    expect((broken as Error).message).toContain("at character 17");
    const unsupported = await client.validation
      .describeExpression(`sum(#{${fx.de.x}})`)
      .catch((e: unknown) => e);
    expect(unsupported).toBeInstanceOf(ExpressionSyntaxError);
    expect((unsupported as ExpressionSyntaxError).kind).toBe("unsupported");
    expect((unsupported as Error).message).toMatch(/sum\( is not supported in validation rule expressions/);
    expect(emu.stats.total).toBe(before);
  });

  it("refuses dates that are not dates, an end before the start and malformed UIDs before any request", async () => {
    const before = emu.stats.total;
    const cases: [Record<string, unknown>, string][] = [
      [{ orgUnit: fx.district, startDate: "2024-02-30", endDate: "2024-03-31" }, "startDate"],
      [{ orgUnit: fx.district, startDate: "2024-01-01", endDate: "31/03/2024" }, "endDate"],
      [{ orgUnit: fx.district, startDate: "2024-03-31", endDate: "2024-01-01" }, "endDate"],
      [{ orgUnit: "not-a-uid", ...Q1 }, "orgUnit"],
      [{ orgUnit: fx.district, ...Q1, group: "x" }, "group"],
      [{ orgUnit: fx.district, ...Q1, maxResults: 0 }, "maxResults"],
    ];
    for (const [options, field] of cases) {
      const err = await client.validation.run(options as never).catch((e: unknown) => e);
      expect(err, JSON.stringify(options)).toBeInstanceOf(ValidationInputError);
      expect((err as ValidationInputError).field).toBe(field);
    }
    expect(emu.stats.total).toBe(before);
  });

  it("quirk: a group that does not exist (DHIS2 would validate every rule) or org unit is an UnknownObjectError, and nothing is validated", async () => {
    const runs = () => emu.stats.count("/api/dataAnalysis/validationRules");
    const before = runs();
    const group = generateUid();
    const err = await client.validation.run({ orgUnit: fx.district, ...Q1, group }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownObjectError);
    expect(err).toMatchObject({ resource: "validationRuleGroups", uid: group });
    const ou = generateUid();
    const err2 = await client.validation.run({ orgUnit: ou, ...Q1 }).catch((e: unknown) => e);
    expect(err2).toMatchObject({ resource: "organisationUnits", uid: ou });
    // DHIS2 would have validated every rule for the unknown group: the run was never sent.
    expect(runs()).toBe(before);
  });
});
