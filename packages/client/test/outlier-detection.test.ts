/**
 * `/api/analytics/outlierDetection` through the client against the emulator (`emu.fetch`),
 * computed from stored values as dhis2-core's analytics outlier columns are (mean and
 * `stddev_pop`, or median and MAD, per data element / org unit / combos over all periods).
 */
import { BasicAuth, Dhis2ApiError, Dhis2Client } from "@dhis2w/client";
import { createEmulator, type Emulator, fixedClock } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

// Twelve months of one facility's values, one of them far off.
const MONTHS = [
  "202401",
  "202402",
  "202403",
  "202404",
  "202405",
  "202406",
  "202407",
  "202408",
  "202409",
  "202410",
  "202411",
  "202412",
];
const VALUES = [10, 12, 11, 9, 10, 11, 12, 10, 9, 11, 95, 10];

function stats(values: number[]) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const sorted = [...values].sort((a, b) => a - b);
  const med = (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const devs = values.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
  const mad = (devs[n / 2 - 1]! + devs[n / 2]!) / 2;
  return { mean, std, med, mad };
}
const r2 = (x: number) => Math.round(x * 100) / 100;

async function setup(version: "v41" | "v42" | "v43") {
  const emu = await createEmulator({
    version,
    seed: "demo",
    clock: fixedClock(Date.parse("2025-02-01T00:00:00Z")),
  });
  running.push(emu);
  const demo = emu.app.demo!;
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
    sleep: async () => {},
  });
  const de = demo.dataElements[0]!;
  const ou = demo.facilities[0]!;
  await client.postRaw("/api/dataValueSets", {
    dataValues: MONTHS.map((period, i) => ({
      dataElement: de,
      period,
      orgUnit: ou,
      value: String(VALUES[i]),
    })),
  });
  const run = async (params: Record<string, string> = {}) => {
    const kickoff = await client.maintenance.refreshAnalytics(params as never);
    emu.app.extensions.tasks!.settle();
    return kickoff;
  };
  return { emu, client, de, ou, root: demo.root, run };
}

interface Grid {
  headers: { name: string; column: string; valueType: string }[];
  metaData: Record<string, unknown>;
  rows: unknown[][];
  height: number;
}

describe.each(["v41", "v42", "v43"] as const)("outlier detection on %s", (version) => {
  it("answers 409 E7180 until an analytics run has populated the outlier columns", async () => {
    const { client, de, root, run } = await setup(version);
    const ask = () =>
      client.getRaw<Grid>("/api/analytics/outlierDetection", {
        params: { dx: de, ou: root, startDate: "2024-01-01", endDate: "2024-12-31" },
      });
    const before = await ask().catch((e: Dhis2ApiError) => e);
    expect(before).toBeInstanceOf(Dhis2ApiError);
    expect((before as Dhis2ApiError).statusCode).toBe(409);
    expect((before as Dhis2ApiError).webMessage?.errorCode).toBe("E7180");
    await run({ skipOutliers: true } as never);
    await expect(ask()).rejects.toMatchObject({ statusCode: 409 });
    await run();
    await expect(ask()).resolves.toHaveProperty("rows");
  });

  it("finds the value past the z-score threshold with DHIS2's statistics and grid", async () => {
    const { client, de, ou, root, run } = await setup(version);
    await run();
    const grid = await client.getRaw<Grid>("/api/analytics/outlierDetection", {
      params: { dx: de, ou: root, startDate: "2024-01-01", endDate: "2024-12-31", threshold: "3" },
    });
    const { mean, std, med, mad } = stats(VALUES);
    expect(grid.headers.map((h) => h.name)).toEqual([
      "dx",
      "dxname",
      "pe",
      "pename",
      "ou",
      "ouname",
      "ounamehierarchy",
      "coc",
      "cocname",
      "aoc",
      "aocname",
      "value",
      "mean",
      "stddev",
      "absdev",
      "zscore",
      "lowerbound",
      "upperbound",
    ]);
    expect(grid.metaData).toEqual({
      algorithm: "Z_SCORE",
      threshold: 3,
      orderBy: "ABS_DEV",
      maxResults: 500,
      count: 1,
    });
    const row = Object.fromEntries(grid.headers.map((h, i) => [h.name, grid.rows[0]![i]]));
    expect(row).toMatchObject({
      dx: de,
      pe: "202411",
      pename: "November 2024",
      ou,
      value: 95,
      mean: r2(mean),
      stddev: r2(std),
      absdev: r2(95 - mean),
      zscore: r2((95 - mean) / std),
      lowerbound: r2(mean - 3 * std),
      upperbound: r2(mean + 3 * std),
    });
    expect(String(row.ounamehierarchy).split(" / ").at(-1)).toBe(row.ouname);

    const modified = await client.getRaw<Grid>("/api/analytics/outlierDetection", {
      params: {
        dx: de,
        ou: root,
        startDate: "2024-01-01",
        endDate: "2024-12-31",
        algorithm: "MODIFIED_Z_SCORE",
        orderBy: "modifiedzscore",
        headers: "pe,value,median,medianabsdeviation,modifiedzscore",
      },
    });
    expect(modified.headers.map((h) => h.name)).toEqual([
      "pe",
      "value",
      "median",
      "medianabsdeviation",
      "modifiedzscore",
    ]);
    expect(modified.rows[0]).toEqual(["202411", 95, r2(med), r2(mad), r2((0.6745 * (95 - med)) / mad)]);
  });

  it("refuses what the analytics variant does not take, with DHIS2's codes", async () => {
    const { client, de, root, run } = await setup(version);
    await run();
    const code = (params: Record<string, string>) =>
      client.getRaw("/api/analytics/outlierDetection", { params }).then(
        () => "answered",
        (e: Dhis2ApiError) => `${e.statusCode} ${e.webMessage?.errorCode}`,
      );
    const base = { dx: de, ou: root, startDate: "2024-01-01", endDate: "2024-12-31" };
    expect(await code({ ou: root, startDate: "2024-01-01", endDate: "2024-12-31" })).toBe("409 E2200");
    expect(await code({ dx: de, ou: root })).toBe("409 E2201");
    expect(await code({ ...base, algorithm: "MIN_MAX" })).toBe("409 E2211");
    expect(await code({ ...base, dataStartDate: "2023-01-01" })).toBe("409 E2209");
    expect(await code({ ...base, algorithm: "MODIFIED_Z_SCORE", orderBy: "zscore" })).toBe("409 E2213");
    expect(await code({ ...base, threshold: "0" })).toBe("409 E2204");
  });
});
