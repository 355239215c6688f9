/**
 * Every d2w-mcp tool through the SDK's Client and in-memory transport, against a started
 * emulator (real HTTP between the server's DHIS2 client and the emulator).
 */
import { BasicAuth, Dhis2Client, isValidUid } from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { TOOL_NAMES } from "@dhis2w/mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectHarness, type Harness } from "./support/harness.js";

type Row = Record<string, unknown>;
type Listed = {
  type: string;
  items: Row[];
  pager: { page: number; pageSize: number; total?: number; pageCount?: number };
  hasMore: boolean;
};

describe("d2w-mcp tools against the emulator (v42)", () => {
  let emu: RunningEmulator;
  let h: Harness;
  let direct: Dhis2Client;
  const demo = () => {
    if (!emu.demo) throw new Error("the emulator was started without the demo seed");
    return emu.demo;
  };

  beforeAll(async () => {
    emu = await startEmulator({ version: "v42", seed: "demo" });
    h = await connectHarness({
      profile: { baseUrl: emu.url, auth: "basic", username: "admin", password: "district" },
      profileLocation: { env: {} },
    });
    // Ground truth, read past the MCP layer.
    direct = await Dhis2Client.open({
      baseUrl: emu.url,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
  });
  afterAll(async () => {
    await h?.close();
    await direct?.close();
    await emu?.close();
  });

  it("lists every tool, each with a description and JSON input and output schemas", async () => {
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    for (const t of tools) {
      expect(t.description?.length, t.name).toBeGreaterThan(40);
      expect(t.inputSchema.type, t.name).toBe("object");
      expect(t.outputSchema?.type, t.name).toBe("object");
    }
    const write = tools.find((t) => t.name === "data_value_set");
    expect(write?.annotations?.readOnlyHint).toBe(false);
    expect(write?.description).toMatch(/^WRITES/);
    const list = tools.find((t) => t.name === "metadata_list");
    expect(list?.inputSchema.properties?.pageSize).toMatchObject({ maximum: 200 });
  });

  it("whoami and system_info describe the emulator's admin and version", async () => {
    const me = await h.ok<Row>("whoami");
    expect(me).toMatchObject({ username: "admin", superuser: true });
    expect((me.organisationUnits as Row[]).map((o) => o.id)).toEqual([demo().root]);
    const info = await h.ok<Row>("system_info");
    expect(info.baseUrl).toBe(emu.url);
    expect(info.versionKey).toBe("v42");
    expect(info.version).toBe(direct.rawVersion);
  });

  it("opens one DHIS2 client per server and reuses it", async () => {
    const local = await connectHarness({
      profile: { baseUrl: emu.url, auth: "basic", username: "admin", password: "district" },
      profileLocation: { env: {} },
    });
    const before = emu.stats.count("/api/system/info");
    await local.ok("whoami");
    await local.ok("system_info");
    await local.ok("metadata_list", { type: "dataSets" });
    expect(emu.stats.count("/api/system/info") - before).toBe(1);
    await local.close();
    // Closing the server closed its client: nothing can use it any more.
    await expect(local.server.connection.client()).rejects.toThrow(/shutting down/);
  });

  it("metadata_list filters, orders and pages with a pager", async () => {
    const regions = await h.ok<Listed>("metadata_list", {
      type: "organisationUnits",
      filters: ["level:eq:2"],
      fields: "id,name,level",
      order: "name:asc",
    });
    const expected = demo()
      .regions.map((id) => emu.state.metadata.get("organisationUnits", id)?.name as string)
      .sort();
    expect(regions.items.map((i) => i.name)).toEqual(expected);
    expect(regions.items.every((i) => i.level === 2)).toBe(true);
    expect(regions.pager).toMatchObject({ page: 1, total: expected.length });
    expect(regions.hasMore).toBe(false);

    const facilities = demo().facilities.length;
    const page2 = await h.ok<Listed>("metadata_list", {
      type: "organisationUnits",
      filters: ["level:eq:4"],
      pageSize: 5,
      page: 2,
    });
    expect(page2.items).toHaveLength(5);
    expect(page2.pager).toMatchObject({
      page: 2,
      pageSize: 5,
      total: facilities,
      pageCount: Math.ceil(facilities / 5),
    });
    expect(page2.hasMore).toBe(true);
  });

  it("metadata_list refuses unbounded pages, unknown types and bad filters, naming the bad part", async () => {
    expect(await h.fails("metadata_list", { type: "organisationUnits", pageSize: 5000 })).toMatch(/pageSize/);
    expect(await h.fails("metadata_list", { type: "dataElement" })).toMatch(
      /"dataElement".*did you mean "dataElements"/,
    );
    expect(await h.fails("metadata_list", { type: "dataElements", filters: ["name:likes:ANC"] })).toMatch(
      /unknown operator "likes".*"like"/,
    );
    expect(await h.fails("metadata_list", { type: "dataElements", filters: ["nmae:eq:x"] })).toMatch(
      /no property "nmae".*"name"/,
    );
  });

  it("metadata_get returns one object with the fields asked for", async () => {
    const ds = await h.ok<{ type: string; object: Row }>("metadata_get", {
      type: "dataSets",
      id: demo().dataSet,
      fields: "id,name,periodType",
    });
    const stored = emu.state.metadata.get("dataSets", demo().dataSet);
    expect(ds.object).toEqual({ id: demo().dataSet, name: stored?.name, periodType: stored?.periodType });
    expect(await h.fails("metadata_get", { type: "dataSets", id: "not-a-uid" })).toMatch(/UID/);
  });

  it("metadata_schema lists the types and describes a type's properties", async () => {
    const all = await h.ok<{ types: { plural: string; singular: string }[] }>("metadata_schema");
    expect(all.types).toContainEqual({ plural: "dataElements", singular: "dataElement" });
    expect(all.types.length).toBe(Object.keys(direct.resources).length);
    const de = await h.ok<{ properties: Row[]; singular: string }>("metadata_schema", {
      type: "dataElements",
    });
    expect(de.singular).toBe("dataElement");
    const valueType = de.properties.find((p) => p.name === "valueType");
    expect(valueType?.propertyType).toBe("CONSTANT");
    expect(valueType?.constants).toContain("NUMBER");
    expect(de.properties.find((p) => p.name === "categoryCombo")).toMatchObject({
      propertyType: "REFERENCE",
      target: "categoryCombo",
    });
  });

  it("data_value_set writes one value that data_values_get and analytics_query then see", async () => {
    const [de] = demo().dataElements;
    const [ou] = demo().facilities;
    const written = await h.ok<Row>("data_value_set", {
      dataElement: de,
      period: "202401",
      orgUnit: ou,
      value: 17,
    });
    expect(written).toMatchObject({ written: true, value: "17" });
    expect(await direct.dataValues.get({ de: de as string, pe: "202401", ou: ou as string })).toBe("17");

    const got = await h.ok<{ dataValues: Row[]; count: number }>("data_values_get", {
      dataSet: [demo().dataSet],
      period: ["202401"],
      orgUnit: [ou],
    });
    expect(got.dataValues).toContainEqual(
      expect.objectContaining({ dataElement: de, period: "202401", orgUnit: ou, value: "17" }),
    );

    const q = await h.ok<{ rows: Row[]; headers: Row[]; truncated: boolean }>("analytics_query", {
      dimensions: [`dx:${de}`, "pe:202401", `ou:${ou}`],
    });
    expect(q.rows).toHaveLength(1);
    expect(q.rows[0]).toMatchObject({
      dx: de,
      dxName: emu.state.metadata.get("dataElements", de as string)?.name,
      ou,
      ouName: emu.state.metadata.get("organisationUnits", ou as string)?.name,
      value: 17,
    });
    expect(q.truncated).toBe(false);
  });

  it("analytics_query names the bad dimension item; data_value_set reports the server's refusal", async () => {
    expect(await h.fails("analytics_query", { dimensions: ["dx:abc", "pe:2024"] })).toMatch(
      /dimensions\[0\].*"abc"/,
    );
    const text = await h.fails("data_value_set", {
      dataElement: "AAAAAAAAAAA",
      period: "202401",
      orgUnit: demo().facilities[0],
      value: 1,
    });
    expect(text).toMatch(/AAAAAAAAAAA|data element/i);
  });

  it("tracker_list pages tracked entities and events of the demo program", async () => {
    const programs = await h.ok<Listed>("metadata_list", {
      type: "programs",
      filters: ["programType:eq:WITH_REGISTRATION"],
      fields: "id",
    });
    const program = programs.items[0]?.id as string;
    expect(program).toBeDefined();
    const query = { program, orgUnits: [demo().root], orgUnitMode: "DESCENDANTS" as const, pageSize: 2 };
    const expected = await direct.tracker.trackedEntities.page(query);
    const tes = await h.ok<Listed>("tracker_list", {
      kind: "trackedEntities",
      program,
      orgUnit: demo().root,
      orgUnitMode: "DESCENDANTS",
      pageSize: 2,
    });
    expect(tes.items.map((t) => t.trackedEntity)).toEqual(expected.items.map((t) => t.trackedEntity));
    expect(tes.items.length).toBe(2);
    expect(tes.hasMore).toBe(true);
    const events = await h.ok<Listed>("tracker_list", {
      kind: "events",
      program,
      orgUnit: demo().root,
      orgUnitMode: "DESCENDANTS",
      pageSize: 200,
    });
    const allEvents = await direct.tracker.events.list({
      program,
      orgUnits: [demo().root],
      orgUnitMode: "DESCENDANTS",
      pageSize: 200,
    });
    expect(events.items.map((e) => e.event).sort()).toEqual(allEvents.map((e) => e.event).sort());
    expect(events.items.length).toBeGreaterThan(0);
  });

  it("maintenance_refresh_analytics waits for the job and returns its final notification", async () => {
    const r = await h.ok<Row>("maintenance_refresh_analytics", { lastYears: 1, timeoutMs: 20_000 });
    expect(r).toMatchObject({ jobType: "ANALYTICS_TABLE", waited: true, completed: true, timedOut: false });
    expect(isValidUid(r.jobId as string)).toBe(true);
    expect(r.level).not.toBe("ERROR");
    const started = await h.ok<Row>("maintenance_refresh_analytics", { wait: false });
    expect(started).toMatchObject({ waited: false, completed: false });
  });

  it("integrity_issues runs the checks and flattens the issues the server reports", async () => {
    const r = await h.ok<{ checks: Row[]; issues: Row[]; issueCount: number }>("integrity_issues", {
      timeoutMs: 20_000,
    });
    const report = await direct.maintenance.getIntegrityReport({ details: true });
    const expected = Object.values(report).flatMap((c) =>
      (c.issues ?? []).map((i) => `${c.name}/${i.id ?? i.name}`),
    );
    expect(r.issues.map((i) => `${i.checkName}/${i.id ?? i.name}`).sort()).toEqual(expected.sort());
    expect(r.issueCount).toBe(expected.length);
    expect(r.issueCount).toBeGreaterThan(0); // the demo seed has ungrouped data elements
    expect(r.checks.map((c) => c.name).sort()).toEqual(
      Object.values(report)
        .map((c) => c.name)
        .sort(),
    );
    const one = await h.ok<{ checks: Row[] }>("integrity_issues", {
      checks: ["orgunits_orphaned"],
      run: false,
    });
    expect(one.checks.map((c) => c.name)).toEqual(["orgunits_orphaned"]);
  });

  it("uid_generate returns distinct valid UIDs without touching the server", async () => {
    const { uids } = await h.ok<{ uids: string[] }>("uid_generate", { count: 25 });
    expect(uids).toHaveLength(25);
    expect(new Set(uids).size).toBe(25);
    expect(uids.every(isValidUid)).toBe(true);
    expect(await h.fails("uid_generate", { count: 0 })).toMatch(/count/);
  });
});
