import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { BasicAuth } from "../src/auth/basic.js";
import { Dhis2Client } from "../src/client.js";
import { Dhis2ApiError } from "../src/http/errors/index.js";
import { TaskTimeoutError } from "../src/tasks/index.js";
import {
  createTracker,
  EventStatus,
  type TrackerApi,
  type TrackerBundle,
  TrackerJobTimeoutError,
} from "../src/tracker/index.js";
import { generateUid } from "../src/uid.js";

interface Setup {
  emu: Emulator;
  client: Dhis2Client;
  tracker: TrackerApi;
  program: string;
  tet: string;
  stages: string[];
  attribute: string;
  facility: string;
  root: string;
}

const open: { emu: Emulator; client: Dhis2Client }[] = [];
afterEach(async () => {
  for (const { emu, client } of open.splice(0)) {
    await client.close();
    await emu.close();
  }
});

/** A demo emulator of `version` and the ids of its tracker program. */
async function setup(version: "v41" | "v42" | "v43" = "v42"): Promise<Setup> {
  const emu = await createEmulator({ version, seed: "demo" });
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  open.push({ emu, client });
  const programs = await client.getRaw<{ programs: Record<string, unknown>[] }>("/api/programs", {
    params: {
      fields:
        "id,programType,trackedEntityType,programStages,programTrackedEntityAttributes[trackedEntityAttribute]",
      paging: false,
    },
  });
  const p = programs.programs.find((x) => x.programType === "WITH_REGISTRATION");
  if (!p) throw new Error("the demo seed has no tracker program");
  const ids = (v: unknown) => (v as { id: string }[]).map((x) => x.id);
  const attrs = p.programTrackedEntityAttributes as { trackedEntityAttribute: { id: string } }[];
  return {
    emu,
    client,
    tracker: createTracker(client),
    program: p.id as string,
    tet: (p.trackedEntityType as { id: string }).id,
    stages: ids(p.programStages),
    attribute: attrs[0]?.trackedEntityAttribute.id ?? "",
    facility: emu.demo?.facilities[0] ?? "",
    root: emu.demo?.root ?? "",
  };
}

function bundle(
  s: Setup,
  n: number,
  overrides: { tet?: string } = {},
): { bundle: TrackerBundle; tes: string[]; events: string[] } {
  const tes: string[] = [];
  const events: string[] = [];
  const trackedEntities = Array.from({ length: n }, (_, i) => {
    const te = generateUid();
    tes.push(te);
    const ev = generateUid();
    events.push(ev);
    return {
      trackedEntity: te,
      trackedEntityType: overrides.tet ?? s.tet,
      orgUnit: s.facility,
      attributes: [{ attribute: s.attribute, value: `Name${i}` }],
      enrollments: [
        {
          program: s.program,
          orgUnit: s.facility,
          enrolledAt: "2024-03-01",
          events: [
            {
              event: ev,
              programStage: s.stages[0] ?? "",
              orgUnit: s.facility,
              occurredAt: "2024-03-02",
              status: EventStatus.COMPLETED,
            },
          ],
        },
      ],
    };
  });
  return { bundle: { trackedEntities }, tes, events };
}

