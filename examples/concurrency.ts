/**
 * Tutorial section "Concurrency": one client serves any number of concurrent calls (one
 * connection pool, one auth provider, one retry policy), so `Promise.all` is all it takes.
 * Parallel GETs of existing data elements, then parallel creates, reads, updates and deletes of
 * throwaway ones (the example cleans up after itself). DHIS2 copes with moderate concurrency on
 * independent records; tune the fan-out to your server.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/concurrency.ts
 */
import { generateUids, openClient } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const des = client.resources.dataElements;

    // Parallel GETs of existing objects.
    const some = await des.list({ fields: "id", pageSize: 3, order: ["name:asc"] });
    const started = performance.now();
    const elements = await Promise.all(some.map((d) => des.get(d.id!, { fields: "id,name,valueType" })));
    console.log(
      `fetched ${elements.length} data elements in parallel in ${Math.round(performance.now() - started)} ms:`,
    );
    for (const de of elements) console.log(`  ${de.id}  ${de.name} (${de.valueType})`);

    // Parallel writes on independent records: create, read back, update, delete.
    const ids = generateUids(5);
    const categoryCombo = { id: await client.system.defaultCategoryComboUid() };
    await Promise.all(
      ids.map((id) =>
        des.create({
          id,
          name: `Concurrent ${id}`,
          shortName: `Conc ${id}`,
          domainType: "AGGREGATE",
          valueType: "NUMBER",
          aggregationType: "SUM",
          categoryCombo,
        }),
      ),
    );
    console.log(`created ${ids.length} in parallel`);
    try {
      const whole = await Promise.all(ids.map((id) => des.get(id)));
      await Promise.all(whole.map((de) => des.update({ ...de, name: `${de.name} (updated)` })));
      const renamed = await Promise.all(ids.map((id) => des.get(id, { fields: "name" })));
      console.log(
        `updated ${renamed.filter((d) => d.name?.endsWith("(updated)")).length} of ${ids.length} in parallel`,
      );
    } finally {
      await Promise.all(ids.map((id) => des.delete(id)));
      console.log(`deleted ${ids.length} in parallel`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
