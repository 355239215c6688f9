/**
 * Bundled by the pack check with `esbuild --bundle --platform=node` and run against the emulator:
 * the Node helpers of `@dhis2w/client/node` must work from one bundled file (they once were a
 * computed `import()` of a file the bundle did not have). Prints one JSON line.
 */
import { readFile } from "node:fs/promises";
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { dataValuesFromFile, streamAnalyticsTo } from "@dhis2w/client/node";

const [valuesFile, csvFile] = process.argv.slice(2);
if (!process.env.DHIS2_URL || !valuesFile || !csvFile) {
  throw new Error("usage: DHIS2_URL=... node bundle.mjs values.json out.csv");
}
await using client = await Dhis2Client.open({
  baseUrl: process.env.DHIS2_URL,
  auth: new BasicAuth({ username: "admin", password: "district" }),
});
const result = await client.dataValues.import(dataValuesFromFile(valuesFile), { chunkSize: 2 });
const { dataValues } = JSON.parse(await readFile(valuesFile, "utf8")) as {
  dataValues: { dataElement: string; orgUnit: string; period: string }[];
};
const first = dataValues[0]!;
const written = await streamAnalyticsTo(client, csvFile, {
  dimensions: [`dx:${first.dataElement}`, `pe:${first.period}`, `ou:${first.orgUnit}`],
});
console.log(
  JSON.stringify({
    rowsRead: result.rowsRead,
    imported: result.importCount.imported,
    csvBytes: written.bytes,
  }),
);
