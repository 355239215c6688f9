/** Streaming JSON / gzipped JSON / CSV data value readers, on small generated files. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataValuesJsonScanner } from "../src/data-values/json-scanner.js";
import type { DataValue } from "../src/data-values/schemas.js";
import { dataValuesFromFile } from "../src/node/data-values-files.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dhis2w-dvf-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(it: AsyncIterable<DataValue>): Promise<DataValue[]> {
  const out: DataValue[] = [];
  for await (const v of it) out.push(v);
  return out;
}

const sample: DataValue[] = Array.from({ length: 500 }, (_, i) => ({
  dataElement: `de${i % 7}`,
  period: "202401",
  orgUnit: `ou${i}`,
  value: String(i),
  comment: i === 3 ? 'has "quotes", commas, {braces} and ]brackets[' : "",
  followup: i % 2 === 0,
}));

describe("JSON data value files", () => {
  it("streams the dataValues array and the set-level fields, any chunking", () => {
    const text = JSON.stringify(
      { dataSet: "dsA", completeDate: "2024-02-01", dataValues: sample.slice(0, 20), extra: [{ a: 1 }] },
      null,
      1,
    );
    for (const size of [1, 7, 64, text.length]) {
      const scanner = new DataValuesJsonScanner();
      const got: unknown[] = [];
      for (let i = 0; i < text.length; i += size) got.push(...scanner.push(text.slice(i, i + size)));
      scanner.end();
      expect(got).toEqual(sample.slice(0, 20));
      expect(scanner.header).toMatchObject({ dataSet: "dsA", completeDate: "2024-02-01" });
    }
  });

  it("reads a gzipped file and a bare array", async () => {
    const gz = path.join(dir, "v.json.gz");
    await writeFile(gz, gzipSync(JSON.stringify({ period: "202401", dataValues: sample })));
    const stream = dataValuesFromFile(gz);
    expect(await collect(stream)).toEqual(sample);
    expect(stream.header).toEqual({ period: "202401" });
    const bare = path.join(dir, "bare.json");
    await writeFile(bare, JSON.stringify(sample.slice(0, 3)));
    expect(await collect(dataValuesFromFile(bare))).toEqual(sample.slice(0, 3));
  });

  it("says what is wrong with a broken file", async () => {
    const cut = path.join(dir, "cut.json");
    await writeFile(cut, JSON.stringify({ dataValues: sample.slice(0, 2) }).slice(0, -10));
    await expect(collect(dataValuesFromFile(cut))).rejects.toThrow(/cut\.json: .*ends in the middle/);
    const none = path.join(dir, "none.json");
    await writeFile(none, JSON.stringify({ values: [] }));
    await expect(collect(dataValuesFromFile(none))).rejects.toThrow(/no "dataValues" array/);
    await expect(collect(dataValuesFromFile(path.join(dir, "missing.json")))).rejects.toThrow(
      /not found: .*missing\.json/,
    );
    const notGzip = path.join(dir, "plain.json.gz");
    await writeFile(notGzip, "{}");
    await expect(collect(dataValuesFromFile(notGzip))).rejects.toThrow(/not valid gzip/);
  });
});

describe("CSV data value files", () => {
  it("reads DHIS2's columns with a header, quotes and CRLF", async () => {
    const file = path.join(dir, "v.csv");
    await writeFile(
      file,
      [
        "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup,deleted",
        'deA,202401,ouA,HllvX50cXC0,HllvX50cXC0,12,admin,2024-01-02,"a ""quoted"", comma\r\nand newline",false,',
        "deB,202401,ouB,,,7,,,,true,",
        "",
      ].join("\r\n"),
    );
    expect(await collect(dataValuesFromFile(file))).toEqual([
      {
        dataElement: "deA",
        period: "202401",
        orgUnit: "ouA",
        categoryOptionCombo: "HllvX50cXC0",
        attributeOptionCombo: "HllvX50cXC0",
        value: "12",
        storedBy: "admin",
        lastUpdated: "2024-01-02",
        comment: 'a "quoted", comma\r\nand newline',
        followup: false,
      },
      { dataElement: "deB", period: "202401", orgUnit: "ouB", value: "7", followup: true },
    ]);
  });

  it("assumes DHIS2's column order without a header and names a short record", async () => {
    const file = path.join(dir, "noheader.csv.gz");
    await writeFile(file, gzipSync("deA,202401,ouA,,,5\nonlyone\n"));
    await expect(collect(dataValuesFromFile(file))).rejects.toThrow(
      /CSV record 2: dataelement, period and orgunit are required/,
    );
  });
});
