/**
 * Core services over real HTTP against the emulator: one connection per call (closed after), a
 * passed client reused and left open, profiles from resolveProfile, and clear errors.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { BasicAuth, Dhis2Client, type Profile, WebMessageResponse } from "@dhis2w/client";
import {
  addProfile,
  awaitJob,
  exportAnalytics,
  getMetadata,
  importDataValues,
  listMetadata,
  queryAnalytics,
  refreshAnalytics,
  resolveProfile,
  systemInfo,
  whoAmI,
  withClient,
} from "@dhis2w/core";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let emu: RunningEmulator;
let profile: Profile;
const dir = mkdtempSync(path.join(os.tmpdir(), "d2w-services-"));

beforeAll(async () => {
  emu = await startEmulator({ version: "v43", seed: "demo" });
  profile = { baseUrl: emu.url, auth: "basic", username: "admin", password: "district" };
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("core services", () => {
  it("withClient closes the client it opened, also when fn throws", async () => {
    let seen: Dhis2Client | undefined;
    await withClient(profile, async (c) => {
      seen = c;
    });
    expect(seen?.connected).toBe(true); // connected once...
    await expect(seen!.system.me()).rejects.toThrow(); // ...and closed afterwards
    let thrown: Dhis2Client | undefined;
    await expect(
      withClient(profile, async (c) => {
        thrown = c;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(thrown!.system.me()).rejects.toThrow();
  });

  it("reuses a passed client and leaves it open", async () => {
    await using client = await Dhis2Client.open({
      baseUrl: emu.url,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    const before = emu.stats.count("/api/system/info");
    expect((await whoAmI(client)).username).toBe("admin");
    expect((await systemInfo(client)).version).toMatch(/^2\.43/);
    expect(emu.stats.count("/api/system/info")).toBe(before); // no second handshake
    expect((await client.system.me()).username).toBe("admin"); // still open
  });

  it("accepts a profile from resolveProfile", async () => {
    const where = { globalDir: path.join(dir, "cfg"), start: dir, env: {} };
    await addProfile("dev", profile, where);
    expect((await whoAmI(resolveProfile("dev", where))).username).toBe("admin");
  });

  it("lists and gets metadata by plural, with a did-you-mean for typos", async () => {
    const { items, pager } = await listMetadata(profile, "dataSets", { fields: "id,name", pageSize: 1 });
    expect(items).toHaveLength(1);
    expect(pager?.total).toBe(emu.state.metadata.count("dataSets"));
    const all = await listMetadata(profile, "organisationUnits", { fields: "id", all: true, pageSize: 7 });
    expect(all.items).toHaveLength(emu.state.metadata.count("organisationUnits"));
    const id = items[0]!.id as string;
    expect(await getMetadata(profile, "dataSets", id, { fields: "id,name" })).toMatchObject({ id });
    await expect(listMetadata(profile, "dataSet")).rejects.toThrow(
      /unknown metadata type "dataSet".*did you mean "dataSets"/,
    );
  });

  it("imports values, refreshes analytics, waits, and reads them back parsed and streamed", async () => {
    const md = emu.state.metadata;
    const defaultCombo = md.list("categoryCombos").find((c) => c.isDefault === true)?.id;
    const de = md
      .list("dataElements")
      .find((d) => d.valueType === "NUMBER" && (d.categoryCombo as { id?: string })?.id === defaultCombo)!;
    const ds = md
      .list("dataSets")
      .find((s) =>
        (s.dataSetElements as { dataElement: { id: string } }[]).some((x) => x.dataElement.id === de.id),
      )!;
    const ou = (ds.organisationUnits as { id: string }[])[0]!.id;
    const r = await importDataValues(profile, {
      dataValues: [{ dataElement: de.id as string, period: "202402", orgUnit: ou, value: "41" }],
    });
    expect(r.importCount.imported).toBe(1);

    const kickoff = await refreshAnalytics(profile, { lastYears: 5 });
    const notes: string[] = [];
    const done = await awaitJob(profile, kickoff, {
      pollIntervalMs: 10,
      onNotification: (n) => notes.push(n.message),
    });
    expect(done.final.completed).toBe(true);
    expect(notes.at(-1)).toBe(done.message);

    const dimensions = [`dx:${de.id}`, "pe:202402", `ou:${ou}`];
    const grid = await queryAnalytics(profile, { dimensions });
    expect(grid.rows.map((row) => Number(row.at(-1)))).toEqual([41]);

    const file = path.join(dir, "a.csv");
    const written = await exportAnalytics(profile, file, { dimensions, format: "csv" });
    expect(written.path).toBe(file);
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on("data", (c: Buffer) => chunks.push(c));
    const streamed = await exportAnalytics(profile, sink, { dimensions, format: "csv" });
    expect(streamed.bytes).toBe(written.bytes);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(readFileSync(file, "utf8"));
    expect(sink.writableEnded).toBe(false); // stdout must stay usable
  });

  it("awaitJob says so when there is nothing to wait for", async () => {
    const plain = WebMessageResponse.parse({
      httpStatus: "OK",
      httpStatusCode: 200,
      status: "OK",
      message: "done",
    });
    expect(() => awaitJob(profile, plain)).toThrow(/no job reference/);
  });
});
