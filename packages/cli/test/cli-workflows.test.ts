/**
 * The data-facing groups end to end: a real `d2w` process against a running emulator with the
 * demo seed, credentials from raw DHIS2_URL/DHIS2_USERNAME/DHIS2_PASSWORD (no profile file).
 * Metadata reads, a gzipped data value import with a refused row, an analytics refresh followed
 * with --watch, the imported values read back through analytics in every output format, tracker.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliSandbox } from "./support/run-cli.js";

let emu: RunningEmulator;
const sandbox = new CliSandbox();
const PERIOD = "202401";
const VALUES = [10, 11, 12];
let de: { id: string; name: string };
let dataSet: string;
let facilities: string[];
let root: string;

type Obj = Record<string, unknown> & { id: string };
const refs = (v: unknown) => (Array.isArray(v) ? (v as { id: string }[]).map((r) => r.id) : []);

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", seed: "demo" });
  sandbox.env = { DHIS2_URL: emu.url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
  const md = emu.state.metadata;
  const defaultCombo = (md.list("categoryCombos") as Obj[]).find((c) => c.isDefault === true)?.id;
  // A data set with a numeric data element on the default category combo, and three of its org units.
  for (const ds of md.list("dataSets") as Obj[]) {
    const ouIds = refs(ds.organisationUnits);
    const des = (ds.dataSetElements as { dataElement: { id: string } }[]).map(
      (x) => md.get("dataElements", x.dataElement.id) as Obj,
    );
    const numeric = des.find(
      (d) => d.valueType === "NUMBER" && (d.categoryCombo as { id: string } | undefined)?.id === defaultCombo,
    );
    if (numeric && ouIds.length >= 4) {
      de = { id: numeric.id, name: String(numeric.name) };
      dataSet = ds.id;
      facilities = ouIds.slice(0, 4);
      break;
    }
  }
  root = (md.list("organisationUnits") as Obj[]).find((o) => o.level === 1)!.id;
  expect(de, "the demo seed has a numeric data element in a data set").toBeDefined();
});
afterAll(async () => {
  await emu?.close();
  sandbox.dispose();
});

describe("d2w against the emulator", () => {
  it("metadata list and get", async () => {
    const list = await sandbox.run([
      "metadata",
      "list",
      "dataElements",
      "--filter",
      `id:eq:${de.id}`,
      "--fields",
      "id,name,valueType",
    ]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^id\s+name\s+valueType$/);
    expect(lines[2]).toMatch(new RegExp(`^${de.id}\\s+${de.name}\\s+NUMBER$`));

    const json = await sandbox.run([
      "--json",
      "metadata",
      "list",
      "dataSets",
      "--fields",
      "id",
      "--page-size",
      "1",
    ]);
    const body = JSON.parse(json.stdout) as {
      pager: { pageSize: number; total: number };
      dataSets: { id: string }[];
    };
    expect(body.dataSets).toHaveLength(1);
    expect(body.pager.total).toBe(emu.state.metadata.count("dataSets"));

    const get = await sandbox.run(["metadata", "get", "dataElements", de.id, "--fields", "id,name"]);
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(new RegExp(`^name:\\s+${de.name}$`, "m"));

    const typo = await sandbox.run(["metadata", "list", "dataElemnts"]);
    expect(typo.code).toBe(2); // a usage mistake
    expect(typo.stderr).toContain('did you mean "dataElements"');

    const missing = await sandbox.run(["metadata", "get", "dataElements", "NoSuchUid01"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^d2w: .*404/m);
  });

  it("imports a gzipped file in chunks, naming the refused row", async () => {
    const rows: Record<string, string>[] = VALUES.map((v, i) => ({
      dataElement: de.id,
      period: PERIOD,
      orgUnit: facilities[i] as string,
      value: String(v),
    }));
    // Row 2 of the file: not a number for a NUMBER data element.
    rows.splice(1, 0, {
      dataElement: de.id,
      period: PERIOD,
      orgUnit: facilities[3] as string,
      value: "not-a-number",
    });
    const file = sandbox.path("values.json.gz");
    writeFileSync(file, gzipSync(JSON.stringify({ dataValues: rows })));

    const r = await sandbox.run(["data", "import", file, "--chunk-size", "2"]);
    expect(r.code).toBe(1); // some rows were refused
    expect(r.stdout).toMatch(/status WARNING: 4 rows, 3 imported, 0 updated, 1 ignored/);
    const conflict = r.stdout.split("\n").find((l) => l.startsWith("2 "));
    expect(conflict, r.stdout).toBeDefined();
    expect(conflict).toContain(de.id);
    expect(r.stderr).toMatch(/^chunk 1: 2 rows read/m);
    expect(r.stderr).toMatch(/^chunk 2: 4 rows read/m);

    const out = sandbox.path("export.csv");
    const exp = await sandbox.run([
      "data",
      "export",
      "--data-set",
      dataSet,
      "--period",
      PERIOD,
      "--org-unit",
      root,
      "--children",
      "--out",
      out,
    ]);
    expect(exp.code).toBe(0);
    const cells = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(",").map((c) => c.replace(/^"|"$/g, "")));
    expect(cells[0]?.slice(0, 6)).toEqual([
      "dataelement",
      "period",
      "orgunit",
      "catoptcombo",
      "attroptcombo",
      "value",
    ]);
    const exported = cells
      .slice(1)
      .filter((c) => c[0] === de.id && c[1] === PERIOD)
      .map((c) => [c[2], c[5]]);
    expect(exported.sort()).toEqual(VALUES.map((v, i) => [facilities[i], String(v)]).sort());
  });

  it("refreshes analytics with --watch: progress on stderr, completion on stdout", async () => {
    const r = await sandbox.run(["maintenance", "refresh", "analytics", "--watch", "--poll-interval", "20"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^analytics table refresh completed: /);
    const progress = r.stderr.trim().split("\n");
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatch(/\[x\]/);
    expect(progress.slice(0, -1).every((l) => l.includes("[ ]"))).toBe(true);

    const noWatch = await sandbox.run(["--json", "maintenance", "refresh", "resource-tables"]);
    expect(noWatch.code).toBe(0);
    expect(JSON.parse(noWatch.stdout).kickoff.response.jobType).toBe("RESOURCE_TABLE");
  });

  it("queries analytics in every format", async () => {
    const total = VALUES.reduce((a, b) => a + b, 0);
    const q = ["analytics", "query", "--dx", de.id, "--pe", PERIOD, "--ou", root];
    const table = await sandbox.run(q);
    expect(table.code).toBe(0);
    const row = table.stdout.split("\n").find((l) => l.startsWith(de.name));
    expect(row, table.stdout).toMatch(new RegExp(`\\s${total}(\\.0)?$`));

    const csvFile = sandbox.path("a.csv");
    expect((await sandbox.run([...q, "--format", "csv", "--out", csvFile])).code).toBe(0);
    expect(readFileSync(csvFile, "utf8")).toMatch(
      new RegExp(`^${de.id},${PERIOD},${root},${total}(\\.0)?$`, "m"),
    );

    const csvOut = await sandbox.run([...q, "--format", "csv"]);
    expect(csvOut.stdout).toBe(readFileSync(csvFile, "utf8"));

    const jsonFile = sandbox.path("a.json");
    expect((await sandbox.run([...q, "--out", jsonFile])).code).toBe(0);
    const grid = JSON.parse(readFileSync(jsonFile, "utf8")) as { rows: string[][] };
    expect(grid.rows.map((r) => Number(r.at(-1)))).toEqual([total]);

    const xmlFile = sandbox.path("a.xml");
    expect((await sandbox.run([...q, "--format", "xml", "--out", xmlFile])).code).toBe(0);
    const xml = readFileSync(xmlFile, "utf8");
    expect(xml.startsWith("<?xml")).toBe(true);
    expect(xml).toContain(de.id);

    const xlsxFile = sandbox.path("a.xlsx");
    const xlsx = await sandbox.run([...q, "--format", "xlsx", "--out", xlsxFile]);
    expect(xlsx.code).toBe(0);
    expect(readFileSync(xlsxFile).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

    const xlsxToStdout = await sandbox.run([...q, "--format", "xlsx"]);
    expect(xlsxToStdout.code).toBe(2);
    expect(xlsxToStdout.stderr).toContain("--out");
  });

  it("lists tracked entities and events of the demo program", async () => {
    const program = (emu.state.metadata.list("programs") as Obj[]).find(
      (p) => p.programType === "WITH_REGISTRATION",
    )!.id;
    const te = await sandbox.run([
      "--json",
      "tracker",
      "list",
      "tracked-entities",
      "--program",
      program,
      "--org-unit-mode",
      "ALL",
      "--page-size",
      "2",
    ]);
    expect(te.code).toBe(0);
    const page = JSON.parse(te.stdout) as { trackedEntities: { trackedEntity: string }[] };
    expect(page.trackedEntities).toHaveLength(2);
    const table = await sandbox.run([
      "tracker",
      "list",
      "events",
      "--program",
      program,
      "--org-unit-mode",
      "ALL",
      "--page-size",
      "3",
    ]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^event\s+programStage/);
    expect(lines).toHaveLength(2 + 3);
    const bad = await sandbox.run(["tracker", "list", "people", "--program", program]);
    expect(bad.code).toBe(2);
  });
});
