/**
 * The data store: JSON values in namespaces of keys, shared by every user (`client.dataStore`)
 * or one store per user (`client.userDataStore`). Sets values (create or replace), reads them
 * back typed by a zod schema, lists namespaces and keys, queries a namespace with fields,
 * filters and order over every page, and shows a name DHIS2 would refuse being refused first.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/data-store.ts
 */
import { DataStoreInputError, openClient } from "@dhis2w/client";
import { z } from "zod";
import { exampleTarget, runIfMain } from "./_support.js";

const Config = z.object({ theme: z.enum(["dark", "light"]), pageSize: z.number().int() });

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const ns = "dhis2w-example";

    const first = await client.dataStore.set(ns, "config", { theme: "dark", pageSize: 20 });
    const again = await client.dataStore.set(ns, "config", { theme: "light", pageSize: 50 });
    console.log(`set config: created=${first.created}, then created=${again.created} (replaced)`);
    const config = await client.dataStore.get(ns, "config", { schema: Config });
    console.log(`config (typed by zod): theme=${config?.theme} pageSize=${config?.pageSize}`);
    console.log(`as DHIS2 sends it: ${await client.dataStore.getText(ns, "config")}`);

    const pets = { cat: 9, cow: 5, dog: 11, hamster: 2, pig: 6 };
    for (const [name, age] of Object.entries(pets))
      await client.dataStore.set(`${ns}-pets`, name, { name, age });
    console.log(`keys of ${ns}-pets: ${(await client.dataStore.keys(`${ns}-pets`)).join(", ")}`);
    const old: string[] = [];
    for await (const pet of client.dataStore.query<{ age: number }>(`${ns}-pets`, {
      fields: "age",
      filter: "age:gt:5",
      order: "age:ndesc",
      pageSize: 2, // several pages, iterated for us
    })) {
      old.push(`${pet.key} (${pet.age})`);
    }
    console.log(`older than 5, oldest first: ${old.join(", ")}`);

    await client.userDataStore.set("prefs", "language", "fr");
    console.log(
      `my own store: prefs/language = ${JSON.stringify(await client.userDataStore.get("prefs", "language"))}`,
    );

    try {
      await client.dataStore.set(ns, "reports/2024", 1);
    } catch (e) {
      if (!(e instanceof DataStoreInputError)) throw e;
      console.log(`refused before any request: ${e.message}`);
    }

    await client.dataStore.deleteNamespace(ns);
    await client.dataStore.deleteNamespace(`${ns}-pets`);
    await client.userDataStore.delete("prefs", "language");
    console.log(
      `cleaned up; namespaces left from this example: ${(await client.dataStore.namespaces()).filter((n) => n.startsWith(ns)).length}`,
    );
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
