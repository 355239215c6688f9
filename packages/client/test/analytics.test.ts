/**
 * `createAnalytics(client)` (bound as `client.analytics` by the client) against the emulator:
 * dimension validation before sending, the three shapes, the grid helpers, and `streamTo`
 * writing exactly the bytes a plain fetch gets, leaving no file behind on an error.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  AnalyticsMetaData,
  BasicAuth,
  createAnalytics,
  type DataValueSet,
  Dhis2ApiError,
  Dhis2Client,
  type Grid,
  gridToRecords,
  InvalidDimensionError,
} from "@dhis2w/client";
import { streamAnalyticsTo } from "@dhis2w/client/node";
import { createEmulator, type Emulator, fixedClock } from "@dhis2w/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from "vitest";

const AUTH = { username: "admin", password: "district" };

describe("client.analytics", () => {
  let emu: Emulator;
  let client: Dhis2Client;
  let dir: string;
  let de: string;
  let root: string;
  let regions: string[];
  const values: { orgUnit: string; period: string; value: number }[] = [];

  beforeAll(async () => {
    // In process (emu.fetch): streamed answers keep their back-pressure without a socket.
    emu = await createEmulator({
      version: "v42",
      seed: "demo",
      clock: fixedClock(Date.parse("2025-03-15T00:00:00Z")),
    });
    const demo = emu.app.demo;
    if (!demo) throw new Error("demo seed missing");
    de = demo.dataElements[0] as string;
    root = demo.root;
    regions = demo.regions;
    client = await Dhis2Client.open({ baseUrl: emu.url, fetch: emu.fetch, auth: new BasicAuth(AUTH) });
    demo.facilities.forEach((orgUnit, i) => {
      for (const period of ["202412", "202501", "202502"])
        values.push({ orgUnit, period, value: (i % 9) + 1 });
    });
    await client.postRaw("/api/dataValueSets", {
      dataValues: values.map((v) => ({
        dataElement: de,
        period: v.period,
        orgUnit: v.orgUnit,
        value: String(v.value),
      })),
    });
    dir = await mkdtemp(path.join(tmpdir(), "dhis2w-analytics-"));
  });
  afterAll(async () => {
    await client.close();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const f of await readdir(dir)) await rm(path.join(dir, f), { force: true });
  });

  it("rejects malformed dimensions before sending, naming the bad part", async () => {
    const sent: unknown[] = [];
    const stub = createAnalytics({
      getRaw: async (p) => sent.push(p),
      fetchResponse: async () => new Response(""),
    });
    await expect(stub.query({ dimensions: ["dx:abc", "pe:2024"] })).rejects.toThrow(/dimensions\[0\].*"abc"/);
    await expect(stub.query({ dimensions: ["dx:fClA2Erf6IO", "pe:202413"] })).rejects.toThrow(
      InvalidDimensionError,
    );
    await expect(stub.query({ dimensions: { dx: ["fClA2Erf6IO"], ou: ["LEVEL-x"] } })).rejects.toThrow(
      /dimensions\.ou.*LEVEL-x/,
    );
    await expect(stub.query({ dimensions: ["dx:fClA2Erf6IO;;UOlfIjgN8X6"] })).rejects.toThrow(/empty item/);
    await expect(stub.query({ dimensions: ["pe:2024", "pe:2025"] })).rejects.toThrow(/given twice/);
    expect(sent).toEqual([]);
  });

  it("query() returns a Grid for table and raw, a DataValueSet for dvs", async () => {
    const analytics = createAnalytics(client);
    const table = await analytics.query({
      dimensions: { dx: [de], pe: ["LAST_3_MONTHS"], ou: [root, "LEVEL-2"] },
    });
    expectTypeOf(table).toEqualTypeOf<Grid>();
    const records = gridToRecords(table);
    for (const region of regions) {
      for (const pe of ["202412", "202501", "202502"]) {
        const want = values
          .filter(
            (v) =>
              v.period === pe &&
              String(emu.state.metadata.get("organisationUnits", v.orgUnit)?.path).includes(region),
          )
          .reduce((s, v) => s + v.value, 0);
        expect(records.find((r) => r.ou === region && r.pe === pe)).toEqual({
          dx: de,
          pe,
          ou: region,
          value: String(want),
        });
      }
    }
    const meta = AnalyticsMetaData.parse(table.metaData);
    expect(meta.dimensions.pe).toEqual(["202412", "202501", "202502"]);
    expect(meta.items[de]?.name).toBe("ANC 1st visit");

    const raw = await analytics.query({ dimensions: [`dx:${de}`, "pe:202501", `ou:${root}`], shape: "raw" });
    expectTypeOf(raw).toEqualTypeOf<Grid>();
    expect(raw.rows).toHaveLength(values.filter((v) => v.period === "202501").length);

    const dvs = await analytics.query({ dimensions: [`dx:${de}`, "pe:2025Q1", `ou:${root}`], shape: "dvs" });
    expectTypeOf(dvs).toEqualTypeOf<DataValueSet>();
    const q1 = values.filter((v) => v.period.startsWith("2025")).reduce((s, v) => s + v.value, 0);
    expect(dvs.dataValues).toEqual([{ dataElement: de, period: "2025Q1", orgUnit: root, value: String(q1) }]);
  });

  it("a server error surfaces as Dhis2ApiError with the E71xx code", async () => {
    const err = await createAnalytics(client)
      .query({ dimensions: ["pe:2024"], filters: [`ou:${root}`] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Dhis2ApiError);
    expect((err as Dhis2ApiError).statusCode).toBe(409);
    expect((err as Dhis2ApiError).webMessage?.errorCode).toBe("E7102");
  });

  for (const format of ["csv", "xml", "xlsx", "json"] as const) {
    it(`streamAnalyticsTo writes the same ${format} bytes as a plain fetch`, async () => {
      const params = { dimension: [`dx:${de}`, "pe:LAST_3_MONTHS", `ou:${root};LEVEL-4`] };
      const target = path.join(dir, `out.${format}`);
      const result = await streamAnalyticsTo(client, target, { params });
      const url = new URL(`${emu.url}/api/analytics.${format}`);
      for (const d of params.dimension) url.searchParams.append("dimension", d);
      const plain = Buffer.from(
        await (
          await emu.fetch(url, { headers: { Authorization: `Basic ${btoa("admin:district")}` } })
        ).arrayBuffer(),
      );
      const written = await readFile(target);
      expect(written.equals(plain)).toBe(true);
      expect(result).toMatchObject({ path: target, bytes: plain.length });
      expect(await readdir(dir)).toEqual([`out.${format}`]);
    });
  }

  it("streamTo pipes the export into a web WritableStream, byte for byte, and closes it", async () => {
    const params = { dimension: [`dx:${de}`, "pe:LAST_3_MONTHS", `ou:${root};LEVEL-4`] };
    const chunks: Uint8Array[] = [];
    let closed = false;
    const sink = new WritableStream<Uint8Array>({
      write(chunk) {
        chunks.push(chunk);
      },
      close() {
        closed = true;
      },
    });
    const result = await createAnalytics(client).streamTo(sink, { params, outputFormat: "csv" });
    const url = new URL(`${emu.url}/api/analytics.csv`);
    for (const d of params.dimension) url.searchParams.append("dimension", d);
    const plain = await (
      await emu.fetch(url, { headers: { Authorization: `Basic ${btoa("admin:district")}` } })
    ).text();
    expect(Buffer.concat(chunks).toString("utf8")).toBe(plain);
    expect(result).toEqual({ bytes: Buffer.byteLength(plain), contentType: expect.stringMatching(/csv/) });
    expect(closed).toBe(true);
  });

  it("streamTo given a path says to use streamAnalyticsTo of @dhis2w/client/node, before any request", async () => {
    const err = await createAnalytics(client)
      .streamTo("out.csv" as never, { params: { dimension: [`dx:${de}`, "pe:2024"] } })
      .catch((e: unknown) => e);
    expect(String(err)).toMatch(/streamAnalyticsTo\(client, path, options\) of "@dhis2w\/client\/node"/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("streamTo of rawData uses the .csv suffix and honours dimensions/filters options", async () => {
    const target = path.join(dir, "raw.csv");
    const r = await streamAnalyticsTo(client, target, {
      endpoint: "rawData",
      dimensions: [`dx:${de}`, `ou:${root}`],
      filters: ["pe:202412"],
    });
    expect(r.contentType).toMatch(/csv/);
    const lines = (await readFile(target, "utf8")).trimEnd().split("\n");
    expect(lines[0]).toBe("dx,ou,value");
    expect(lines).toHaveLength(1 + values.filter((v) => v.period === "202412").length);
  });

  it("a failed export throws Dhis2ApiError and leaves no file, not even a partial one", async () => {
    const target = path.join(dir, "bad.csv");
    const err = await streamAnalyticsTo(client, target, { params: { dimension: ["pe:2024"] } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Dhis2ApiError);
    expect(await readdir(dir)).toEqual([]);
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      streamAnalyticsTo(client, target, {
        params: { dimension: [`dx:${de}`, "pe:2024"] },
        signal: aborted.signal,
      }),
    ).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});
