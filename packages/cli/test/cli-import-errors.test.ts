/**
 * An import that fails wholesale is summed up, not dumped: many errors are grouped by error code
 * (and type) with counts and the first few objects; the full list is in `--json` and in the file
 * `--errors-out` writes. A handful of errors still print one per line. In-process through
 * `run(argv, io)` against the emulator.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { generateUids } from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessCli } from "./support/in-process.js";

let emu: RunningEmulator;
const cli = new InProcessCli();

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", seed: "demo" });
  cli.env = { DHIS2_URL: emu.url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
});
afterAll(async () => {
  await emu?.close();
  cli.dispose();
});

/** 30 data elements on a category combo that does not exist, the last 12 without a name too. */
function wholesaleFailure(): { file: string; uids: string[] } {
  const uids = generateUids(30);
  const dataElements = uids.map((id, i) => ({
    id,
    ...(i < 18 ? { name: `Wholesale ${id}` } : {}),
    shortName: `W ${id}`,
    valueType: "NUMBER",
    domainType: "AGGREGATE",
    aggregationType: "SUM",
    categoryCombo: { id: "NoSuchCombo" },
  }));
  const file = cli.path(`wholesale-${uids[0]}.json`);
  writeFileSync(file, JSON.stringify({ dataElements }));
  return { file, uids };
}

describe("13,114 error rows printed one per line when a metadata import fails wholesale: group them", () => {
  it("groups by error code with counts and the first objects; a note says where the full list is", async () => {
    const { file, uids } = wholesaleFailure();
    const r = await cli.run(["metadata", "import", file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("status ERROR: 0 created, 0 updated, 0 deleted, 30 ignored (of 30)");
    expect(lines[1]).toMatch(/^CODE\s+TYPE\s+COUNT\s+OBJECTS\s+FIRST MESSAGE$/);
    expect(lines).toHaveLength(5); // status, header, rule, two groups
    expect(lines[3]).toMatch(
      new RegExp(
        `^E5002\\s+DataElement\\s+30\\s+${uids[0]}, ${uids[1]}, ${uids[2]}, … \\(\\+27\\)\\s+Invalid reference \\[NoSuchCombo\\]`,
      ),
    );
    expect(lines[4]).toMatch(
      new RegExp(
        `^E4000\\s+DataElement\\s+12\\s+${uids[18]}, ${uids[19]}, ${uids[20]}, … \\(\\+9\\)\\s+Missing required property \`name\``,
      ),
    );
    expect(r.stderr).toBe("42 errors in 2 groups; the full list: --errors-out FILE or --json\n");
  });

  it("--errors-out writes every error; --json prints every error", async () => {
    const { file, uids } = wholesaleFailure();
    const out = cli.path("errors.json");
    const r = await cli.run(["metadata", "import", file, "--errors-out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`wrote 42 errors to ${out}\n`);
    const written = JSON.parse(readFileSync(out, "utf8")) as { uid: string; errorCode: string }[];
    expect(written).toHaveLength(42);
    expect(new Set(written.map((e) => e.uid))).toEqual(new Set(uids));

    const json = await cli.run(["--json", "metadata", "import", file]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).errors).toEqual(written);
  });

  it("a handful of errors still print one per line", async () => {
    const [id] = generateUids(1);
    const file = cli.path("one-bad.json");
    writeFileSync(
      file,
      JSON.stringify({
        dataElements: [
          { id, shortName: "x", valueType: "NUMBER", domainType: "AGGREGATE", aggregationType: "SUM" },
        ],
      }),
    );
    const r = await cli.run(["metadata", "import", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`^DataElement\\s+${id}\\s+0\\s+E4000\\s+Missing required property \`name\`$`, "m"),
    );
    expect(r.stderr).toBe("");
  });
});

describe("data import conflicts are grouped the same way when there are many", () => {
  it("groups the refused rows by code; --errors-out has every conflict", async () => {
    const md = emu.state.metadata;
    const de = (md.list("dataElements") as { id: string; valueType?: string }[]).find(
      (d) => d.valueType === "NUMBER",
    )!;
    const rows = Array.from({ length: 15 }, (_, i) => ({
      dataElement: de.id,
      period: "202401",
      orgUnit: `NoSuchOu${String(i).padStart(3, "0")}`,
      value: "1",
    }));
    const file = cli.path("conflicts.json");
    writeFileSync(file, JSON.stringify({ dataValues: rows }));
    const out = cli.path("conflicts-out.json");
    const r = await cli.run(["data", "import", file, "--errors-out", out]);
    expect(r.code).toBe(1);
    const written = JSON.parse(readFileSync(out, "utf8")) as { errorCode?: string }[];
    expect(written.length).toBeGreaterThan(10);
    const tableLines = r.stdout.trimEnd().split("\n").slice(1);
    expect(tableLines[0]).toMatch(/^CODE\s+COUNT\s+OBJECTS\s+FIRST MESSAGE$/);
    expect(tableLines.length).toBeLessThan(2 + written.length);
    expect(r.stderr).toContain(
      `${written.length} conflicts in 1 group; the full list: --errors-out FILE or --json\n`,
    );
    expect(r.stderr).toContain(`wrote ${written.length} conflicts to ${out}\n`);
  });
});

describe("tracker import errors are grouped the same way when there are many", () => {
  it("groups the refused events by code", async () => {
    const file = cli.path("tracker-bad.json");
    const events = generateUids(12).map((event) => ({
      event,
      program: "NoSuchProgr",
      programStage: "NoSuchStage",
      orgUnit: "NoSuchOrgUn",
      occurredAt: "2024-01-01",
      status: "COMPLETED",
    }));
    writeFileSync(file, JSON.stringify({ events }));
    const out = cli.path("tracker-errors.json");
    const r = await cli.run(["tracker", "import", file, "--errors-out", out]);
    expect(r.code).toBe(1);
    const written = JSON.parse(readFileSync(out, "utf8")) as unknown[];
    expect(written.length).toBeGreaterThanOrEqual(12);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[1]).toMatch(/^CODE\s+TYPE\s+COUNT\s+OBJECTS\s+FIRST MESSAGE$/);
    expect(lines.length).toBeLessThan(3 + 12);
    expect(r.stderr).toContain(`${written.length} errors in `);
  });
});
