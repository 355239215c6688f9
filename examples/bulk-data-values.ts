/**
 * Bulk operations: post a data value set and read DHIS2's answer with the WebMessageResponse
 * helpers (the tutorial's snippet), then the same through `client.dataValues.import`, which
 * streams any number of values in chunks and maps every conflict back to its input row.
 * Runs against DHIS2_URL (+ DHIS2_PAT or DHIS2_USERNAME/DHIS2_PASSWORD) when set, else against an
 * embedded emulator with demo data.
 *
 *   npx tsx --conditions=source examples/bulk-data-values.ts
 */
import {
  createDataValues,
  type DataValue,
  type DataValueSet,
  Dhis2ApiError,
  openClient,
  profileFromEnvRaw,
  WebMessageResponse,
} from "@dhis2w/client";
import { startEmulator } from "@dhis2w/emulator";
import { runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const fromEnv = profileFromEnvRaw();
  const version = (process.env.DHIS2_EMULATOR_VERSION ?? "v42") as "v41" | "v42" | "v43";
  const emu = fromEnv ? undefined : await startEmulator({ version, port: 0, seed: "demo" });
  try {
    const profile = fromEnv ?? {
      baseUrl: emu!.url,
      auth: "basic" as const,
      username: "admin",
      password: "district",
    };
    // The play server's ids (the tutorial's), or the emulator's demo ids.
    const dataElements = emu?.demo?.dataElements ?? ["fClA2Erf6IO"];
    const orgUnits = emu?.demo?.facilities ?? ["PMa2VCrupOd"];
    await using client = await openClient(profile);

    // 1. One data value set, answered by one WebMessage.
    const payload: DataValueSet = {
      dataValues: [
        { dataElement: dataElements[0] ?? "", period: "202603", orgUnit: orgUnits[0] ?? "", value: "42" },
      ],
    };
    let raw: unknown;
    try {
      raw = await client.postRaw("/api/dataValueSets", payload);
    } catch (error) {
      // Some rows ignored: DHIS2 answers 409 + WARNING, and the body is still an ImportSummary.
      if (!(error instanceof Dhis2ApiError) || error.statusCode !== 409) throw error;
      raw = error.body;
    }
    const response = WebMessageResponse.parse(raw);
    console.log(`status=${response.status}`);
    const counts = response.importCount();
    if (counts) {
      console.log(
        `  imported=${counts.imported} updated=${counts.updated} ignored=${counts.ignored} deleted=${counts.deleted}`,
      );
    }
    for (const conflict of response.conflicts())
      console.log(`  conflict: ${conflict.property} = ${conflict.value} [${conflict.errorCode}]`);

    // 2. Many values, streamed in chunks; one row is broken on purpose.
    function* generate(): Generator<DataValue> {
      let i = 0;
      for (const period of ["202601", "202602", "202603"]) {
        for (const orgUnit of orgUnits.slice(0, 10)) {
          for (const dataElement of dataElements) {
            yield { dataElement, period, orgUnit: i === 17 ? "NoSuchOrgUn" : orgUnit, value: String(i % 50) };
            i++;
          }
        }
      }
    }
    const result = await createDataValues(client).import(generate(), {
      chunkSize: 50,
      onProgress: (p) => console.log(`  chunk ${p.chunk}: ${p.rowsRead} rows read`),
    });
    const c = result.importCount;
    console.log(
      `bulk: status=${result.status} rows=${result.rowsRead} chunks=${result.chunks} balanced=${result.balanced}`,
    );
    console.log(`  imported=${c.imported} updated=${c.updated} ignored=${c.ignored} deleted=${c.deleted}`);
    for (const conflict of result.conflicts)
      console.log(`  rows ${conflict.indexes?.join(",")}: ${conflict.value} [${conflict.errorCode}]`);
  } finally {
    await emu?.close();
  }
}

runIfMain(import.meta.url, main);
