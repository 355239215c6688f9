/**
 * `client.predictors` against the emulator on each version: predictors and input values planted
 * through the client, runs (one, a group, all) whose predicted values are read back as data
 * values, re-runs that update and delete what they predicted before, and bad input refused first.
 */
import { BasicAuth, Dhis2Client, generateUid, PredictorInputError, UnknownObjectError } from "@dhis2w/client";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PredictorFixture, plantPredictors } from "./support/validation-fixture.js";

describe.each(["v41", "v42", "v43"] as const)("client.predictors on %s", (version) => {
  let emu: Emulator;
  let client: Dhis2Client;
  let fx: PredictorFixture;
  const april = { startDate: "2024-04-01", endDate: "2024-04-30" };
  const value = (de: string, pe: string, ou: string) => client.dataValues.get({ de, pe, ou });

  beforeAll(async () => {
    emu = await createEmulator({ version, seed: "demo" });
    client = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    fx = await plantPredictors(client);
  });
  afterAll(async () => {
    await client?.close();
    await emu?.close();
  });

  it("runOne sums the three previous months at each facility with data, stored as DHIS2 prints numbers", async () => {
    const run = await client.predictors.runOne(fx.predictors.sum, april);
    expect(run).toEqual({ predictions: 2, message: "Generated 2 predictions" });
    expect(await value(fx.out.sum, "202404", fx.facility)).toBe("60.0");
    expect(await value(fx.out.sum, "202404", fx.otherFacility)).toBe("6.0");
    expect(await value(fx.out.sum, "202404", fx.district)).toBeUndefined();
  });

  it("skips the nearest sample period and adds last year's, for avg (an INTEGER output) and count", async () => {
    // Samples of 202404: 202402 (202403 skipped), and 202302-202306 around 202304.
    expect((await client.predictors.runOne(fx.predictors.avg, april)).predictions).toBe(2);
    expect(await value(fx.out.avg, "202404", fx.facility)).toBe("60"); // (20 + 100) / 2
    expect(await value(fx.out.avg, "202404", fx.otherFacility)).toBe("2");
    expect((await client.predictors.runOne(fx.predictors.count, april)).predictions).toBe(2);
    expect(await value(fx.out.count, "202404", fx.facility)).toBe("2.0");
    expect(await value(fx.out.count, "202404", fx.otherFacility)).toBe("1.0");
  });

  it("at district level sums the data below (DESCENDANTS), or only the district's own (SELECTED)", async () => {
    expect((await client.predictors.runOne(fx.predictors.district, april)).predictions).toBe(1);
    expect(await value(fx.out.district, "202404", fx.district)).toBe("66.0");
    expect((await client.predictors.runOne(fx.predictors.selected, april)).predictions).toBe(0);
    expect(await value(fx.out.selected, "202404", fx.district)).toBeUndefined();
  });

  it("runGroup runs the group's predictors and run every predictor; unchanged values count", async () => {
    expect(await client.predictors.runGroup(fx.group, april)).toEqual({
      predictions: 4,
      message: "Generated 4 predictions",
    });
    expect((await client.predictors.run(april)).predictions).toBe(7);
  });

  it("a re-run updates a value whose inputs changed and deletes one that is no longer predicted", async () => {
    const may = { startDate: "2024-05-01", endDate: "2024-05-31" };
    await client.predictors.runOne(fx.predictors.sum, may);
    expect(await value(fx.out.sum, "202405", fx.facility)).toBe("50.0"); // 202402-202404
    expect(await value(fx.out.sum, "202405", fx.otherFacility)).toBe("5.0");
    await client.dataValues.set({ de: fx.input, pe: "202403", ou: fx.facility, value: 5 });
    for (const pe of ["202402", "202403"])
      await client.dataValues.delete({ de: fx.input, pe, ou: fx.otherFacility });
    expect((await client.predictors.runOne(fx.predictors.sum, may)).predictions).toBe(1);
    expect(await value(fx.out.sum, "202405", fx.facility)).toBe("25.0");
    expect(await value(fx.out.sum, "202405", fx.otherFacility)).toBeUndefined();
  });

  it("quirk: refuses dates that are not dates and an end before the start (2.43 answers 409, 2.41 and 2.42 predict nothing) before any request", async () => {
    const before = emu.stats.total;
    const cases: [() => Promise<unknown>, string][] = [
      [() => client.predictors.run({ startDate: "2024-04-31", endDate: "2024-05-31" }), "startDate"],
      [() => client.predictors.run({ startDate: "2024-05-01", endDate: "2024-04-01" }), "endDate"],
      [() => client.predictors.runOne("nope", april), "predictor"],
      [() => client.predictors.runGroup("nope", april), "group"],
      [() => client.predictors.run({ startDate: new Date(Number.NaN), endDate: "2024-04-30" }), "startDate"],
    ];
    for (const [call, field] of cases) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PredictorInputError);
      expect((err as PredictorInputError).field).toBe(field);
    }
    expect(emu.stats.total).toBe(before);
  });

  it("quirk: a predictor (DHIS2: a 500) or group (DHIS2: nothing predicted) that does not exist is an UnknownObjectError, and nothing runs", async () => {
    const runs = () => emu.stats.requests().filter((r) => r.path.endsWith("/run")).length;
    const before = runs();
    const predictor = generateUid();
    await expect(client.predictors.runOne(predictor, april)).rejects.toMatchObject({
      constructor: UnknownObjectError,
      resource: "predictors",
      uid: predictor,
    });
    const group = generateUid();
    await expect(client.predictors.runGroup(group, april)).rejects.toBeInstanceOf(UnknownObjectError);
    expect(runs()).toBe(before);
  });
});
