/**
 * `d2w --help` lists every group without loading any of them: the top level only knows names and
 * descriptions. Checked with a module-resolution trace of the real process, not a stopwatch.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CliSandbox } from "./support/run-cli.js";

const sandbox = new CliSandbox();
afterAll(() => sandbox.dispose());

const HEAVY = [
  "/packages/cli/src/commands/",
  "/packages/client/src/",
  "/packages/core/src/",
  "/node_modules/zod/",
];

describe("d2w --help", () => {
  it("lists every group and exits 0", async () => {
    const r = await sandbox.run(["--help"]);
    expect(r.code).toBe(0);
    for (const group of [
      "profile",
      "system",
      "metadata",
      "data",
      "analytics",
      "maintenance",
      "tracker",
      "datastore",
      "settings",
      "user",
      "sharing",
      "org-unit",
      "validation",
      "predictors",
      "sql-view",
      "files",
      "messaging",
      "apps",
      "dev",
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${group}\\s`, "m"));
    }
    expect(r.stdout).toContain("--profile <name>");
    expect(r.stdout).toContain("--json");
    expect(r.stdout).toContain("--verbose");
  });

  it("loads no command group, client, core or zod", async () => {
    const trace = sandbox.path("help.trace");
    const r = await sandbox.run(["--help"], { traceFile: trace });
    expect(r.code).toBe(0);
    const urls = readFileSync(trace, "utf8").split("\n").filter(Boolean);
    // The probe works: it saw the entry point and commander.
    expect(urls.some((u) => u.endsWith("/packages/cli/src/program.ts"))).toBe(true);
    expect(urls.some((u) => u.includes("/node_modules/commander/"))).toBe(true);
    expect(urls.filter((u) => HEAVY.some((h) => u.includes(h)))).toEqual([]);
  });

  it("loads only the group it runs", async () => {
    const trace = sandbox.path("uid.trace");
    const r = await sandbox.run(["system", "uid", "-n", "3"], { traceFile: trace });
    expect(r.code).toBe(0);
    const uids = r.stdout.trim().split("\n");
    expect(uids).toHaveLength(3);
    for (const u of uids) expect(u).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
    const urls = readFileSync(trace, "utf8");
    expect(urls).toContain("/packages/cli/src/commands/system.");
    expect(urls).not.toContain("/packages/cli/src/commands/profile.");
    expect(urls).not.toContain("/packages/cli/src/commands/analytics.");
  });

  it("a group's help lists its commands", async () => {
    const r = await sandbox.run(["maintenance", "refresh", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("analytics");
    expect(r.stdout).toContain("resource-tables");
    expect(r.stdout).toContain("monitoring");
  });

  it("usage errors exit 2 with one d2w: line", async () => {
    const unknown = await sandbox.run(["bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe("d2w: unknown command 'bogus'");
    const badNumber = await sandbox.run(["system", "uid", "-n", "many"]);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/^d2w: .*-n.*whole number.*"many"/m);
  });
});
