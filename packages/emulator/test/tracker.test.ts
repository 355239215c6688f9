import { describe, expect, it } from "vitest";
import type { Emulator } from "../src/create.js";
import { generateUid } from "../src/uid.js";
import { call, useEmulator } from "./emulator-helpers.js";

const start = useEmulator();

interface Demo {
  program: string;
  tet: string;
  stages: string[];
  attribute: string;
}

async function json(
  emu: Emulator,
  path: string,
  init?: Parameters<typeof call>[2],
  // biome-ignore lint/suspicious/noExplicitAny: tests poke into arbitrary JSON answers
): Promise<{ status: number; body: any }> {
  const res = await call(emu, path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function post(emu: Emulator, path: string, body: unknown) {
  return json(emu, path, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
}

async function demo(emu: Emulator): Promise<Demo> {
  const { body } = await json(
    emu,
    "/api/programs?paging=false&fields=id,programType,trackedEntityType,programStages,programTrackedEntityAttributes[trackedEntityAttribute]",
  );
  const p = body.programs.find((x: { programType: string }) => x.programType === "WITH_REGISTRATION");
  return {
    program: p.id,
    tet: p.trackedEntityType.id,
    stages: p.programStages.map((s: { id: string }) => s.id),
    attribute: p.programTrackedEntityAttributes[0].trackedEntityAttribute.id,
  };
}

describe("/api/tracker (emulator)", () => {
  it("seeds demo tracked entities for the demo tracker program", async () => {
    const emu = await start({ seed: "demo" });
    const d = await demo(emu);
    const { status, body } = await json(
      emu,
      `/api/tracker/trackedEntities?program=${d.program}&orgUnitMode=ALL&fields=*`,
    );
    expect(status).toBe(200);
    expect(body.trackedEntities.length).toBeGreaterThan(0);
    const te = body.trackedEntities[0];
    expect(te.enrollments[0].program).toBe(d.program);
    expect(te.enrollments[0].events.length).toBe(d.stages.length);
    expect(te.programOwners).toEqual([
      { orgUnit: te.orgUnit, trackedEntity: te.trackedEntity, program: d.program },
    ]);
  });

  it("answers a rejected sync import with 409 and the report; async is the default", async () => {
    const emu = await start({ seed: "demo" });
    const d = await demo(emu);
    const ou = emu.demo?.facilities[0];
    const uid = generateUid();
    const bad = await post(emu, "/api/tracker?async=false", {
      trackedEntities: [{ trackedEntity: uid, trackedEntityType: d.tet, orgUnit: "NoSuchOu001" }],
    });
    expect(bad.status).toBe(409);
    expect(bad.body.status).toBe("ERROR");
    expect(bad.body.validationReport.errorReports).toEqual([
      {
        message: "Could not find OrganisationUnit: `NoSuchOu001` linked to TrackedEntity.",
        errorCode: "E1049",
        trackerType: "TRACKED_ENTITY",
        uid,
        args: ["NoSuchOu001"],
      },
    ]);
    expect(bad.body.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 1, total: 1 });

    const kick = await post(emu, "/api/tracker", {
      trackedEntities: [{ trackedEntity: uid, trackedEntityType: d.tet, orgUnit: ou }],
    });
    expect(kick.status).toBe(200);
    expect(kick.body).toMatchObject({ httpStatus: "OK", status: "OK", message: "Tracker job added" });
    const id = kick.body.response.id;
    expect(kick.body.response.location).toBe(`${emu.url}/api/tracker/jobs/${id}`);
    let notes: { completed: boolean; message: string }[] = [];
    for (let i = 0; i < 50 && !notes.some((n) => n.completed); i++) {
      notes = (await json(emu, `/api/tracker/jobs/${id}`)).body;
      await new Promise((r) => setImmediate(r));
    }
    // Newest first: the completion note leads.
    expect(notes[0]).toMatchObject({
      completed: true,
      message: "Import complete with status OK, 1 created, 0 updated, 0 deleted, 0 ignored",
    });
    const report = await json(emu, `/api/tracker/jobs/${id}/report?reportMode=FULL`);
    expect(report.body.status).toBe("OK");
    expect(report.body.timingsStats).toBeDefined();
    expect(report.body.bundleReport.typeReportMap.TRACKED_ENTITY.objectReports).toEqual([
      { trackerType: "TRACKED_ENTITY", uid, index: 0, errorReports: [] },
    ]);
    expect((await json(emu, "/api/tracker/jobs/NoSuchJob01/report")).status).toBe(404);
  });

  it("validates references: unknown stage, data element outside the stage, missing enrollment", async () => {
    const emu = await start({ seed: "demo" });
    const d = await demo(emu);
    const ou = emu.demo?.facilities[0];
    const ev = (extra: Record<string, unknown>) => ({
      event: generateUid(),
      orgUnit: ou,
      occurredAt: "2024-01-01",
      ...extra,
    });
    const events = [
      ev({ programStage: "NoSuchStage" }),
      ev({ programStage: d.stages[0], enrollment: "NoSuchEnrol" }),
      ev({ programStage: d.stages[0] }),
    ];
    const { status, body } = await post(emu, "/api/tracker?async=false&atomicMode=OBJECT", { events });
    expect(status).toBe(409);
    const codes = body.validationReport.errorReports.map((e: { uid: string; errorCode: string }) => [
      e.uid,
      e.errorCode,
    ]);
    expect(codes).toEqual([
      [events[0]?.event, "E1013"],
      [events[1]?.event, "E1081"],
      [events[2]?.event, "E1033"],
    ]);
  });

  it("scopes by org unit mode through the hierarchy and filters attributes", async () => {
    const emu = await start({ seed: "demo" });
    const d = await demo(emu);
    const demoIds = emu.demo;
    if (!demoIds) throw new Error("demo ids missing");
    const [f1, f2] = demoIds.facilities;
    const te = (ou: string | undefined, name: string) => ({
      trackedEntity: generateUid(),
      trackedEntityType: d.tet,
      orgUnit: ou,
      attributes: [{ attribute: d.attribute, value: name }],
    });
    const a = te(f1, "Zebedee");
    const b = te(f2, "Zelda");
    expect((await post(emu, "/api/tracker?async=false", { trackedEntities: [a, b] })).status).toBe(200);
    const ids = (body: { trackedEntities: { trackedEntity: string }[] }) =>
      body.trackedEntities.map((t) => t.trackedEntity).sort();
    const q = `trackedEntityType=${d.tet}&trackedEntities=${a.trackedEntity},${b.trackedEntity}`;
    expect(ids((await json(emu, `/api/tracker/trackedEntities?${q}&orgUnits=${f1}`)).body)).toEqual([
      a.trackedEntity,
    ]);
    expect(ids((await json(emu, `/api/tracker/trackedEntities?${q}&orgUnits=${demoIds.root}`)).body)).toEqual(
      [],
    );
    const desc = (
      await json(emu, `/api/tracker/trackedEntities?${q}&orgUnits=${demoIds.root}&orgUnitMode=DESCENDANTS`)
    ).body;
    expect(ids(desc)).toEqual([a.trackedEntity, b.trackedEntity].sort());
    const zeb = (
      await json(
        emu,
        `/api/tracker/trackedEntities?trackedEntityType=${d.tet}&orgUnitMode=ALL&filter=${d.attribute}:like:zeb`,
      )
    ).body;
    expect(ids(zeb)).toEqual([a.trackedEntity]);
    const bad = await json(emu, `/api/tracker/trackedEntities?orgUnitMode=ALL`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain(
      "Either `program`, `trackedEntityType` or `trackedEntities` should be specified",
    );
  });

  it("quirk: pages with the version's envelope, totals only on request, and projects fields", async () => {
    const v41 = await start({ seed: "demo", version: "v41" });
    const d = await demo(v41);
    const page = (
      await json(
        v41,
        `/api/tracker/events?program=${d.program}&orgUnitMode=ALL&pageSize=3&page=2&fields=event,dataValues[dataElement]`,
      )
    ).body;
    expect(page.page).toBe(2);
    expect(page.pageSize).toBe(3);
    expect(page.pager.total).toBeUndefined();
    expect(page.pager.prevPage).toContain("page=1");
    expect(Object.keys(page.events[0]).sort()).toEqual(["dataValues", "event"]);
    expect(Object.keys(page.events[0].dataValues[0])).toEqual(["dataElement"]);

    const v43 = await start({ seed: "demo", version: "v43" });
    const d43 = await demo(v43);
    const counted = (
      await json(
        v43,
        `/api/tracker/enrollments?program=${d43.program}&orgUnitMode=ALL&pageSize=4&totalPages=true`,
      )
    ).body;
    expect("page" in counted).toBe(false);
    const all = (
      await json(v43, `/api/tracker/enrollments?program=${d43.program}&orgUnitMode=ALL&paging=false`)
    ).body;
    expect(counted.pager).toMatchObject({
      page: 1,
      pageSize: 4,
      total: all.enrollments.length,
      pageCount: Math.ceil(all.enrollments.length / 4),
    });
    const missing = await json(v43, "/api/tracker/events/NoSuchEvt01");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Event with id NoSuchEvt01 could not be found.");
  });

  it("keeps thousands of events queryable by program stage and date", async () => {
    const emu = await start({ seed: "demo" });
    const d = await demo(emu);
    const ou = emu.demo?.facilities[0];
    const enrollments = Array.from({ length: 50 }, () => ({
      program: d.program,
      orgUnit: ou,
      enrolledAt: "2024-01-01",
      events: Array.from({ length: 40 }, (_, k) => ({
        programStage: d.stages[k % 2],
        orgUnit: ou,
        occurredAt: `2024-${String(1 + (k % 12)).padStart(2, "0")}-15`,
      })),
    }));
    const trackedEntities = enrollments.map((en) => ({
      trackedEntityType: d.tet,
      orgUnit: ou,
      enrollments: [en],
    }));
    const res = await post(emu, "/api/tracker?async=false", { trackedEntities });
    expect(res.body.stats.created).toBe(50 + 50 + 2000);
    const june = (
      await json(
        emu,
        `/api/tracker/events?program=${d.program}&programStage=${d.stages[1]}&orgUnit=${ou}&occurredAfter=2024-06-01&occurredBefore=2024-06-30&totalPages=true&pageSize=1`,
      )
    ).body;
    // Stage 2 gets the odd k; June is k % 12 === 5 -> k = 5, 17, 29: three per enrollment.
    expect(june.pager.total).toBe(150);
  });
});
