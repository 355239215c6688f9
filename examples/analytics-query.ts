/**
 * Analytics: one query in the three shapes (a table grid, raw rows, a data value set), the typed
 * metaData view, rows as records, and a CSV export streamed to disk. Runs against DHIS2_URL
 * (+ DHIS2_PAT or DHIS2_USERNAME/DHIS2_PASSWORD) when set, else against an embedded emulator
 * with demo data (a few values are posted first so there is something to aggregate).
 *
 *   npx tsx --conditions=source examples/analytics-query.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AnalyticsMetaData, gridToRecords, openClient } from "@dhis2w/client";
import { streamAnalyticsTo } from "@dhis2w/client/node";
import { exampleTarget, runIfMain } from "./_support.js";

type List<K extends string> = Record<K, { id: string }[]>;

export async function main(): Promise<void> {
  const target = await exampleTarget();
  const dir = await mkdtemp(path.join(tmpdir(), "dhis2w-analytics-example-"));
  try {
    await using client = await openClient(target.profile);
    // The play server's ids (the tutorial's), or the emulator's demo data element and root.
    let de = "fClA2Erf6IO";
    let root = "ImspTQPwCqd";
    if (target.embedded) {
      const des = await client.getRaw<List<"dataElements">>("/api/dataElements", {
        params: { filter: "code:eq:DE_ANC1", fields: "id" },
      });
      const roots = await client.getRaw<List<"organisationUnits">>("/api/organisationUnits", {
        params: { filter: "level:eq:1", fields: "id" },
      });
      const facilities = await client.getRaw<List<"organisationUnits">>("/api/organisationUnits", {
        params: { filter: "level:eq:4", fields: "id", paging: false },
      });
      de = des.dataElements[0]?.id ?? de;
      root = roots.organisationUnits[0]?.id ?? root;
      const months = ["202501", "202502", "202503"];
      await client.postRaw("/api/dataValueSets", {
        dataValues: facilities.organisationUnits.flatMap((ou, i) =>
          months.map((period, m) => ({ dataElement: de, period, orgUnit: ou.id, value: String(10 + i + m) })),
        ),
      });
    }
    const { analytics } = client;
    const dimensions = [`dx:${de}`, "pe:2025Q1", `ou:${root};LEVEL-2`];

    // 1. The table shape: a grid, with names in metaData.
    const grid = await analytics.query({ dimensions });
    const meta = AnalyticsMetaData.parse(grid.metaData ?? {});
    for (const r of gridToRecords(grid)) {
      console.log(`${meta.items[String(r.ou)]?.name ?? r.ou} ${meta.items[String(r.pe)]?.name}: ${r.value}`);
    }

    // 2. Raw rows (one per stored value) and 3. a data value set.
    const raw = await analytics.query({ dimensions: [`dx:${de}`, "pe:202501", `ou:${root}`], shape: "raw" });
    console.log(`raw rows for January: ${raw.height ?? raw.rows.length}`);
    const dvs = await analytics.query({ dimensions: [`dx:${de}`, "pe:2025Q1", `ou:${root}`], shape: "dvs" });
    console.log(`data value set: ${dvs.dataValues.map((v) => `${v.period}=${v.value}`).join(", ")}`);

    // 4. A CSV export streamed to disk in constant memory.
    const file = path.join(dir, "anc-by-region.csv");
    const written = await streamAnalyticsTo(client, file, {
      params: { dimension: dimensions },
      outputFormat: "csv",
    });
    console.log(`wrote ${written.bytes} bytes (${written.contentType}) to ${path.basename(file)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await target.close();
  }
}

runIfMain(import.meta.url, main);
