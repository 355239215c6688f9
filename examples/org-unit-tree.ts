/**
 * The org unit hierarchy: its levels, the children of the root, the ancestors of a facility,
 * and every descendant streamed page by page (a whole country never sits in memory).
 * `client.organisationUnits` walks the tree; `client.resources.organisationUnits` stays the
 * generic accessor.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/org-unit-tree.ts
 */
import { openClient } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const levels = await client.organisationUnits.levels();
    console.log(`levels: ${levels.map((l) => `${l.level} ${l.name}`).join(", ")}`);

    const [root] = (await client.resources.organisationUnits.list({
      filters: ["level:eq:1"],
      fields: "id,name",
    })) as {
      id: string;
      name: string;
    }[];
    if (!root) throw new Error("no root org unit");
    const children = await client.organisationUnits.children(root.id);
    console.log(`${root.name} has ${children.length} children: ${children.map((c) => c.name).join(", ")}`);

    const perLevel = new Map<number, number>();
    let deepest: { id: string; name?: string } | undefined;
    for await (const unit of client.organisationUnits.descendants(root.id, { pageSize: 250 })) {
      perLevel.set(unit.level, (perLevel.get(unit.level) ?? 0) + 1);
      deepest = unit;
    }
    console.log(`descendants per level: ${[...perLevel].map(([l, n]) => `${l}: ${n}`).join(", ")}`);

    if (deepest) {
      const trail = await client.organisationUnits.ancestors(deepest.id);
      console.log(`${deepest.name}: ${trail.map((a) => a.name).join(" / ")}`);
    }
    const last = levels.at(-1)?.level;
    if (last) {
      let n = 0;
      for await (const _ of client.organisationUnits.descendants(root.id, { level: last })) n++;
      console.log(`${n} org units on level ${last}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
