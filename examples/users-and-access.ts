/**
 * Users and access: list users with their capture scope, give a user org units for data capture
 * (added, or `replace`d), manage group membership, disable and enable an account. On a server
 * where you captured nowhere, `assignOrganisationUnits(me, { capture: [root] })` is what makes
 * your next data import land: the server's cached capture scope is cleared for you.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/users-and-access.ts
 */
import { InvalidUidError, ObjectNotFoundError, openClient } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);

    let shown = 0;
    for await (const u of client.users.list({ pageSize: 50 })) {
      if (shown++ < 5)
        console.log(`${u.username.padEnd(12)} capture=${u.organisationUnits.join(",") || "(none)"}`);
    }
    console.log(`${shown} users`);

    const me = await client.users.get((await client.system.me()).username);
    const [root] = (await client.resources.organisationUnits.list({
      filters: ["level:eq:1"],
      fields: "id,name",
    })) as {
      id: string;
      name: string;
    }[];
    if (root) {
      const done = await client.users.assignOrganisationUnits(me.id, { capture: [root.id], view: [root.id] });
      console.log(
        `${me.username} captures under ${root.name}: changed=[${done.changed.join(",")}] cacheCleared=${done.cacheCleared}`,
      );
    }

    const group = await client.resources.userGroups.create({ name: `dhis2w example ${Date.now()}` });
    console.log(`added to a new group: ${(await client.users.addToGroup(me.id, group)).changed}`);
    console.log(`added again: ${(await client.users.addToGroup(me.id, group)).changed} (already a member)`);
    console.log(`removed: ${(await client.users.removeFromGroup(me.id, group)).changed}`);
    await client.resources.userGroups.delete(group);

    if (target.embedded) {
      // Only on the embedded emulator: a real server's users are not ours to lock out.
      const clerk = await client.users.get("district");
      console.log(`disable district: changed=${(await client.users.disable(clerk.id)).changed}`);
      console.log(`enable district: changed=${(await client.users.enable(clerk.id)).changed}`);
    }

    for (const attempt of [
      () => client.users.disable("not-a-uid"),
      () => client.users.addToGroup(me.id, "NoSuchGrp01"),
    ]) {
      try {
        await attempt();
      } catch (e) {
        if (e instanceof InvalidUidError || e instanceof ObjectNotFoundError)
          console.log(`refused: ${e.message}`);
        else throw e;
      }
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
