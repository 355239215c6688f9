/**
 * `client.organisationUnits` (the hierarchy; `client.resources.organisationUnits` stays the
 * generic accessor) against the emulator on each version, and the whole Sierra Leone tree
 * (1,332 org units from ../shared/dhis2/play) streamed page by page.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BasicAuth,
  Dhis2Client,
  InvalidUidError,
  ObjectNotFoundError,
  type OrganisationUnitNode,
  QueryValidationError,
} from "@dhis2w/client";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";

const play = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/dhis2/play");

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const open = (emu: Emulator) =>
  Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });

describe.each(["v41", "v42", "v43"] as const)("client.organisationUnits on %s", (version) => {
  let emu: Emulator;
  let client: Dhis2Client;

  beforeAll(async () => {
    emu = await createEmulator({ version, seed: "demo" });
    client = await open(emu);
  });
  afterAll(async () => {
    await client?.close();
    await emu?.close();
  });

  it("is its own facade beside the generic accessor", () => {
    expectTypeOf(client.organisationUnits.children).toBeFunction();
    expectTypeOf(client.resources.organisationUnits.list).toBeFunction();
    expect(client.organisationUnits).not.toBe(client.resources.organisationUnits);
  });

  it("children: the direct children, without the unit", async () => {
    const { root, regions } = emu.demo!;
    const kids = await client.organisationUnits.children(root);
    expect(kids.map((k) => k.id).sort()).toEqual([...regions].sort());
    expect(kids[0]).toMatchObject({
      level: 2,
      parent: { id: root },
      path: expect.stringMatching(`^/${root}/`),
    });
    // Fields as asked, id/level/path always there.
    const named = await client.organisationUnits.children(root, { fields: "code" });
    expect(Object.keys(named[0]!).sort()).toEqual(["code", "id", "level", "path"]);
    expect(await client.organisationUnits.children(emu.demo!.facilities[0]!)).toEqual([]);
  });

  it("ancestors: root first, without the unit", async () => {
    const { root, regions, districts, facilities } = emu.demo!;
    const trail = await client.organisationUnits.ancestors(facilities[0]!);
    expect(trail.map((t) => [t.id, t.level])).toEqual([
      [root, 1],
      [regions[0], 2],
      [districts[0], 3],
    ]);
    expect(await client.organisationUnits.ancestors(root)).toEqual([]);
  });

  it("descendants: everything below, parents first, streamed in pages; level narrows it", async () => {
    const { root, regions, districts, facilities } = emu.demo!;
    emu.stats.reset();
    const everything = await all(client.organisationUnits.descendants(root, { pageSize: 10 }));
    expect(everything).toHaveLength(regions.length + districts.length + facilities.length);
    expect(everything.map((o) => o.id)).not.toContain(root);
    // Depth first by path: every unit comes after its parent.
    const seen = new Set([root]);
    for (const o of everything) {
      expect(seen.has(o.parent!.id), o.id).toBe(true);
      seen.add(o.id);
    }
    // 64 units, 10 a page: 7 pages (plus one request for the unit itself).
    expect(emu.stats.count("/api/organisationUnits")).toBe(7);
    const level4 = await all(client.organisationUnits.descendants(regions[0]!, { level: 4 }));
    expect(level4).toHaveLength(12);
    expect(level4.every((o) => o.level === 4)).toBe(true);
    expect(await all(client.organisationUnits.descendants(regions[0]!, { level: 2 }))).toEqual([]);
  });

  it("levels: every level in use, 'Level N' where no object names it", async () => {
    await client.resources.organisationUnitLevels.create({ name: "Region", level: 2 });
    const levels = await client.organisationUnits.levels();
    expect(levels.map((l) => [l.level, l.name])).toEqual([
      [1, "Level 1"],
      [2, "Region"],
      [3, "Level 3"],
      [4, "Level 4"],
    ]);
    expect(levels[1]!.id).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
    expect(levels[0]!.id).toBeUndefined();
  });

  it("refuses bad input before any request and names a unit that does not exist", async () => {
    emu.stats.reset();
    await expect(client.organisationUnits.children("x")).rejects.toBeInstanceOf(InvalidUidError);
    expect(() => client.organisationUnits.descendants(emu.demo!.root, { level: 0 })).toThrow(
      QueryValidationError,
    );
    expect(emu.stats.total).toBe(0);
    for (const call of [
      () => client.organisationUnits.children("NoSuchUnit1"),
      () => client.organisationUnits.ancestors("NoSuchUnit1"),
      () => all(client.organisationUnits.descendants("NoSuchUnit1")),
    ]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ObjectNotFoundError);
      expect((err as Error).message).toMatch(/organisationUnit NoSuchUnit1 does not exist on the server$/);
    }
  });

  it("takes a signal", async () => {
    const signal = AbortSignal.abort(new Error("stop"));
    await expect(client.organisationUnits.levels({ signal })).rejects.toThrow("stop");
    await expect(all(client.organisationUnits.descendants(emu.demo!.root, { signal }))).rejects.toThrow(
      "stop",
    );
  });
});

// Real data lives in ../shared (CI has it); without it there is no real tree to walk.
describe.skipIf(!existsSync(play))("the Sierra Leone tree (1,332 org units)", () => {
  it("streams every descendant of the root page by page, never more than a page at once", async () => {
    const units = JSON.parse(await readFile(resolve(play, "organisation_units.json"), "utf8")) as Record<
      string,
      unknown
    >[];
    expect(units).toHaveLength(1332);
    await using emu = await createEmulator({ version: "v42", seed: "empty" });
    await using client = await open(emu);
    const report = await client.metadata.import({ organisationUnits: units } as never);
    expect(report.status).toBe("OK");
    const root = units.find((u) => u.level === 1)!.id as string;
    const pageSize = 200;
    let count = 0;
    let facilities = 0;
    const stream = client.organisationUnits.descendants(root, { pageSize, fields: "name" });
    const iterator = stream[Symbol.asyncIterator]();
    emu.stats.reset();
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      const unit: OrganisationUnitNode = r.value;
      count++;
      if (unit.level === 4) facilities++;
      // Pages are asked for as the loop gets to them: at most one page ahead.
      expect(emu.stats.count("/api/organisationUnits")).toBeLessThanOrEqual(
        Math.floor((count - 1) / pageSize) + 1,
      );
    }
    expect(count).toBe(1331);
    expect(facilities).toBe(units.filter((u) => u.level === 4).length);
    const levels = await client.organisationUnits.levels();
    expect(levels.map((l) => l.level)).toEqual([1, 2, 3, 4]);
  });
});
