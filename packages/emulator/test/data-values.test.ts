/**
 * `/api/dataValueSets` and `/api/dataValues` through the real HTTP path: the client's chunked
 * `dataValues` facade against the emulator's import/export, with DHIS2's conflict codes.
 */
import { BasicAuth, type Conflict, createDataValues, type DataValue, Dhis2Client } from "@dhis2w/client";
import { DEMO_USERS, type Emulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { basic, call, useEmulator } from "./emulator-helpers.js";

const start = useEmulator();

interface Summary {
  responseType: string;
  importCount: Record<string, number>;
  conflicts: Conflict[];
  rejectedIndexes: number[];
}
interface Notification {
  completed: boolean;
  level: string;
}
interface Message {
  httpStatusCode: number;
  status: string;
  response: Summary;
}

async function setup(version: "v41" | "v42" | "v43" = "v42") {
  const emu = await start({ version, seed: "demo" });
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  const demo = emu.demo;
  if (!demo) throw new Error("demo seed missing");
  return { emu, client, dv: createDataValues(client), demo };
}

function values(demo: NonNullable<Emulator["demo"]>, n: number, period = "202401"): DataValue[] {
  const out: DataValue[] = [];
  for (let i = 0; i < n; i++) {
    const de = demo.dataElements[i % demo.dataElements.length] ?? "";
    const ou = demo.facilities[Math.floor(i / demo.dataElements.length) % demo.facilities.length] ?? "";
    out.push({ dataElement: de, period, orgUnit: ou, categoryOptionCombo: "HllvX50cXC0", value: String(i) });
  }
  return out;
}

describe("dataValueSets import", () => {
  it("imports in chunks, then exports the same values", async () => {
    const { client, dv, demo } = await setup();
    const rows = values(demo, 50);
    const result = await dv.import({ dataValues: rows }, { chunkSize: 7 });
    expect(result.chunks).toBe(8);
    expect(result.importCount).toMatchObject({ imported: 50, updated: 0, ignored: 0 });
    expect(result.balanced).toBe(true);
    expect(result.status).toBe("OK");

    const exported = await dv.export({
      dataSet: demo.dataSet,
      period: "202401",
      orgUnit: demo.root,
      children: true,
    });
    const key = (v: DataValue) => `${v.dataElement}|${v.period}|${v.orgUnit}|${v.value}`;
    expect(exported.dataValues.map(key).sort()).toEqual(rows.map(key).sort());

    const again = await dv.import(rows, { chunkSize: 20 });
    expect(again.importCount).toMatchObject({ imported: 0, updated: 50 });
    await client.close();
  });

  it("quirk: answers 409 WARNING with DHIS2's ImportSummary when rows are ignored", async () => {
    const { emu, demo } = await setup();
    const ok = values(demo, 2);
    const body = {
      dataValues: [
        ...ok,
        { dataElement: "NoSuchDE001", period: "202401", orgUnit: demo.facilities[0], value: "1" },
        { dataElement: ok[0]?.dataElement, period: "2024-01", orgUnit: demo.facilities[0], value: "1" },
        { dataElement: ok[0]?.dataElement, period: "202401", orgUnit: "NoSuchOU001", value: "1" },
        {
          dataElement: ok[0]?.dataElement,
          period: "202401",
          orgUnit: demo.facilities[0],
          categoryOptionCombo: "NoSuchCOC01",
          value: "1",
        },
        {
          dataElement: ok[0]?.dataElement,
          period: "202401",
          orgUnit: demo.facilities[0],
          attributeOptionCombo: "NoSuchAOC01",
          value: "1",
        },
        { dataElement: ok[0]?.dataElement, period: "202402", orgUnit: demo.facilities[0], value: "lots" },
        { dataElement: ok[1]?.dataElement, period: "202402", orgUnit: demo.facilities[0], value: "many" },
      ],
    };
    const res = await call(emu, "/api/dataValueSets", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(409);
    const msg = (await res.json()) as Message;
    expect(msg).toMatchObject({ httpStatusCode: 409, status: "WARNING" });
    const summary = msg.response;
    expect(summary.responseType).toBe("ImportSummary");
    expect(summary.importCount).toEqual({ imported: 2, updated: 0, ignored: 7, deleted: 0 });
    expect(summary.rejectedIndexes).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const byCode = Object.fromEntries(summary.conflicts.map((c) => [c.errorCode, c]));
    expect(byCode.E7610).toMatchObject({ object: "NoSuchDE001", property: "dataElement", indexes: [2] });
    expect(byCode.E7610.value).toBe("Data element not found or not accessible: `NoSuchDE001`");
    expect(byCode.E7611).toMatchObject({ object: "2024-01", objects: { period: "2024-01" }, indexes: [3] });
    expect(byCode.E7612).toMatchObject({ objects: { organisationUnit: "NoSuchOU001" }, indexes: [4] });
    expect(byCode.E7613).toMatchObject({ property: "categoryOptionCombo", indexes: [5] });
    expect(byCode.E7615).toMatchObject({ property: "attributeOptionCombo", indexes: [6] });
    // Two value-type failures on different data elements: two conflicts.
    expect(summary.conflicts.filter((c) => c.errorCode === "E7619").map((c) => c.indexes)).toEqual([
      [7],
      [8],
    ]);
  });

  it("quirk: rejects an org unit outside the user's capture scope (E7617)", async () => {
    const { emu, demo } = await setup();
    // district captures in the first region only; a facility of another region is out of scope.
    const outside = demo.facilities[demo.facilities.length - 1] ?? "";
    const res = await emu.fetch(`${emu.url}/api/dataValueSets`, {
      method: "POST",
      headers: {
        Authorization: basic(DEMO_USERS.district.username, DEMO_USERS.district.password),
        "Content-Type": "application/json",
      },
      body: JSON.stringify({
        dataValues: [{ dataElement: demo.dataElements[0], period: "202401", orgUnit: outside, value: "3" }],
      }),
    });
    const msg = (await res.json()) as Message;
    expect(res.status).toBe(409);
    expect(msg.response.conflicts[0]).toMatchObject({
      errorCode: "E7617",
      property: "orgUnit",
      object: outside,
    });
  });

  it("maps a conflict in a later chunk back to its row in the original input", async () => {
    const { dv, demo } = await setup();
    const rows = values(demo, 30);
    const k = 23; // chunk 3 (size 7), row 2 within it
    rows[k] = { ...(rows[k] as DataValue), orgUnit: "NoSuchOU001" };
    const result = await dv.import(rows, { chunkSize: 7 });
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0]).toMatchObject({ errorCode: "E7612", indexes: [k] });
    expect(result.rejectedIndexes).toEqual([k]);
    expect(result.importCount).toMatchObject({ imported: 29, ignored: 1 });
    expect(result.status).toBe("WARNING");
    expect(result.balanced).toBe(true);
  });

  it("dryRun counts without storing", async () => {
    const { dv, demo } = await setup();
    const rows = values(demo, 10);
    const dry = await dv.import(rows, { dryRun: true });
    expect(dry.importCount.imported).toBe(10);
    const exported = await dv.export({
      dataSet: demo.dataSet,
      period: "202401",
      orgUnit: demo.root,
      children: true,
    });
    expect(exported.dataValues).toHaveLength(0);
  });

  it("quirk: honours CREATE, UPDATE and DELETE strategies (DELETE is soft)", async () => {
    const { dv, demo } = await setup();
    const first = values(demo, 4);
    expect((await dv.import(first.slice(0, 2), { importStrategy: "CREATE" })).importCount.imported).toBe(2);
    const created = await dv.import(first, { importStrategy: "CREATE" });
    expect(created.importCount).toMatchObject({ imported: 2, ignored: 2 });
    const updated = await dv.import(values(demo, 6), { importStrategy: "UPDATE" });
    expect(updated.importCount).toMatchObject({ updated: 4, ignored: 2 });
    const deleted = await dv.import(first.slice(0, 3), { importStrategy: "DELETE" });
    expect(deleted.importCount).toMatchObject({ deleted: 3 });
    const q = { dataSet: demo.dataSet, period: "202401", orgUnit: demo.root, children: true };
    expect((await dv.export(q)).dataValues).toHaveLength(1);
    const withDeleted = await dv.export({ ...q, includeDeleted: true });
    expect(withDeleted.dataValues.filter((v) => v.deleted === true)).toHaveLength(3);
  });

  it("resolves ids by CODE", async () => {
    const { emu, dv, demo } = await setup();
    const de = emu.state.metadata.get("dataElements", demo.dataElements[0] ?? "");
    const ou = emu.state.metadata.get("organisationUnits", demo.facilities[0] ?? "");
    const result = await dv.import(
      [{ dataElement: String(de?.code), period: "202403", orgUnit: String(ou?.code), value: "9" }],
      {
        idScheme: "CODE",
      },
    );
    expect(result.importCount.imported).toBe(1);
    expect(await dv.get({ de: demo.dataElements[0] ?? "", pe: "202403", ou: demo.facilities[0] ?? "" })).toBe(
      "9",
    );
  });

  it("runs an async import as a job with notifications, newest first", async () => {
    const { emu, dv, demo } = await setup();
    const sleeps: number[] = [];
    const result = await dv.import(values(demo, 12), {
      async: true,
      chunkSize: 5,
      pollIntervalMs: 5,
      sleep: async (ms) => {
        sleeps.push(ms);
        await new Promise((r) => setImmediate(r));
      },
    });
    expect(result.chunks).toBe(3);
    expect(result.importCount.imported).toBe(12);
    const jobs = (await (await call(emu, "/api/system/tasks/DATAVALUE_IMPORT")).json()) as Record<
      string,
      Notification[]
    >;
    const lists = Object.values(jobs);
    expect(lists).toHaveLength(3);
    for (const list of lists) {
      expect(list[0]).toMatchObject({ completed: true, level: "INFO" });
      expect(list[list.length - 1]).toMatchObject({ completed: false });
    }
  });
});

describe("single data values", () => {
  it("sets, reads and soft-deletes one value", async () => {
    const { dv, demo } = await setup("v43");
    const key = { de: demo.dataElements[1] ?? "", pe: "202405", ou: demo.facilities[2] ?? "" };
    expect(await dv.get(key)).toBeUndefined();
    await dv.set({ ...key, value: 17 });
    expect(await dv.get(key)).toBe("17");
    await dv.set({ ...key, value: "18", comment: "recount" });
    expect(await dv.get(key)).toBe("18");
    await dv.delete(key);
    expect(await dv.get(key)).toBeUndefined();
    await expect(dv.delete(key)).rejects.toThrow(/does not exist/);
    await expect(dv.set({ ...key, value: "abc" })).rejects.toThrow(/E7619|type constraints/);
  });
});
