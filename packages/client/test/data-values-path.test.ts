/**
 * The Node boundary of `client.dataValues.import`: the root takes rows, a `Blob` or a
 * `ReadableStream` of JSON or CSV (gzipped or not) and never opens a file; a path goes through
 * `dataValuesFromFile` of `@dhis2w/client/node`. A bare path at the root is refused, naming the
 * helper, before any request.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { BasicAuth, Dhis2Client, dataValuesFromText } from "@dhis2w/client";
import { dataValuesFromFile } from "@dhis2w/client/node";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let emu: Emulator;
let client: Dhis2Client;
let dir: string;

beforeAll(async () => {
  emu = await createEmulator({ version: "v42", seed: "demo" });
  client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
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

function csvOf(rows: ReturnType<typeof values>): string {
  const lines = rows.map((r) => `${r.dataElement},${r.period},${r.orgUnit},,,${r.value}`);
  return `dataelement,period,orgunit,catoptcombo,attroptcombo,value\n${lines.join("\n")}\n`;
}

async function stored(period: string): Promise<number> {
  const set = await client.dataValues.export({
    dataSet: emu.demo!.dataSet,
    period,
    orgUnit: emu.demo!.facilities.slice(0, 5),
  });
  return set.dataValues.length;
}

describe("dataValues.import at the Node boundary", () => {
  it("imports a gzipped JSON file through dataValuesFromFile, with the file's own dataSet header", async () => {
    const rows = values("202401");
    const file = path.join(dir, "values.json.gz");
    writeFileSync(file, gzipSync(JSON.stringify({ dataSet: emu.demo!.dataSet, dataValues: rows })));
    const result = await client.dataValues.import(dataValuesFromFile(file), { chunkSize: 4 });
    expect(result.rowsRead).toBe(rows.length);
    expect(result.importCount.imported).toBe(rows.length);
    expect(result.balanced).toBe(true);
    expect(await stored("202401")).toBe(rows.length);
  });

  it("a bare path at the root is refused naming dataValuesFromFile, and nothing is sent", async () => {
    const before = emu.stats.requests().length;
    const file = path.join(dir, "values.csv");
    await expect(client.dataValues.import(file as never)).rejects.toThrow(
      /values\.csv.*dataValuesFromFile\(path\) from "@dhis2w\/client\/node"/,
    );
    expect(emu.stats.requests().length).toBe(before);
  });

  it("a Blob of gzipped JSON is read as it is (format and gzip sniffed)", async () => {
    const rows = values("202402");
    const blob = new Blob([gzipSync(JSON.stringify({ dataSet: emu.demo!.dataSet, dataValues: rows }))]);
    const result = await client.dataValues.import(blob, { chunkSize: 7 });
    expect(result.importCount.imported).toBe(rows.length);
    expect(await stored("202402")).toBe(rows.length);
  });

  it("a ReadableStream of CSV bytes (a fetch body) is read as it arrives", async () => {
    const rows = values("202403");
    const body = new Response(csvOf(rows)).body!;
    const result = await client.dataValues.import(body);
    expect(result.importCount.imported).toBe(rows.length);
    expect(await stored("202403")).toBe(rows.length);
  });

  it("dataValuesFromText names the source of a broken input", async () => {
    const file = new File(['{"dataValues": [{"dataElement": "x"'], "cut.json", { type: "application/json" });
    await expect(client.dataValues.import(dataValuesFromText(file))).rejects.toThrow(/cut\.json: .*/);
    const notGzip = new Blob([new Uint8Array([0x1f, 0x8b, 1, 2, 3])]);
    await expect(client.dataValues.import(notGzip)).rejects.toThrow(/not valid gzip/);
  });

  it("a path that does not exist fails with an error naming it", async () => {
    const missing = path.join(dir, "nope.json");
    await expect(client.dataValues.import(dataValuesFromFile(missing))).rejects.toThrow(/nope\.json/);
  });
});
