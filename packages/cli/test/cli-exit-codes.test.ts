/**
 * Usage mistakes (a filter typo, an unknown type, a malformed dimension) exit 2, as the README
 * says; DHIS2's 4xx answers and bad file contents stay 1. In-process through `run(argv, io)`
 * against the emulator.
 */
import { writeFileSync } from "node:fs";
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

describe("Usage mistakes (a filter typo, an unknown type) exit 2 as the README says", () => {
  it("a filter with an unknown operator exits 2 before any request, with a suggestion", async () => {
    const before = emu.stats.count("/api/dataElements");
    const r = await cli.run(["metadata", "list", "dataElements", "--filter", "name:likes:anc"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^d2w: invalid filter "name:likes:anc": unknown operator "likes"; did you mean/);
    expect(emu.stats.count("/api/dataElements")).toBe(before);
  });

  it("a filter on a property the type does not have exits 2", async () => {
    const r = await cli.run(["metadata", "list", "dataElements", "--filter", "nmae:eq:x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"nmae"');
  });

  it("an unknown metadata type exits 2 in list, get and export, naming the close type", async () => {
    for (const argv of [
      ["metadata", "list", "dataElemnts"],
      ["metadata", "get", "dataElemnts", "fbfJHSPpUQD"],
      ["metadata", "export", "--types", "dataElemnts"],
    ]) {
      const r = await cli.run(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr, argv.join(" ")).toContain('did you mean "dataElements"');
    }
  });

  it("a malformed analytics dimension exits 2", async () => {
    const r = await cli.run([
      "analytics",
      "query",
      "--dx",
      "fbfJHSPpUQD;;",
      "--pe",
      "2024",
      "--ou",
      "ImspTQPwCqd",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^d2w: .*empty item/);
  });

  it("DHIS2's 4xx stays 1: a UID that does not exist", async () => {
    const r = await cli.run(["metadata", "get", "dataElements", "NoSuchUid01"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^d2w: .*404/m);
  });

  it("a bundle file with a key that is no DHIS2 type is a problem with the file: exit 1, naming it", async () => {
    const file = cli.path("typo.json");
    writeFileSync(file, JSON.stringify({ dataElement: [{ id: "abcdefghij1", name: "x" }] }));
    const r = await cli.run(["metadata", "import", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`d2w: ${file}: `);
    expect(r.stderr).toContain('"dataElement"');
    expect(r.stderr).toMatch(/did you mean [^?]*"dataElements"/);
  });
});

describe("An unknown integrity check name runs 0 checks and exits 0 (CLI): refuse it with suggestions", () => {
  it("dataintegrity run and issues refuse a misspelt check (exit 2) and start no job", async () => {
    const runs = () =>
      emu.stats.count("/api/dataIntegrity/summary", "POST") +
      emu.stats.count("/api/dataIntegrity/details", "POST");
    const before = runs();
    const run = await cli.run([
      "maintenance",
      "dataintegrity",
      "run",
      "--checks",
      "orgunit_orphaned",
      "--watch",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^d2w: 1 data integrity check matches nothing on this server: "orgunit_orphaned" \(did you mean "orgunits_orphaned"/,
    );
    expect(run.stdout).toBe("");
    expect(runs()).toBe(before);

    const issues = await cli.run(["maintenance", "dataintegrity", "issues", "--checks", "orgunits_orphand"]);
    expect(issues.code).toBe(2);
    expect(issues.stderr).toContain('did you mean "orgunits_orphaned"');
  });

  it("a code runs its check", async () => {
    const r = await cli.run([
      "--json",
      "maintenance",
      "dataintegrity",
      "run",
      "--checks",
      "OO",
      "--details",
      "--watch",
      "--poll-interval",
      "20",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout).report)).toEqual(["orgunits_orphaned"]);
  });
});
