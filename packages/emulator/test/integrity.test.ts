/**
 * `/api/dataIntegrity` through HTTP: the catalog, runs as DATA_INTEGRITY(_DETAILS) jobs whose
 * results reach the per-level cache, and checks computed from the stored metadata.
 */
import type { Emulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

const start = useEmulator();

interface Issue {
  id: string;
  name: string;
  comment?: string;
  refs?: string[];
}
interface Result {
  name: string;
  displayName: string;
  severity: string;
  section: string;
  count?: number;
  percentage?: number;
  issues?: Issue[];
  finishedTime: string;
}

async function json<T>(emu: Emulator, path: string, init: RequestInit = {}): Promise<T> {
  const res = await call(emu, path, init as RequestInit & { headers?: Record<string, string> });
  expect(res.status, `${init.method ?? "GET"} ${path}`).toBe(200);
  return (await res.json()) as T;
}

/** Runs checks at one level and reads the results once the server has them. */
async function run(
  emu: Emulator,
  level: "summary" | "details",
  checks: string,
): Promise<Record<string, Result>> {
  await json(emu, `/api/dataIntegrity/${level}?checks=${checks}`, { method: "POST" });
  return json(emu, `/api/dataIntegrity/${level}?checks=${checks}&timeout=500`);
}

describe("catalog", () => {
  it("lists checks with DHIS2's fields and filters by pattern, code and section", async () => {
    const emu = await start();
    const all = await json<Record<string, unknown>[]>(emu, "/api/dataIntegrity");
    const names = all.map((c) => c.name);
    for (const n of [
      "data_elements_without_groups",
      "category_combos_unused",
      "orgunits_orphaned",
      "options_sets_unused",
    ]) {
      expect(names).toContain(n);
    }
    expect(all.find((c) => c.name === "data_elements_without_groups")).toMatchObject({
      displayName: "Data elements lacking groups",
      section: "Data Elements",
      severity: "WARNING",
      issuesIdType: "dataElements",
      isSlow: false,
      code: "DEWG",
    });
    expect(all.find((c) => c.name === "orgunits_orphaned")?.severity).toBe("CRITICAL");

    const groups = await json<{ name: string }[]>(emu, "/api/dataIntegrity?checks=*groups*");
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.every((c) => c.name.includes("groups"))).toBe(true);
    const byCode = await json<{ name: string }[]>(emu, "/api/dataIntegrity?checks=OO");
    expect(byCode.map((c) => c.name)).toEqual(["orgunits_orphaned"]);
    const section = await json<{ section: string }[]>(emu, "/api/dataIntegrity?section=Categories");
    expect(section.length).toBeGreaterThan(0);
    expect(section.every((c) => c.section === "Categories")).toBe(true);
  });
});

describe("runs", () => {
  it("kicks off a DATA_INTEGRITY job; results appear as the job runs; details stay separate", async () => {
    const emu = await start();
    const body = await json<{ response: { jobType: string; id: string } }>(
      emu,
      "/api/dataIntegrity/summary?checks=data_elements_without_groups,orgunits_orphaned",
      { method: "POST" },
    );
    expect(body.response.jobType).toBe("DATA_INTEGRITY");
    // Nothing cached until the job gets to the checks.
    expect(await json(emu, "/api/dataIntegrity/summary")).toEqual({});
    expect(await json<string[]>(emu, "/api/dataIntegrity/summary/running")).toEqual([
      "data_elements_without_groups",
      "orgunits_orphaned",
    ]);
    for (let i = 0; i < 5; i++) await call(emu, `/api/system/tasks/DATA_INTEGRITY/${body.response.id}`);
    const summary = await json<Record<string, Result>>(emu, "/api/dataIntegrity/summary");
    expect(Object.keys(summary).sort()).toEqual(["data_elements_without_groups", "orgunits_orphaned"]);
    // The demo seed has no data element groups: every data element is an issue.
    const deCount = emu.state.metadata.count("dataElements");
    expect(summary.data_elements_without_groups).toMatchObject({ count: deCount, percentage: 100 });
    expect(summary.orgunits_orphaned).toMatchObject({ count: 0, percentage: 0, severity: "CRITICAL" });
    expect(await json<string[]>(emu, "/api/dataIntegrity/summary/completed")).toEqual([
      "data_elements_without_groups",
      "orgunits_orphaned",
    ]);
    expect(await json(emu, "/api/dataIntegrity/details")).toEqual({});
    const summaryReport = await json<Record<string, Result>>(
      emu,
      `/api/system/taskSummaries/DATA_INTEGRITY/${body.response.id}`,
    );
    expect(summaryReport.orgunits_orphaned?.count).toBe(0);
  });

  it("takes the check list from a JSON array body", async () => {
    const emu = await start();
    const body = await json<{ response: { jobType: string } }>(emu, "/api/dataIntegrity/details", {
      method: "POST",
      body: JSON.stringify(["category_combos_unused"]),
      headers: { "Content-Type": "application/json" },
    } as RequestInit);
    expect(body.response.jobType).toBe("DATA_INTEGRITY_DETAILS");
    const details = await json<Record<string, Result>>(emu, "/api/dataIntegrity/details?timeout=100");
    expect(Object.keys(details)).toEqual(["category_combos_unused"]);
  });
});

