/**
 * `npm run demo`: the toolkit end to end on an embedded DHIS2 emulator (no server needed).
 *
 * Starts `@dhis2w/emulator` in-process with its demo seed, then walks the tutorial: the first
 * call through `openClient`, filtered metadata lists, walking every org unit page by page, a
 * streamed data value import, an analytics refresh watched live, an analytics table, and
 * tracker reads. Point it at a real server instead with DHIS2_URL + DHIS2_PAT (or
 * DHIS2_USERNAME + DHIS2_PASSWORD).
 */
import {
  AnalyticsMetaData,
  type DataValue,
  type Dhis2Client,
  gridToRecords,
  openClient,
  profileFromEnvRaw,
} from "@dhis2w/client";
import { startEmulator } from "@dhis2w/emulator";

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const section = (title: string) => console.log(`\n${bold(`== ${title}`)}`);

async function firstCall(client: Dhis2Client): Promise<void> {
  section("Your first call");
  console.log(`Connected to DHIS2 ${client.rawVersion} (bound to ${client.versionKey})`);
  const me = await client.system.me();
  console.log(`  logged in as: ${me.username} (${me.displayName})`);
  const cc = await client.system.defaultCategoryComboUid();
  console.log(`  default category combo: ${cc}`);
}

async function metadata(client: Dhis2Client): Promise<void> {
  section("Typed metadata: filters, order, paging");
  const numeric = await client.resources.dataElements.list({
    filters: ["valueType:eq:NUMBER", "domainType:eq:AGGREGATE"],
    order: "name:asc",
    fields: "id,name,categoryCombo[id]",
    pageSize: 5,
  });
  console.log("  first 5 aggregate NUMBER data elements:");
  for (const de of numeric) console.log(`    ${de.id}  ${de.name}`);

  const started = performance.now();
  const perLevel = new Map<number, number>();
  for await (const ou of client.resources.organisationUnits.iterate({ fields: "id,level", pageSize: 50 })) {
    perLevel.set(ou.level ?? 0, (perLevel.get(ou.level ?? 0) ?? 0) + 1);
  }
  const total = [...perLevel.values()].reduce((a, b) => a + b, 0);
  const levels = [...perLevel.entries()]
    .sort(([a], [b]) => a - b)
    .map(([level, n]) => `L${level}: ${n}`)
    .join(", ");
  console.log(
    `  walked ${total} org units with iterate() in ${Math.round(performance.now() - started)} ms (${levels})`,
  );
}

async function* demoValues(client: Dhis2Client, months: string[]): AsyncGenerator<DataValue> {
  const des = await client.resources.dataElements.list({
    filters: ["domainType:eq:AGGREGATE", "valueType:eq:NUMBER", "categoryCombo.id:eq:bjDvmb4bfuf"],
    fields: "id",
    paging: false,
  });
  const facilities = await client.resources.organisationUnits.list({
    filters: ["level:eq:4"],
    fields: "id",
    paging: false,
  });
  let n = 0;
  for (const pe of months)
    for (const ou of facilities)
      for (const de of des)
        yield { dataElement: de.id, period: pe, orgUnit: ou.id, value: String((n++ * 7919) % 97) };
}

const year = new Date().getUTCFullYear() - 1;

async function dataValues(client: Dhis2Client): Promise<void> {
  section("Bulk data values: streamed, chunked import");
  const months = Array.from({ length: 12 }, (_, i) => `${year}${String(i + 1).padStart(2, "0")}`);
  const result = await client.dataValues.import(demoValues(client, months), {
    chunkSize: 2_000,
    onProgress: (p) => progress(`chunk ${p.chunk + 1}: ${p.rowsRead} rows sent`),
  });
  progress(`${result.chunks} chunks sent`, true);
  const c = result.importCount;
  console.log(
    `  ${result.status}: imported=${c.imported} updated=${c.updated} ignored=${c.ignored} deleted=${c.deleted} (${result.rowsRead} rows, ${result.chunks} chunks, balanced=${result.balanced})`,
  );
}

