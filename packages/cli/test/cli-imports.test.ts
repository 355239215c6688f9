/**
 * The import commands and data integrity end to end: a real `d2w` process against the demo
 * emulator (raw DHIS2_URL/DHIS2_USERNAME/DHIS2_PASSWORD, no profile file). Metadata goes out to a
 * file and back in; refused imports exit 1 and name each error; a tracker bundle file is imported
 * and read back; a data element outside every data set shows up as a data integrity issue.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliSandbox } from "./support/run-cli.js";

let emu: RunningEmulator;
const sandbox = new CliSandbox();

type Obj = Record<string, unknown> & { id: string };
const refs = (v: unknown) => (Array.isArray(v) ? (v as { id: string }[]).map((r) => r.id) : []);

/** Fresh UIDs from `d2w system uid` (11 characters, a letter first). */
async function uids(n: number): Promise<string[]> {
  const r = await sandbox.run(["system", "uid", "-n", String(n)]);
  expect(r.code).toBe(0);
  return r.stdout.trim().split("\n");
}

/** The data lines of a table `d2w` printed (after the header and its rule). */
const tableRows = (stdout: string) => {
  const lines = stdout.trimEnd().split("\n");
  const rule = lines.findIndex((l) => /^-+(\s+-+)*$/.test(l));
  return rule < 0 ? [] : lines.slice(rule + 1);
};

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", seed: "demo" });
  sandbox.env = { DHIS2_URL: emu.url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
});
afterAll(async () => {
  await emu?.close();
  sandbox.dispose();
});

