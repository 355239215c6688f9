/**
 * Done-when of the tracker work: the real Sierra Leone metadata and 500 real tracked entities of the
 * Child Programme go in through the public API and come back complete.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { createEmulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { BasicAuth } from "../src/auth/basic.js";
import { Dhis2Client } from "../src/client.js";
import { createTracker, type TrackerBundle, trackerImportErrors } from "../src/tracker/index.js";

const PLAY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../shared/dhis2/play");
const present = ["metadata.json", "organisation_units.json", "tracker_payload.json.gz"].every((f) =>
  existsSync(path.join(PLAY, f)),
);

// The real DHIS2 export lives in ../shared (never copied into the repo); without it there is nothing to import.
describe.skipIf(!present)("tracker import of the real Child Programme payload", () => {
  it("imports 500 tracked entities with their enrollments and events and reads them all back", async () => {
    // Seed "empty": the demo seed's own tracker metadata shares names (First name, ...) with the export.
    await using emu = await createEmulator({ version: "v42", seed: "empty" });
    await using client = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    const read = (f: string) => JSON.parse(readFileSync(path.join(PLAY, f), "utf8"));
    const params = { importStrategy: "CREATE_AND_UPDATE", atomicMode: "NONE" };
    const ous = await client.postRaw<{ status?: string }>(
      "/api/metadata",
      { organisationUnits: read("organisation_units.json") },
      { params },
    );
    expect(ous.status).toBe("OK");
    const md = await client.postRaw<{ status?: string }>("/api/metadata", read("metadata.json"), { params });
    expect(md.status).toBe("OK");

    const payload = JSON.parse(
      gunzipSync(readFileSync(path.join(PLAY, "tracker_payload.json.gz"))).toString("utf8"),
    ) as TrackerBundle;
    const tes = payload.trackedEntities ?? [];
    const enrollments = tes.flatMap((t) => t.enrollments ?? []);
    const events = enrollments.flatMap((e) => e.events ?? []);
    expect(tes).toHaveLength(500);

    const tracker = createTracker(client);
    const report = await tracker.import(payload, { importStrategy: "CREATE_AND_UPDATE", atomicMode: "ALL" });
    expect(trackerImportErrors(report)).toEqual([]);
    expect(report.status).toBe("OK");
    expect(report.stats.created).toBe(tes.length + enrollments.length + events.length);

    const program = "IpHINAT79UW";
    const teIds: string[] = [];
    for await (const te of tracker.trackedEntities.iterate({
      program,
      orgUnitMode: "ALL",
      pageSize: 120,
      fields: "trackedEntity",
    })) {
      teIds.push(te.trackedEntity ?? "");
    }
    expect(new Set(teIds)).toEqual(new Set(tes.map((t) => t.trackedEntity)));
    const en = await tracker.enrollments.page({ program, orgUnitMode: "ALL", totalPages: true, pageSize: 1 });
    expect(en.pager.total).toBe(enrollments.length);
    let eventCount = 0;
    for await (const _ of tracker.events.iterate({
      program,
      orgUnitMode: "ALL",
      pageSize: 250,
      fields: "event",
    }))
      eventCount += 1;
    expect(eventCount).toBe(events.length);

    // One object read back keeps its attribute and data values.
    const sample = events.find((e) => (e.dataValues ?? []).length > 0);
    const stored = await tracker.events.get(sample?.event ?? "");
    expect(stored.dataValues?.map((d) => [d.dataElement, d.value]).sort()).toEqual(
      (sample?.dataValues ?? []).map((d) => [d.dataElement, d.value]).sort(),
    );
  }, 120_000);
});
