/**
 * SQL views: runs ad-hoc SQL through a temporary QUERY view (created, run, deleted), creates a
 * QUERY view with a `${variable}`, runs it with variables and criteria, and shows the typed
 * error for a missing variable.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/sql-views.ts
 */
import { generateUid, gridToRecords, openClient, SqlViewError } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);

    const counts = await client.sqlViews.adhoc(
      "select valuetype, count(*) as n from dataelement group by valuetype order by valuetype",
    );
    console.log("data elements by value type (ad-hoc SQL):");
    for (const row of gridToRecords(counts)) console.log(`  ${row.valuetype}: ${row.n}`);

    const id = generateUid();
    await client.resources.sqlViews.create({
      id,
      name: `dhis2w example ${id}`,
      type: "QUERY",
      cacheStrategy: "NO_CACHE",
      sqlQuery:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: ${name} is DHIS2's SQL view variable syntax
        "select uid, name, hierarchylevel from organisationunit where hierarchylevel <= ${level} order by name",
    } as never);
    try {
      const grid = await client.sqlViews.execute(id, {
        variables: { level: 2 },
        criteria: { hierarchylevel: 2 },
      });
      console.log(
        `level 2 org units (${grid.height} rows, columns ${grid.headers.map((h) => h.name).join(", ")}):`,
      );
      for (const row of gridToRecords(grid).slice(0, 5)) console.log(`  ${row.uid}  ${row.name}`);
      try {
        await client.sqlViews.execute(id);
      } catch (e) {
        if (!(e instanceof SqlViewError)) throw e;
        console.log(`without the variable: ${e.errorCode}, missing ${e.missingVariables.join(", ")}`);
      }
    } finally {
      await client.resources.sqlViews.delete(id);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