describe("checks over the stored metadata", () => {
  it("finds data elements without data sets, unused combos and option sets, ordered by name", async () => {
    const emu = await start();
    const md = emu.state.metadata;
    md.put("dataElements", { id: "DeLonely0001", name: "Zinc doses", domainType: "AGGREGATE" });
    md.put("dataElements", { id: "DeLonely0002", name: "Albendazole doses" });
    md.put("dataElements", { id: "DeTracker001", name: "Tracker only", domainType: "TRACKER" });
    md.put("categoryCombos", {
      id: "CcUnused0001",
      name: "Nobody uses me",
      created: "2024-02-02T10:00:00.000",
    });
    md.put("optionSets", { id: "OsUnused0001", name: "Colours" });
    const details = await run(
      emu,
      "details",
      "data_elements_without_data_sets,category_combos_unused,options_sets_unused",
    );
    expect(details.data_elements_without_data_sets?.issues).toEqual([
      { id: "DeLonely0002", name: "Albendazole doses" },
      { id: "DeLonely0001", name: "Zinc doses" },
    ]);
    expect(details.category_combos_unused?.issues).toContainEqual({
      id: "CcUnused0001",
      name: "Nobody uses me",
      comment: "2024-02-02T10:00:00.000",
    });
    expect(details.options_sets_unused?.issues?.map((i) => i.id)).toContain("OsUnused0001");
  });

  it("finds cyclic and orphaned org units and groupless indicators", async () => {
    const emu = await start();
    const md = emu.state.metadata;
    md.put("organisationUnits", { id: "OuCycleA0001", name: "Cycle A", parent: { id: "OuCycleB0001" } });
    md.put("organisationUnits", { id: "OuCycleB0001", name: "Cycle B", parent: { id: "OuCycleA0001" } });
    md.put("organisationUnits", { id: "OuAlone0001", name: "Alone" });
    md.put("organisationUnits", { id: "OuDangling01", name: "Dangling", parent: { id: "OuMissing001" } });
    md.put("indicators", { id: "InGrouped001", name: "Grouped" });
    md.put("indicators", { id: "InLoose00001", name: "Loose" });
    md.put("indicatorGroups", { id: "IgGroup00001", name: "Group", indicators: [{ id: "InGrouped001" }] });
    const details = await run(
      emu,
      "details",
      "org_units_with_cyclic_references,orgunits_orphaned,indicators_without_groups",
    );
    expect(details.org_units_with_cyclic_references?.issues).toEqual([
      { id: "OuCycleA0001", name: "Cycle A", refs: ["OuCycleB0001"] },
      { id: "OuCycleB0001", name: "Cycle B", refs: ["OuCycleA0001"] },
    ]);
    expect(details.orgunits_orphaned?.issues?.map((i) => i.id)).toEqual(["OuAlone0001", "OuDangling01"]);
    const loose = details.indicators_without_groups?.issues?.map((i) => i.id) ?? [];
    expect(loose).toContain("InLoose00001");
    expect(loose).not.toContain("InGrouped001");
  });
});
