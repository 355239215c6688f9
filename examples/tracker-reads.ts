/**
 * Tracker reads and writes: list tracked entities of a tracker program (one page, then every page
 * with `iterate`), read enrollments and events with filters, and import a new tracked entity with
 * an enrollment and an event, reading the typed import report. Runs against DHIS2_URL when set,
 * else against an embedded emulator with demo data.
 *
 *   npx tsx --conditions=source examples/tracker-reads.ts
 */
import { EventStatus, generateUid, openClient } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

interface ProgramRow {
  id: string;
  name: string;
  programType: string;
  trackedEntityType?: { id: string };
  programStages?: { id: string }[];
  organisationUnits?: { id: string }[];
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const { tracker } = client;
    const programs = (await client.resources.programs.list({
      fields: "id,name,programType,trackedEntityType,programStages,organisationUnits",
      paging: false,
    })) as ProgramRow[];
    const program = programs.find((p) => p.programType === "WITH_REGISTRATION");
    if (!program?.trackedEntityType) throw new Error("no tracker program on this server");
    log(`program ${program.name} (${program.id})`);

    // One page, typed; the options use 2.41+ names on every version.
    const firstPage = await tracker.trackedEntities.page({
      program: program.id,
      orgUnitMode: "ACCESSIBLE",
      pageSize: 5,
      totalPages: true,
    });
    log(`tracked entities: ${firstPage.pager.total ?? "?"} in total, first page:`);
    for (const te of firstPage.items) {
      const names = (te.attributes ?? []).map((a) => a.value).join(" ");
      log(`  ${te.trackedEntity}  orgUnit=${te.orgUnit}  ${names}`);
    }

    // Every page, without totals: the iterator stops at the first short page.
    let count = 0;
    for await (const _event of tracker.events.iterate({
      program: program.id,
      orgUnitMode: "ACCESSIBLE",
      pageSize: 50,
      fields: "event",
    }))
      count += 1;
    const active = await tracker.enrollments.list({
      program: program.id,
      orgUnitMode: "ACCESSIBLE",
      status: "ACTIVE",
      pageSize: 100,
    });
    log(`events: ${count}; active enrollments on the first page: ${active.length}`);

    // A write on the embedded emulator only: a real server's data is not ours to change.
    const orgUnit = program.organisationUnits?.[0]?.id;
    const stage = program.programStages?.[0]?.id;
    if (!target.embedded || !orgUnit || !stage) return;
    const trackedEntity = generateUid();
    const report = await tracker.import(
      {
        trackedEntities: [
          {
            trackedEntity,
            trackedEntityType: program.trackedEntityType.id,
            orgUnit,
            enrollments: [
              {
                program: program.id,
                orgUnit,
                enrolledAt: "2024-05-01",
                events: [
                  { programStage: stage, orgUnit, occurredAt: "2024-05-02", status: EventStatus.COMPLETED },
                ],
              },
            ],
          },
        ],
      },
      { importStrategy: "CREATE_AND_UPDATE", atomicMode: "ALL" },
    );
    log(`import ${report.status}: ${report.stats.created} created, ${report.stats.ignored} ignored`);
    for (const e of report.validationReport.errorReports)
      log(`  ${e.errorCode} ${e.trackerType} ${e.uid}: ${e.message}`);
    const back = await tracker.trackedEntities.get(trackedEntity, {
      fields: "trackedEntity,enrollments[enrollment,events[event,status]]",
    });
    log(`read back ${back.trackedEntity} with ${back.enrollments?.[0]?.events?.length ?? 0} event(s)`);
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, () => main());
