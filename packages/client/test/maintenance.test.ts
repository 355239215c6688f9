/**
 * `client.maintenance` against the emulator over real HTTP: table job kick-offs, the maintenance
 * actions, and data integrity (run, wait, report, issue stream) over metadata the test creates.
 */
import {
  BasicAuth,
  Dhis2ApiError,
  Dhis2Client,
  Dhis2ClientError,
  generateUid,
  QueryValidationError,
} from "@dhis2w/client";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { createMaintenance, type IntegrityIssueRow, parseIntegrityReport } from "../src/maintenance/index.js";
import { createTasks } from "../src/tasks/index.js";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function setup(user = { username: "admin", password: "district" }) {
  const emu = await createEmulator({ version: "v42", seed: "demo" });
  running.push(emu);
  const client = await Dhis2Client.open({ baseUrl: emu.url, fetch: emu.fetch, auth: new BasicAuth(user) });
  const tasks = createTasks(client, { sleep: () => new Promise((r) => setImmediate(r)) });
  return { emu, client, tasks, maintenance: createMaintenance(client, tasks) };
}

describe("table jobs", () => {
  it("kicks off analytics, resource tables and monitoring as jobs that awaitJob follows", async () => {
    const { maintenance } = await setup();
    const analytics = await maintenance.refreshAnalytics({ lastYears: 1, skipEvents: true });
    expect(analytics.status).toBe("OK");
    expect(analytics.httpStatusCode).toBe(200);
    expect(analytics.taskRef()?.jobType).toBe("ANALYTICS_TABLE");
    const done = await maintenance.awaitJob(analytics);
    expect(done.notifications.some((n) => n.message.includes("(EVENT)"))).toBe(false);
    expect(done.final.completed).toBe(true);

    expect((await maintenance.refreshResourceTables()).taskRef()?.jobType).toBe("RESOURCE_TABLE");
    expect((await maintenance.refreshMonitoring()).taskRef()?.jobType).toBe("MONITORING");
  });

  it("validates lastYears before sending anything", async () => {
    const { maintenance, emu } = await setup();
    const before = emu.stats.requests.length;
    await expect(maintenance.refreshAnalytics({ lastYears: -1 })).rejects.toThrow(
      /lastYears must be a whole number/,
    );
    await expect(maintenance.refreshAnalytics({ lastYears: 1.5 })).rejects.toBeInstanceOf(Dhis2ClientError);
    expect(emu.stats.requests.length).toBe(before);
  });

  it("surfaces the 403 of a user without the maintenance authority", async () => {
    const { maintenance } = await setup({ username: "district", password: "district" });
    const error = await maintenance.refreshAnalytics().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Dhis2ApiError);
    expect((error as Dhis2ApiError).statusCode).toBe(403);
  });

  it("quirk: updates category option combos, clears analytics tables and caches (204 each)", async () => {
    const { maintenance, emu } = await setup();
    const md = emu.state.metadata;
    md.put("categoryOptions", { id: "CoOptionA001", name: "A" });
    md.put("categoryOptions", { id: "CoOptionB001", name: "B" });
    md.put("categories", {
      id: "CatAB0000001",
      name: "AB",
      categoryOptions: [{ id: "CoOptionA001" }, { id: "CoOptionB001" }],
    });
    md.put("categoryCombos", { id: "CcAB00000001", name: "AB combo", categories: [{ id: "CatAB0000001" }] });
    await maintenance.updateCategoryOptionCombos();
    const names = md
      .list("categoryOptionCombos")
      .filter((c) => (c.categoryCombo as { id?: string } | undefined)?.id === "CcAB00000001")
      .map((c) => c.name)
      .sort();
    expect(names).toEqual(["A", "B"]);
    await maintenance.clearAnalyticsTables();
    await maintenance.clearCache();
  });
});