/** A line that rewrites itself on a terminal, and plain lines elsewhere (CI logs). */
function progress(line: string, done = false): void {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K  ${line}${done ? "\n" : ""}`);
  else if (done) console.log(`  ${line}`);
}

async function refreshAnalytics(client: Dhis2Client): Promise<void> {
  section("Maintenance: refresh analytics tables, watching the job");
  const envelope = await client.maintenance.refreshAnalytics({ lastYears: 2 });
  const ref = envelope.taskRef();
  if (!ref) throw new Error("the server answered no job reference");
  console.log(`  job ${ref.jobType}/${ref.id} started`);
  let count = 0;
  for await (const n of client.tasks.iterNotifications(ref, { pollIntervalMs: 100 })) {
    count++;
    progress(
      `[${n.completed ? "x" : " "}] ${(n.level ?? "INFO").padEnd(5)} ${n.message}`,
      n.completed === true,
    );
  }
  console.log(`  ${count} notifications`);
}

async function analyticsTable(client: Dhis2Client): Promise<void> {
  section(`Analytics: ANC visits by region and quarter, ${year}`);
  const anc = await client.resources.dataElements.list({
    filters: ["code:like:ANC"],
    fields: "id",
    paging: false,
  });
  const root = await client.resources.organisationUnits.list({ filters: ["level:eq:1"], fields: "id" });
  const grid = await client.analytics.query({
    dimensions: [`dx:${anc.map((d) => d.id).join(";")}`, `ou:${root[0]?.id};LEVEL-2`],
    filters: [`pe:${year}`],
    params: { columns: "pe", rows: "ou" },
  });
  const quarters = [1, 2, 3, 4].map((q) => `${year}Q${q}`);
  const byRegion = new Map<string, Map<string, string>>();
  for (const r of gridToRecords(grid)) {
    if (!byRegion.has(String(r.ou))) byRegion.set(String(r.ou), new Map());
    byRegion.get(String(r.ou))!.set(String(r.pe ?? year), String(r.value));
  }
  const meta = AnalyticsMetaData.parse(grid.metaData ?? {});
  const quarterly = await client.analytics.query({
    dimensions: [
      `dx:${anc.map((d) => d.id).join(";")}`,
      `pe:${quarters.join(";")}`,
      `ou:${root[0]?.id};LEVEL-2`,
    ],
  });
  const cells = new Map<string, number>();
  for (const r of gridToRecords(quarterly)) {
    const key = `${r.ou}|${r.pe}`;
    cells.set(key, (cells.get(key) ?? 0) + Number(r.value));
  }
  const regions = [...new Set(gridToRecords(quarterly).map((r) => String(r.ou)))].sort((a, b) =>
    (meta.items[a]?.name ?? a).localeCompare(meta.items[b]?.name ?? b),
  );
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(
    `  ${pad("region", 18)}${quarters.map((q) => q.slice(4).padStart(8)).join("")}${"year".padStart(9)}`,
  );
  for (const ou of regions) {
    const values = quarters.map((q) => cells.get(`${ou}|${q}`) ?? 0);
    const total = values.reduce((a, b) => a + b, 0);
    console.log(
      `  ${pad(meta.items[ou]?.name ?? ou, 18)}${values.map((v) => String(v).padStart(8)).join("")}${String(total).padStart(9)}`,
    );
  }
}

async function tracker(client: Dhis2Client): Promise<void> {
  section("Tracker: enrollments of a tracker program");
  const programs = await client.resources.programs.list({
    filters: ["programType:eq:WITH_REGISTRATION"],
    fields: "id,name",
    pageSize: 1,
  });
  const program = programs[0];
  if (!program) return console.log("  (no tracker program on this server)");
  let entities = 0;
  let events = 0;
  for await (const te of client.tracker.trackedEntities.iterate({
    program: program.id,
    orgUnitMode: "ACCESSIBLE",
    fields: "trackedEntity,enrollments[events[event]]",
    pageSize: 50,
  })) {
    entities++;
    for (const en of te.enrollments ?? []) events += en.events?.length ?? 0;
  }
  console.log(`  ${program.name}: ${entities} tracked entities, ${events} events`);
}

async function main(): Promise<void> {
  const fromEnv = profileFromEnvRaw();
  const emulator = fromEnv ? undefined : await startEmulator({ version: "v42", port: 0, seed: "demo" });
  if (emulator) console.log(`Started the DHIS2 emulator (${emulator.version}) at ${emulator.url}`);
  const profile = fromEnv ?? {
    baseUrl: emulator!.url,
    auth: "basic" as const,
    username: "admin",
    password: "district",
  };
  try {
    await using client = await openClient(profile);
    await firstCall(client);
    await metadata(client);
    await dataValues(client);
    await refreshAnalytics(client);
    await analyticsTable(client);
    await tracker(client);
  } finally {
    await emulator?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
