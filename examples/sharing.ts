/**
 * Sharing: read who may see and change an object, change it with typed access strings, and
 * restore it. Access strings are 8 characters: metadata read/write, data read/write, `----`;
 * `accessString({...})` builds one, `parseAccessString` reads one, and a wrong one is refused
 * before any request.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/sharing.ts
 */
import {
  ACCESS,
  accessString,
  InvalidAccessStringError,
  openClient,
  parseAccessString,
} from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const [ds] = (await client.resources.dataSets.list({ fields: "id,name", pageSize: 1 })) as {
      id: string;
      name: string;
    }[];
    if (!ds) throw new Error("no data set to share");

    const before = await client.sharing.get("dataSet", ds.id);
    console.log(
      `${ds.name}: public=${before.public} external=${before.external} owner=${before.owner ?? "(none)"}`,
    );
    console.log(`public grants ${JSON.stringify(parseAccessString(before.public))}`);

    const group = await client.resources.userGroups.create({ name: `dhis2w sharing example ${Date.now()}` });
    const after = await client.sharing.set("dataSet", ds.id, {
      public: accessString({ read: true, dataRead: true }),
      userGroups: [...before.userGroups, { id: group, access: ACCESS.FULL }],
    });
    console.log(
      `now: public=${after.public}; groups: ${after.userGroups.map((g) => `${g.name} ${g.access}`).join("; ")}`,
    );

    try {
      await client.sharing.set("dataElement", ds.id, { public: "rwrw----" });
    } catch (e) {
      console.log(`refused: ${(e as Error).message}`);
    }
    try {
      // A typo a type checker would catch too; at run time it is refused before any request.
      await client.sharing.set("dataSet", ds.id, { public: "rwx-----" as never });
    } catch (e) {
      if (e instanceof InvalidAccessStringError) console.log(`refused: ${e.message.slice(0, 80)}...`);
      else throw e;
    }

    await client.sharing.set("dataSet", ds.id, {
      public: before.public,
      external: before.external,
      users: before.users,
      userGroups: before.userGroups,
    });
    await client.resources.userGroups.delete(group);
    console.log(`restored: public=${(await client.sharing.get("dataSet", ds.id)).public}`);
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
