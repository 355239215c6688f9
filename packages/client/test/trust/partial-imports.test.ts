/**
 * Trust: "Partial imports must agree with the server." (a) A chunk whose request was sent but
 * whose answer never arrived may have landed: its outcome is `unknown`, not "failed". (b) When
 * the source breaks mid-stream, the error carries the counts of everything the server stored and
 * settles only after every chunk in flight has settled. The same for tracker imports. Against the
 * emulator, behind a proxy that loses answers after the emulator applied the request; counts are
 * read back from the emulator itself.
 */
import {
  BasicAuth,
  type DataValue,
  DataValuesImportError,
  Dhis2Client,
  type Dhis2ClientOptions,
  generateUid,
  ImportOutcomeUnknownError,
} from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { losingProxy, startServer, type TestServer } from "../support/loopback.js";

const auth = () => new BasicAuth({ username: "admin", password: "district" });
let emu: RunningEmulator;
let direct: Dhis2Client;
const servers: TestServer[] = [];

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", port: 0, seed: "demo" });
  direct = await Dhis2Client.open({ baseUrl: emu.url, auth: auth() });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await direct.close();
  await emu.close();
});
beforeEach(() => {
  emu.faults.clear();
  emu.stats.reset();
});

/** `n` distinct data values of `year` (monthly periods), over the demo's facilities and data elements. */
function rows(n: number, year: number): DataValue[] {
  const { facilities, dataElements } = emu.demo!;
  const out: DataValue[] = [];
  for (let i = 0; out.length < n; i++) {
    const month = String((i % 12) + 1).padStart(2, "0");
    const rest = Math.floor(i / 12);
    out.push({
      dataElement: dataElements[rest % dataElements.length]!,
      orgUnit: facilities[Math.floor(rest / dataElements.length) % facilities.length]!,
      period: `${year}${month}`,
      value: String(i + 1),
    });
  }
  return out;
}

/** How many values of `year` the emulator holds, read back through its API. */
async function stored(year: number): Promise<number> {
  const period = Array.from({ length: 12 }, (_, m) => `${year}${String(m + 1).padStart(2, "0")}`);
  const set = await direct.dataValues.export({
    dataSet: emu.demo!.dataSet,
    period,
    orgUnit: emu.demo!.root,
    children: true,
  });
  return set.dataValues?.length ?? 0;
}

/** A client reaching the emulator through a proxy that loses the answer of the `nth` POST (0-based). */
async function throughLosingProxy(
  nth: number,
  fate: "reset" | "hang",
  path: string,
  options: Partial<Dhis2ClientOptions> = {},
): Promise<Dhis2Client> {
  let posts = 0;
  const proxy = await startServer(
    losingProxy(emu.url, (req) =>
      req.method === "POST" && (req.url ?? "").startsWith(path) && posts++ === nth ? fate : undefined,
    ),
  );
  servers.push(proxy);
  return Dhis2Client.open({ baseUrl: proxy.url("127.0.0.1"), auth: auth(), ...options });
}

