/**
 * "Done when": the real Sierra Leone metadata goes in through `POST /api/metadata`, all 188,701
 * values of `data_values.json.gz` through `POST /api/dataValueSets`, and `/api/analytics` for
 * every data element of the file by month at the root gives the totals a direct sum over the
 * file gives; LEVEL-2 totals add up to the root's.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BasicAuth, createDataValues, Dhis2Client } from "@dhis2w/client";
import { dataValuesFromFile } from "@dhis2w/client/node";
import { DEMO_USERS } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const play = path.resolve(root, "../shared/dhis2/play");
const valuesFile = path.join(play, "data_values.json.gz");
const haveData = existsSync(valuesFile) && existsSync(path.join(play, "metadata.json"));
const SIERRA_LEONE = "ImspTQPwCqd";
const round1 = (x: number | undefined) => (x === undefined ? Number.NaN : Math.round(x * 10) / 10);

// Skipped when ../shared (the real DHIS2 export, read-only, outside the repo) is absent.
describe.skipIf(!haveData)("analytics over the Sierra Leone export (188,701 values)", () => {
  const start = useEmulator();

  it("monthly totals per data element at the root equal direct sums over the file", async () => {
    const emu = await start({ version: "v42", seed: "empty" });
    const meta = JSON.parse(readFileSync(path.join(play, "metadata.json"), "utf8")) as Record<
      string,
      unknown
    >;
    meta.organisationUnits = JSON.parse(readFileSync(path.join(play, "organisation_units.json"), "utf8"));
    const imported = await call(emu, "/api/metadata?atomicMode=NONE", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(meta),
    });
    expect(imported.status).toBeLessThan(500);
    expect(emu.state.metadata.count("dataElements")).toBe(67);
    expect(emu.state.metadata.count("organisationUnits")).toBe(1332);
    // Capture scope over HTTP, the way the README tells: the collection-item endpoint.
    const assigned = await call(emu, `/api/users/${DEMO_USERS.admin.id}/organisationUnits/${SIERRA_LEONE}`, {
      method: "POST",
    });
    expect(assigned.status).toBe(200);

    const client = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    const result = await createDataValues(client).import(dataValuesFromFile(valuesFile), {
      chunkSize: 20_000,
      concurrency: 2,
    });
    expect(result.failedChunks).toEqual([]);

    const sums = new Map<string, number>();
    const regionOf = new Map<string, string>();
    for (const ou of meta.organisationUnits as { id: string; path: string }[]) {
      regionOf.set(ou.id, ou.path.split("/")[2] ?? "");
    }
    const regionSums = new Map<string, number>();
    for await (const v of dataValuesFromFile(valuesFile)) {
      const k = `${v.dataElement}|${v.period}`;
      sums.set(k, (sums.get(k) ?? 0) + Number(v.value));
      const r = `${v.dataElement}|${regionOf.get(v.orgUnit)}`;
      regionSums.set(r, (regionSums.get(r) ?? 0) + Number(v.value));
    }
    const dataElements = [...new Set([...sums.keys()].map((k) => k.split("|")[0] as string))];
    const months = [...new Set([...sums.keys()].map((k) => k.split("|")[1] as string))].sort();
    expect(dataElements).toHaveLength(43);

    const grid = (await client.getRaw("/api/analytics", {
      params: { dimension: [`dx:${dataElements.join(";")}`, `pe:${months.join(";")}`, `ou:${SIERRA_LEONE}`] },
    })) as { rows: string[][] };
    expect(grid.rows).toHaveLength(sums.size);
    for (const [dx, pe, , value] of grid.rows) {
      // DHIS2 prints values >= 1 rounded to one decimal (MathUtils.getRounded).
      expect(Number(value), `${dx} ${pe}`).toBe(round1(sums.get(`${dx}|${pe}`)));
    }

    const byRegion = (await client.getRaw("/api/analytics", {
      params: {
        dimension: [`dx:${dataElements.join(";")}`, `ou:${SIERRA_LEONE};LEVEL-2`],
        filter: "pe:2025",
      },
    })) as { rows: string[][] };
    expect(byRegion.rows).toHaveLength(regionSums.size);
    for (const [dx, ou, value] of byRegion.rows)
      expect(Number(value)).toBe(round1(regionSums.get(`${dx}|${ou}`)));
    await client.close();
  }, 240_000);
});