describe.each(["v41", "v42", "v43"] as const)("client.tracker reads on %s", (version) => {
  it("lists, pages, iterates and gets tracked entities of the demo program", async () => {
    const s = await setup(version);
    const all = await s.tracker.trackedEntities.list({
      program: s.program,
      orgUnits: [s.root],
      orgUnitMode: "DESCENDANTS",
      pageSize: 100,
    });
    expect(all.length).toBeGreaterThan(2);
    expect(all.every((te) => te.trackedEntityType === s.tet)).toBe(true);

    const raw = await s.tracker.trackedEntities.listRaw({
      program: s.program,
      orgUnitMode: "ALL",
      pageSize: 2,
    });
    // 2.41 repeats page/pageSize flat beside the pager; 2.42+ do not.
    expect("page" in raw).toBe(version === "v41");
    expect(raw.pager).toMatchObject({ page: 1, pageSize: 2 });
    expect((raw.pager as Record<string, unknown>).total).toBeUndefined();

    const counted = await s.tracker.trackedEntities.page({
      program: s.program,
      orgUnitMode: "ALL",
      pageSize: 2,
      totalPages: true,
    });
    expect(counted.pager.total).toBe(all.length);
    expect(counted.pager.pageCount).toBe(Math.ceil(all.length / 2));

    const seen: string[] = [];
    for await (const te of s.tracker.trackedEntities.iterate({
      program: s.program,
      orgUnitMode: "ALL",
      pageSize: 2,
    })) {
      seen.push(te.trackedEntity ?? "");
    }
    expect(new Set(seen).size).toBe(all.length);

    const first = all[0]?.trackedEntity ?? "";
    const one = await s.tracker.trackedEntities.get(first, {
      fields: "trackedEntity,enrollments[enrollment,events[event,status]]",
    });
    expect(one.trackedEntity).toBe(first);
    expect(one.enrollments?.[0]?.events?.length).toBeGreaterThan(0);
  });

  it("filters enrollments, events and relationships", async () => {
    const s = await setup(version);
    const enrollments = await s.tracker.enrollments.list({
      program: s.program,
      orgUnitMode: "ALL",
      status: "ACTIVE",
    });
    expect(enrollments.length).toBeGreaterThan(0);
    expect(enrollments.every((e) => e.program === s.program && e.status === "ACTIVE")).toBe(true);

    const stage = s.stages[0] ?? "";
    const events = await s.tracker.events.list({
      program: s.program,
      programStage: stage,
      orgUnits: [s.root],
      orgUnitMode: "DESCENDANTS",
    });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.programStage === stage)).toBe(true);
    const one = events[0];
    const byOu = await s.tracker.events.list({
      program: s.program,
      orgUnits: [one?.orgUnit ?? ""],
      orgUnitMode: "SELECTED",
    });
    expect(byOu.every((e) => e.orgUnit === one?.orgUnit)).toBe(true);
    const none = await s.tracker.events.list({
      program: s.program,
      orgUnitMode: "ALL",
      occurredAfter: "2100-01-01",
    });
    expect(none).toEqual([]);

    const rels = await s.tracker.relationships.list({ trackedEntity: one?.trackedEntity ?? "" });
    expect(rels).toEqual([]);
  });
});