describe("data integrity", () => {
  it("lists the checks, filtered by section", async () => {
    const { maintenance } = await setup();
    const all = await maintenance.listIntegrityChecks();
    expect(all.map((c) => c.name)).toContain("data_elements_without_data_sets");
    const orgUnits = await maintenance.listIntegrityChecks({ section: "Organisation units" });
    expect(orgUnits.length).toBeGreaterThan(0);
    expect(orgUnits.every((c) => c.section === "Organisation units")).toBe(true);
  });

  it("finds a data element the test created without a data set: run, wait, report, stream", async () => {
    const { client, maintenance } = await setup();
    const id = generateUid();
    await client.postRaw("/api/dataElements", {
      id,
      name: "Integrity probe",
      shortName: "Integrity probe",
      valueType: "NUMBER",
      domainType: "AGGREGATE",
      aggregationType: "SUM",
    });
    const checks = ["data_elements_without_data_sets", "orgunits_orphaned"];

    const kickoff = await maintenance.runIntegrityChecks({ checks, details: true });
    expect(kickoff.taskRef()?.jobType).toBe("DATA_INTEGRITY_DETAILS");
    const done = await maintenance.awaitJob(kickoff);
    expect(done.final.completed).toBe(true);

    const report = await maintenance.getIntegrityReport({ checks });
    expect(report.data_elements_without_data_sets?.issues).toEqual([{ id, name: "Integrity probe" }]);
    expect(report.orgunits_orphaned?.issues).toEqual([]);

    const rows: IntegrityIssueRow[] = [];
    for await (const row of maintenance.iterIntegrityIssues()) rows.push(row);
    expect(rows).toEqual([
      {
        checkName: "data_elements_without_data_sets",
        checkDisplayName: "Data elements lacking data sets",
        severity: "WARNING",
        issue: { id, name: "Integrity probe" },
      },
    ]);

    // The summary level is a separate run with counts instead of issues.
    const summary = await maintenance.checkIntegrity({ checks, details: false });
    expect(summary.data_elements_without_data_sets).toMatchObject({ count: 1, severity: "WARNING" });
    expect(summary.data_elements_without_data_sets?.percentage).toBeGreaterThan(0);
    expect(summary.data_elements_without_data_sets?.issues).toBeUndefined();
  });

  it("stops the issue stream when the caller breaks out", async () => {
    const { maintenance, emu } = await setup();
    // The demo seed has no data element groups: one issue per data element.
    await maintenance.checkIntegrity({ checks: ["data_elements_without_groups"] });
    let taken = 0;
    for await (const row of maintenance.iterIntegrityIssues({ checks: ["data_elements_without_groups"] })) {
      expect(row.severity).toBe("WARNING");
      if (++taken === 2) break;
    }
    expect(taken).toBe(2);
    expect(emu.state.metadata.count("dataElements")).toBeGreaterThan(2);
  });

  it("rejects check names with commas, and parses odd reports tolerantly", async () => {
    const { maintenance } = await setup();
    await expect(maintenance.runIntegrityChecks({ checks: ["a,b"] })).rejects.toThrow(/without commas/);
    const report = parseIntegrityReport({
      ok_check: { displayName: "OK", severity: "INFO", issues: [{ id: "x", name: "X", extra: 1 }] },
      junk: 42,
      failed_check: { name: "failed_check", error: "boom", count: -1, issues: "not a list" },
    });
    expect(Object.keys(report)).toEqual(["ok_check", "failed_check"]);
    expect(report.ok_check?.name).toBe("ok_check");
    expect(report.ok_check?.issues?.[0]).toMatchObject({ id: "x", name: "X", extra: 1 });
    expect(report.failed_check).toMatchObject({ error: "boom", count: -1, issues: undefined });
  });
});

describe("An unknown integrity check name runs 0 checks: refuse it with suggestions", () => {
  const runs = (emu: Emulator) =>
    emu.stats.count("/api/dataIntegrity/summary", "POST") +
    emu.stats.count("/api/dataIntegrity/details", "POST");

  it("a misspelt name is refused before any run, naming the close check", async () => {
    const { maintenance, emu } = await setup();
    const err = await maintenance
      .runIntegrityChecks({ checks: ["orgunit_orphaned"], details: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryValidationError);
    expect((err as QueryValidationError).option).toBe("checks");
    expect((err as Error).message).toMatch(
      /^1 data integrity check matches nothing on this server: "orgunit_orphaned" \(did you mean "orgunits_orphaned"/,
    );
    expect(runs(emu)).toBe(0);
    // Several at once: every one named in one error; reading the report refuses them too.
    const both = await maintenance
      .getIntegrityReport({ checks: ["orphaned_orgunits", "nonsense_check", "orgunits_orphaned"] })
      .catch((e: unknown) => e as Error);
    expect(both).toBeInstanceOf(QueryValidationError);
    expect((both as Error).message).toContain('"orphaned_orgunits"');
    expect((both as Error).message).toContain('"nonsense_check"');
    expect((both as Error).message).not.toContain('"orgunits_orphaned" (');
  });

  it("a pattern that matches nothing is refused; codes and case slips resolve to the catalog's names", async () => {
    const { maintenance, emu } = await setup();
    await expect(maintenance.runIntegrityChecks({ checks: ["*no_such_thing*"] })).rejects.toThrow(
      /"\*no_such_thing\*"/,
    );
    expect(runs(emu)).toBe(0);
    expect(
      await maintenance.resolveIntegrityChecks(["OO", "Data_Elements_Without_Groups", "orgunits_*"]),
    ).toEqual(["orgunits_orphaned", "data_elements_without_groups", "orgunits_*"]);
    const report = await maintenance.checkIntegrity({ checks: ["OO"], details: true });
    expect(Object.keys(report)).toEqual(["orgunits_orphaned"]);
    // The catalog is read once per client, not once per call.
    expect(emu.stats.count("/api/dataIntegrity", "GET")).toBe(1);
  });
});