describe("partial imports must agree with the server", () => {
  it.each([
    ["reset after the server applied it", "reset", 2021, {}],
    ["a timeout after the server applied it", "hang", 2022, { timeoutMs: 1_000 }],
  ] as const)(
    "(a) a chunk whose answer never arrived (%s) has outcome unknown; the counts agree with the server",
    async (_label, fate, year, options) => {
      await using client = await throughLosingProxy(1, fate, "/api/dataValueSets", options);
      const result = await client.dataValues.import(rows(40, year), { chunkSize: 10 });
      expect(result.failedChunks).toHaveLength(1);
      expect(result.failedChunks[0]).toMatchObject({
        chunk: 1,
        firstRow: 10,
        lastRow: 19,
        outcome: "unknown",
      });
      expect(result).toMatchObject({ rowsOfUnknownOutcome: 10, status: "WARNING", balanced: true });
      expect(result.importCount.imported).toBe(30);
      // The server holds the "failed" chunk too: imported + rows of unknown outcome is what it stored.
      expect(await stored(year)).toBe(result.importCount.imported + result.rowsOfUnknownOutcome);
    },
  );

  it("(a) a chunk the server answered with an error is rejected: none of its rows are stored", async () => {
    await using client = await Dhis2Client.open({ baseUrl: emu.url, auth: auth() });
    emu.faults.add({ path: "/api/dataValueSets", method: "POST", status: 503 });
    const result = await client.dataValues.import(rows(20, 2020), { chunkSize: 10 });
    expect(result.failedChunks).toMatchObject([{ chunk: 0, status: 503, outcome: "rejected" }]);
    expect(result.rowsOfUnknownOutcome).toBe(0);
    expect(await stored(2020)).toBe(10);
  });

  it.each([
    ["the source throws", 2019, (row: number) => new Error(`disk read failed at row ${row}`)],
    ["a row is not an object", 2018, undefined],
  ] as const)(
    "(b) %s mid-stream: the error carries what the server stored, after every chunk in flight settled",
    async (_label, year, failure) => {
      await using client = await Dhis2Client.open({ baseUrl: emu.url, auth: auth() });
      // Every chunk takes a while, so that two are in flight when the source breaks.
      emu.faults.add({
        path: "/api/dataValueSets",
        method: "POST",
        delayMs: 300,
        times: Number.POSITIVE_INFINITY,
      });
      const good = rows(25, year);
      async function* source() {
        yield* good;
        if (failure) throw failure(25);
        yield 42 as unknown as DataValue;
      }
      const progress: number[] = [];
      const err = await client.dataValues
        .import(source(), { chunkSize: 10, concurrency: 3, onProgress: (p) => progress.push(p.rowsRead) })
        .catch((e: unknown) => e);
      // Settled only now: both chunks sent before the break have their answer.
      const posts = emu.stats.requests("/api/dataValueSets", "POST");
      expect(posts.map((r) => r.status)).toEqual([200, 200]);
      expect(err).toBeInstanceOf(DataValuesImportError);
      const { result } = err as DataValuesImportError;
      expect(result).toMatchObject({ rowsRead: 20, chunks: 2, stopped: true, balanced: true });
      expect(result.importCount.imported).toBe(20);
      expect(await stored(year)).toBe(20);
      expect(progress).toEqual([10, 20]);
      expect((err as Error).message).toMatch(
        failure ? /^disk read failed at row 25; the import stopped there/ : /row 25 is not an object/,
      );
      expect((err as Error).message).toMatch(/20 rows were sent in 2 chunks: 20 imported/);
    },
  );

  it("(b) the caller's abort mid-import rejects with the caller's own reason, once the chunks in flight ended", async () => {
    await using client = await Dhis2Client.open({ baseUrl: emu.url, auth: auth() });
    emu.faults.add({
      path: "/api/dataValueSets",
      method: "POST",
      delayMs: 300,
      times: Number.POSITIVE_INFINITY,
    });
    const stop = new AbortController();
    const progress: number[] = [];
    const pending = client.dataValues.import(rows(40, 2017), {
      chunkSize: 10,
      concurrency: 2,
      signal: stop.signal,
      onProgress: (p) => progress.push(p.chunk),
    });
    setTimeout(() => stop.abort(new Error("stopped by the user")), 50);
    await expect(pending).rejects.toThrow("stopped by the user");
    expect(progress).toEqual([]);
  });

  it("tracker: a bundle whose answer never arrived is an ImportOutcomeUnknownError, and the server has it", async () => {
    const programs = await direct.getRaw<{
      programs: { programType: string; trackedEntityType: { id: string } }[];
    }>("/api/programs", { params: { fields: "programType,trackedEntityType", paging: false } });
    const tet = programs.programs.find((p) => p.programType === "WITH_REGISTRATION")!.trackedEntityType.id;
    const te = generateUid();
    await using client = await throughLosingProxy(0, "reset", "/api/tracker");
    const err = await client.tracker
      .import({
        trackedEntities: [{ trackedEntity: te, trackedEntityType: tet, orgUnit: emu.demo!.facilities[0]! }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportOutcomeUnknownError);
    expect((err as Error).message).toMatch(/may have landed.*CREATE_AND_UPDATE/);
    const back = await direct.tracker.trackedEntities.list({ trackedEntities: [te], orgUnitMode: "ALL" });
    expect(back.map((t) => t.trackedEntity)).toEqual([te]);
  });
});