describe("d2w metadata export / import", () => {
  it("round-trips through a file: export, edit, import, read back", async () => {
    const file = sandbox.path("options.json");
    const exp = await sandbox.run(["metadata", "export", "--types", "optionSets,options", "--out", file]);
    expect(exp.code).toBe(0);
    expect(exp.stdout).toBe("");
    const sets = emu.state.metadata.count("optionSets");
    const options = emu.state.metadata.count("options");
    expect(exp.stderr.trim()).toBe(`wrote ${sets} optionSets, ${options} options to ${file}`);

    const bundle = JSON.parse(readFileSync(file, "utf8")) as { optionSets: Obj[]; options: Obj[] };
    expect(bundle.optionSets.map((o) => o.id).sort()).toEqual(
      (emu.state.metadata.list("optionSets") as Obj[]).map((o) => o.id).sort(),
    );
    const target = bundle.optionSets[0]!;
    target.name = `${String(target.name)} (renamed by d2w)`;
    writeFileSync(file, JSON.stringify(bundle));

    const imp = await sandbox.run(["metadata", "import", file]);
    expect(imp.stderr).toBe("");
    expect(imp.code).toBe(0);
    expect(imp.stdout.trim()).toBe(
      `status OK: 0 created, ${sets + options} updated, 0 deleted, 0 ignored (of ${sets + options})`,
    );
    const get = await sandbox.run(["--json", "metadata", "get", "optionSets", target.id, "--fields", "name"]);
    expect(JSON.parse(get.stdout).name).toBe(target.name);
  });

  it("a refused import exits 1 and prints each error with type, uid and message", async () => {
    const [good, noName, badRef] = await uids(3);
    const missingCombo = "NoSuchCombo";
    const element = (id: string, extra: Record<string, unknown>) => ({
      id,
      shortName: `d2w ${id}`,
      valueType: "NUMBER",
      domainType: "AGGREGATE",
      aggregationType: "SUM",
      ...extra,
    });
    const file = sandbox.path("bad-metadata.json");
    writeFileSync(
      file,
      JSON.stringify({
        dataElements: [
          element(good!, { name: `d2w good ${good}` }),
          element(noName!, {}),
          element(badRef!, { name: `d2w bad ref ${badRef}`, categoryCombo: { id: missingCombo } }),
        ],
      }),
    );
    const r = await sandbox.run(["metadata", "import", file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^status ERROR: 0 created/);
    expect(lines[1]).toMatch(/^TYPE\s+UID\s+INDEX\s+CODE\s+MESSAGE$/);
    const rows = tableRows(r.stdout);
    expect(rows.find((l) => l.includes(noName!))).toMatch(
      new RegExp(`^DataElement\\s+${noName}\\s+1\\s+E4000\\s+Missing required property \`name\``),
    );
    expect(rows.find((l) => l.includes(badRef!))).toMatch(
      new RegExp(
        `^DataElement\\s+${badRef}\\s+2\\s+E5002\\s+Invalid reference \\[${missingCombo}\\] \\(CategoryCombo\\) on object d2w bad ref ${badRef} \\[${badRef}\\] \\(DataElement\\) for association \`categoryCombo\`$`,
      ),
    );
    expect(rows.some((l) => l.includes(good!))).toBe(false);
    // atomicMode ALL (the default): the valid object was not stored either.
    expect(emu.state.metadata.has("dataElements", good!)).toBe(false);

    const json = await sandbox.run(["--json", "metadata", "import", file]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      status: string;
      errors: { uid: string; errorCode: string }[];
    };
    expect(report.status).toBe("ERROR");
    expect(report.errors.map((e) => [e.uid, e.errorCode]).sort()).toEqual(
      [
        [noName, "E4000"],
        [badRef, "E5002"],
      ].sort(),
    );

    const missing = await sandbox.run(["metadata", "import", sandbox.path("nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`d2w: file not found: ${sandbox.path("nope.json")}`);
  });
});

describe("d2w metadata import of a DHIS2 export with non-metadata keys", () => {
  it("skips them by default and lists them on stderr; --reject-non-metadata refuses them naming the flag", async () => {
    const [deId, interpretationId] = await uids(2);
    const file = sandbox.path("with-interpretations.json");
    writeFileSync(
      file,
      JSON.stringify({
        dataElements: [
          {
            id: deId,
            name: `Skip test ${deId}`,
            shortName: `Skip ${deId}`,
            domainType: "AGGREGATE",
            valueType: "NUMBER",
            aggregationType: "SUM",
            categoryCombo: { id: "bjDvmb4bfuf" },
          },
        ],
        interpretations: [{ id: interpretationId, text: "a comment" }],
      }),
    );
    const refused = await sandbox.run(["metadata", "import", file, "--reject-non-metadata"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      '"interpretations" (1 object; DHIS2 exports it but does not import it as metadata)',
    );
    expect(refused.stderr).toContain("without --reject-non-metadata");
    expect(emu.state.metadata.get("dataElements", deId!)).toBeUndefined();

    const skipped = await sandbox.run(["metadata", "import", file]);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr.trim()).toBe(
      "skipped (DHIS2 does not import them as metadata): interpretations (1)",
    );
    expect(skipped.stdout).toMatch(/status OK: 1 created/);
    expect(emu.state.metadata.get("dataElements", deId!)).toBeDefined();
  });
});

describe("d2w tracker import", () => {
  it("imports a small bundle file, then names the error of a bad one", async () => {
    const md = emu.state.metadata;
    const program = (md.list("programs") as Obj[]).find(
      (p) => p.programType === "WITH_REGISTRATION" && refs(p.organisationUnits).length > 0,
    )!;
    const stage = (md.list("programStages") as Obj[]).find(
      (s) => (s.program as { id: string }).id === program.id,
    )!;
    const orgUnit = refs(program.organisationUnits)[0]!;
    const tet = (program.trackedEntityType as { id: string }).id;
    const [te, enrollment, event, badEvent] = await uids(4);
    const file = sandbox.path("bundle.json");
    writeFileSync(
      file,
      JSON.stringify({
        trackedEntities: [{ trackedEntity: te, trackedEntityType: tet, orgUnit }],
        enrollments: [
          {
            enrollment,
            trackedEntity: te,
            program: program.id,
            orgUnit,
            enrolledAt: "2024-01-10",
            occurredAt: "2024-01-10",
          },
        ],
        events: [
          {
            event,
            enrollment,
            program: program.id,
            programStage: stage.id,
            orgUnit,
            occurredAt: "2024-01-11",
            status: "COMPLETED",
          },
        ],
      }),
    );
    const r = await sandbox.run(["tracker", "import", file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("status OK: 3 created, 0 updated, 0 deleted, 0 ignored (of 3)");

    const listed = await sandbox.run([
      "--json",
      "tracker",
      "list",
      "events",
      "--program",
      program.id,
      "--org-unit",
      orgUnit,
      "--page-size",
      "1000",
    ]);
    expect(listed.code).toBe(0);
    const events = (JSON.parse(listed.stdout) as { events: { event: string; enrollment: string }[] }).events;
    expect(events.find((e) => e.event === event)).toMatchObject({ enrollment });

    const missingStage = "NoSuchStage";
    const bad = sandbox.path("bad-bundle.json");
    writeFileSync(
      bad,
      JSON.stringify({
        events: [
          {
            event: badEvent,
            enrollment,
            program: program.id,
            programStage: missingStage,
            orgUnit,
            occurredAt: "2024-01-12",
          },
        ],
      }),
    );
    const refused = await sandbox.run(["tracker", "import", bad]);
    expect(refused.code).toBe(1);
    const lines = refused.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("status ERROR: 0 created, 0 updated, 0 deleted, 1 ignored (of 1)");
    expect(lines[1]).toMatch(/^TYPE\s+UID\s+CODE\s+MESSAGE$/);
    expect(tableRows(refused.stdout)).toEqual([
      expect.stringMatching(
        new RegExp(`^EVENT\\s+${badEvent}\\s+E1013\\s+Could not find ProgramStage: \`${missingStage}\``),
      ),
    ]);

    const notObject = sandbox.path("list.json");
    writeFileSync(notObject, "[]");
    const shape = await sandbox.run(["tracker", "import", notObject]);
    expect(shape.code).toBe(1);
    expect(shape.stderr.trim()).toBe(`d2w: ${notObject}: expected a JSON object at the top level`);
  });
});

describe("d2w maintenance dataintegrity", () => {
  it("run --watch finds a data element outside every data set; issues lists it", async () => {
    const [orphan] = await uids(1);
    const name = `d2w orphan ${orphan}`;
    const file = sandbox.path("orphan.json");
    writeFileSync(
      file,
      JSON.stringify({
        dataElements: [
          {
            id: orphan,
            name,
            shortName: name,
            valueType: "NUMBER",
            domainType: "AGGREGATE",
            aggregationType: "SUM",
          },
        ],
      }),
    );
    const created = await sandbox.run(["metadata", "import", file]);
    expect(created.code, created.stdout).toBe(0);
    expect(created.stdout).toMatch(/^status OK: 1 created/);

    const check = "data_elements_without_data_sets";
    const run = await sandbox.run([
      "maintenance",
      "dataintegrity",
      "run",
      "--checks",
      check,
      "--details",
      "--watch",
      "--poll-interval",
      "20",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const progress = run.stderr.trim().split("\n");
    expect(progress.at(-1)).toMatch(/\[x\]/);
    expect(run.stdout.split("\n")[0]).toMatch(/^CHECK\s+SEVERITY\s+COUNT\s+ERROR$/);
    const row = tableRows(run.stdout).find((l) => l.startsWith(check));
    const count = Number(row?.split(/\s+/)[2]);
    expect(count).toBeGreaterThanOrEqual(1);

    const issues = await sandbox.run(["maintenance", "dataintegrity", "issues", "--checks", check]);
    expect(issues.code).toBe(0);
    const rows = tableRows(issues.stdout);
    expect(rows).toHaveLength(count);
    expect(rows.find((l) => l.includes(orphan!))).toMatch(
      new RegExp(`^${check}\\s+\\S+\\s+${orphan}\\s+${name}$`),
    );
  });
});
