/**
 * `client.dataValues.import(path)`: on Node a file path is a source of its own (JSON, gzipped JSON,
 * CSV), read lazily through the Node helper; the client's root still imports nothing from node:*.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let emu: RunningEmulator;
let client: Dhis2Client;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", port: 0, seed: "demo" });
  client = await Dhis2Client.open({
    baseUrl: emu.url,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  dir = mkdtempSync(path.join(os.tmpdir(), "dhis2w-dv-path-"));
});
afterAll(async () => {
  await client?.close();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

function values(period: string) {
  const demo = emu.demo!;
  return demo.facilities.slice(0, 5).flatMap((orgUnit, i) =>
    demo.dataElements.slice(0, 3).map((dataElement, j) => ({
      dataElement,
      period,
      orgUnit,
      value: String(10 * i + j),
    })),
  );
}

describe("dataValues.import(path)", () => {
  it("imports a gzipped JSON file given by its path, with the file's own dataSet header", async () => {
    const rows = values("202401");
    const file = path.join(dir, "values.json.gz");
    writeFileSync(file, gzipSync(JSON.stringify({ dataSet: emu.demo!.dataSet, dataValues: rows })));
    const result = await client.dataValues.import(file, { chunkSize: 4 });
    expect(result.rowsRead).toBe(rows.length);
    expect(result.importCount.imported).toBe(rows.length);
    expect(result.balanced).toBe(true);
  });

  it("imports a CSV file given by its path", async () => {
    const rows = values("202402");
    const file = path.join(dir, "values.csv");
    const lines = rows.map((r) => `${r.dataElement},${r.period},${r.orgUnit},,,${r.value}`);
    writeFileSync(file, `dataelement,period,orgunit,catoptcombo,attroptcombo,value\n${lines.join("\n")}\n`);
    const result = await client.dataValues.import(file);
    expect(result.importCount.imported).toBe(rows.length);
  });

  it("a path that does not exist fails with an error naming it", async () => {
    const missing = path.join(dir, "nope.json");
    await expect(client.dataValues.import(missing)).rejects.toThrow(/nope\.json/);
  });
});