describe("client.tracker.import", () => {
  it("creates nested objects and reports created counts per type", async () => {
    const s = await setup("v42");
    const { bundle: b, tes } = bundle(s, 3);
    const report = await s.tracker.import(b, { importStrategy: "CREATE_AND_UPDATE" });
    expect(report.status).toBe("OK");
    expect(report.stats).toMatchObject({ created: 9, ignored: 0, total: 9 });
    expect(report.bundleReport?.typeReportMap.TRACKED_ENTITY?.stats.created).toBe(3);
    expect(report.bundleReport?.typeReportMap.EVENT?.stats.created).toBe(3);
    const back = await s.tracker.trackedEntities.list({ trackedEntities: tes, orgUnitMode: "ALL" });
    expect(back.map((t) => t.trackedEntity).sort()).toEqual([...tes].sort());
  });

  it("returns the report of a rejected import (HTTP 409) naming the uid and error code", async () => {
    const s = await setup("v42");
    const { bundle: b, tes } = bundle(s, 1, { tet: "NoSuchTet01" });
    const report = await s.tracker.import(b);
    expect(report.status).toBe("ERROR");
    expect(report.validationReport.errorReports).toContainEqual(
      expect.objectContaining({ errorCode: "E1005", trackerType: "TRACKED_ENTITY", uid: tes[0] }),
    );
    // The children of the rejected tracked entity cannot be created either.
    expect(report.validationReport.errorReports.map((e) => e.errorCode)).toContain("E5000");
    await expect(s.client.postRaw("/api/tracker", b, { params: { async: false } })).rejects.toBeInstanceOf(
      Dhis2ApiError,
    );
  });

  it("saves nothing with atomicMode ALL and the valid objects with OBJECT", async () => {
    const s = await setup("v43");
    const good = bundle(s, 2);
    const bad = bundle(s, 1, { tet: "NoSuchTet01" });
    const mixed = {
      trackedEntities: [...(good.bundle.trackedEntities ?? []), ...(bad.bundle.trackedEntities ?? [])],
    };

    const all = await s.tracker.import(mixed, { atomicMode: "ALL" });
    expect(all.status).toBe("ERROR");
    expect(all.stats.created).toBe(0);
    expect(await s.tracker.trackedEntities.list({ trackedEntities: good.tes, orgUnitMode: "ALL" })).toEqual(
      [],
    );

    const object = await s.tracker.import(mixed, { atomicMode: "OBJECT" });
    expect(object.status).toBe("ERROR");
    expect(object.stats).toMatchObject({ created: 6, ignored: 3 });
    const saved = await s.tracker.trackedEntities.list({
      trackedEntities: [...good.tes, ...bad.tes],
      orgUnitMode: "ALL",
    });
    expect(saved.map((t) => t.trackedEntity).sort()).toEqual([...good.tes].sort());
  });

  it("runs async imports as jobs and awaits their report", async () => {
    const s = await setup("v41");
    const { bundle: b, events } = bundle(s, 2);
    const ref = await s.tracker.import(b, { async: true });
    expect(ref.id).toMatch(/^[A-Za-z0-9]{11}$/);
    expect(ref.location).toContain(`/api/tracker/jobs/${ref.id}`);
    const report = await s.tracker.awaitImport(ref, { pollIntervalMs: 5, timeoutMs: 10_000 });
    expect(report.status).toBe("OK");
    expect(report.stats.created).toBe(6);
    const back = await s.tracker.events.list({ events, orgUnitMode: "ALL" });
    expect(back).toHaveLength(2);
  });

  it("stops awaiting a job that never completes after timeoutMs", async () => {
    const s = await setup("v42");
    let clock = 0;
    const waiting = s.tracker.awaitImport("NoSuchJob01", {
      timeoutMs: 3,
      pollIntervalMs: 1,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    await expect(waiting).rejects.toThrow(/NoSuchJob01 did not complete within 3 ms/);
    // One catch serves every job wait: a tracker timeout is also a TaskTimeoutError.
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerJobTimeoutError);
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(error).toMatchObject({
      jobId: "NoSuchJob01",
      ref: { jobType: "TRACKER_IMPORT_JOB", id: "NoSuchJob01" },
    });
  });

  it("deletes with importStrategy DELETE (cascading to enrollments and events)", async () => {
    const s = await setup("v42");
    const { bundle: b, tes, events } = bundle(s, 2);
    await s.tracker.import(b);
    const removed = await s.tracker.import(
      { trackedEntities: [{ trackedEntity: tes[0], trackedEntityType: s.tet, orgUnit: s.facility }] },
      { importStrategy: "DELETE" },
    );
    expect(removed.status).toBe("OK");
    expect(removed.stats.deleted).toBe(1);
    const left = await s.tracker.trackedEntities.list({ trackedEntities: tes, orgUnitMode: "ALL" });
    expect(left.map((t) => t.trackedEntity)).toEqual([tes[1]]);
    await expect(s.tracker.events.get(events[0] ?? "")).rejects.toMatchObject({ statusCode: 404 });
    const again = await s.tracker.import(
      { trackedEntities: [{ trackedEntity: tes[0], trackedEntityType: s.tet, orgUnit: s.facility }] },
      { importStrategy: "DELETE" },
    );
    expect(again.validationReport.errorReports[0]).toMatchObject({ errorCode: "E1114", uid: tes[0] });
  });
});
