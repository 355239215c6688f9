/**
 * `/api/resourceTables*` job kick-offs and `/api/maintenance/*` through HTTP, with DHIS2's shapes:
 * 200 + `response: { name, id, created, jobType, relativeNotifierEndpoint }`, then notifications.
 */
import { DEMO_USERS, type Emulator, fixedClock } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { basic, call, useEmulator } from "./emulator-helpers.js";

const start = useEmulator();

interface Kickoff {
  httpStatusCode: number;
  status: string;
  message: string;
  response: { name: string; id: string; created: string; jobType: string; relativeNotifierEndpoint: string };
}
interface Note {
  message: string;
  completed: boolean;
}

async function kickoff(emu: Emulator, path: string, method = "POST"): Promise<Kickoff> {
  const res = await call(emu, path, { method });
  expect(res.status).toBe(200);
  return (await res.json()) as Kickoff;
}

/** Polls the job to the end (one step per poll) and returns its notifications, oldest first. */
async function drain(emu: Emulator, endpoint: string): Promise<Note[]> {
  for (let i = 0; i < 100; i++) {
    const list = (await (await call(emu, endpoint)).json()) as Note[];
    if (list[0]?.completed) return list.reverse();
  }
  throw new Error(`${endpoint} never completed`);
}

describe("table jobs", () => {
  it("refreshes analytics as an ANALYTICS_TABLE job and records the run in the settings", async () => {
    const emu = await start({ clock: fixedClock(Date.parse("2025-06-01T00:00:00Z")) });
    const body = await kickoff(emu, "/api/resourceTables/analytics?lastYears=2");
    expect(body).toMatchObject({ httpStatusCode: 200, status: "OK" });
    expect(body.message).toBe(`Initiated ${body.response.name}`);
    const { id, jobType, relativeNotifierEndpoint, created, name } = body.response;
    expect(jobType).toBe("ANALYTICS_TABLE");
    // new JobConfiguration(ANALYTICS_TABLE): "<JOB_TYPE> (<epoch ms>)"
    expect(name).toBe(`ANALYTICS_TABLE (${Date.parse("2025-06-01T00:00:00Z")})`);
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(relativeNotifierEndpoint).toBe(`/api/system/tasks/ANALYTICS_TABLE/${id}`);

    const notes = await drain(emu, relativeNotifierEndpoint);
    expect(notes[0]?.message).toContain("2024-2025");
    expect(notes.map((n) => n.message)).toContain("Generating resource tables");
    expect(notes.at(-1)?.message).toMatch(/^Analytics tables updated: \d\d:\d\d:\d\d\.\d{3}$/);
    expect(notes.filter((n) => n.completed)).toHaveLength(1);

    const setting = await call(emu, "/api/systemSettings/keyLastSuccessfulAnalyticsTablesUpdate");
    expect(setting.status).toBe(200);
    expect(await setting.text()).toContain("2025-06-01T00:00:00.000");
  });

  it("honours the skip flags and rejects a non-numeric lastYears", async () => {
    const emu = await start();
    const body = await kickoff(emu, "/api/resourceTables/analytics?skipResourceTables=true&skipEvents=true");
    const messages = (await drain(emu, body.response.relativeNotifierEndpoint)).map((n) => n.message);
    expect(messages).not.toContain("Generating resource tables");
    expect(messages.some((m) => m.includes("(EVENT)"))).toBe(false);
    expect(messages.some((m) => m.includes("(DATA_VALUE)"))).toBe(true);

    const bad = await call(emu, "/api/resourceTables/analytics?lastYears=two", { method: "POST" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("lastYears");
  });

  it("runs RESOURCE_TABLE and MONITORING jobs, on PUT as on POST", async () => {
    const emu = await start();
    const resource = await kickoff(emu, "/api/resourceTables", "PUT");
    expect(resource.response.jobType).toBe("RESOURCE_TABLE");
    expect((await drain(emu, resource.response.relativeNotifierEndpoint)).at(-1)?.completed).toBe(true);
    const monitoring = await kickoff(emu, "/api/resourceTables/monitoring");
    expect(monitoring.response.jobType).toBe("MONITORING");
    expect((await drain(emu, monitoring.response.relativeNotifierEndpoint)).at(-1)?.message).toBe(
      "Monitoring process done",
    );
  });

  it("refuses users without F_PERFORM_MAINTENANCE (403)", async () => {
    const emu = await start();
    const res = await call(emu, "/api/resourceTables/analytics", {
      method: "POST",
      headers: { Authorization: basic(DEMO_USERS.district.username, DEMO_USERS.district.password) },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toContain("F_PERFORM_MAINTENANCE");
  });
});

describe("/api/maintenance", () => {
  it("quirk: categoryOptionComboUpdate generates the missing combos of a new category combo (204)", async () => {
    const emu = await start();
    const md = emu.state.metadata;
    md.put("categoryOptions", { id: "CoYesOption1", name: "Yes" });
    md.put("categoryOptions", { id: "CoNoOption01", name: "No" });
    md.put("categoryOptions", { id: "CoUrbanOpt01", name: "Urban" });
    md.put("categoryOptions", { id: "CoRuralOpt01", name: "Rural" });
    md.put("categories", {
      id: "CatAnswer001",
      name: "Answer",
      categoryOptions: [{ id: "CoYesOption1" }, { id: "CoNoOption01" }],
    });
    md.put("categories", {
      id: "CatLocation1",
      name: "Location",
      categoryOptions: [{ id: "CoUrbanOpt01" }, { id: "CoRuralOpt01" }],
    });
    md.put("categoryCombos", {
      id: "CcAnswerLoc1",
      name: "Answer x Location",
      categories: [{ id: "CatAnswer001" }, { id: "CatLocation1" }],
    });
    const combosOf = () =>
      md
        .list("categoryOptionCombos")
        .filter((c) => (c.categoryCombo as { id?: string } | undefined)?.id === "CcAnswerLoc1");
    expect(combosOf()).toHaveLength(0);

    const res = await call(emu, "/api/maintenance/categoryOptionComboUpdate", { method: "POST" });
    expect(res.status).toBe(204);
    expect(
      combosOf()
        .map((c) => c.name)
        .sort(),
    ).toEqual(["No, Rural", "No, Urban", "Yes, Rural", "Yes, Urban"]);
    // Idempotent: a second run creates nothing new.
    await call(emu, "/api/maintenance/categoryOptionComboUpdate", { method: "PUT" });
    expect(combosOf()).toHaveLength(4);
    expect(md.get("categoryCombos", "CcAnswerLoc1")?.categoryOptionCombos).toHaveLength(4);
  });

  it("answers 204 to analyticsTablesClear and cacheClear", async () => {
    const emu = await start();
    for (const path of ["/api/maintenance/analyticsTablesClear", "/api/maintenance/cacheClear"]) {
      expect((await call(emu, path, { method: "POST" })).status).toBe(204);
    }
  });
});
