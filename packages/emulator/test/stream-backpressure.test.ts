/**
 * Back-pressure of streamed answers, measured in bytes (the emulator's stream counters), never in
 * time: a reader that stops keeps the `/api/analytics/rawData` handler parked with a bounded
 * amount produced and buffered, in process and over a socket, and the whole answer still arrives
 * once it reads again.
 */
import { get as httpGet, type IncomingMessage } from "node:http";
import { type Emulator, fixedClock, STREAM_HIGH_WATER_MARK } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { dataValueStore } from "../src/data/index.js";
import { ADMIN, useEmulator } from "./emulator-helpers.js";

const NOW = Date.parse("2025-03-15T10:00:00Z");
const YEARS = Array.from({ length: 12 }, (_, i) => 2013 + i);

/** Every day of twelve years, for two data elements and every facility: ~420,000 values, ~15 MB of CSV. */
function fill(emu: Emulator): { rows: number; query: string } {
  const demo = emu.demo!;
  const [de1, de2] = demo.dataElements as [string, string];
  const store = dataValueStore(emu.app);
  let rows = 0;
  for (const year of YEARS) {
    for (
      let d = new Date(Date.UTC(year, 0, 1));
      d.getUTCFullYear() === year;
      d.setUTCDate(d.getUTCDate() + 1)
    ) {
      const period = d.toISOString().slice(0, 10).replace(/-/g, "");
      for (const orgUnit of demo.facilities) {
        for (const dataElement of [de1, de2]) {
          const key = {
            dataElement,
            period,
            orgUnit,
            categoryOptionCombo: "HllvX50cXC0",
            attributeOptionCombo: "HllvX50cXC0",
          };
          store.put(key, { value: String(rows % 97), storedBy: "admin", now: NOW });
          rows++;
        }
      }
    }
  }
  const dims = [`dx:${de1};${de2}`, `pe:${YEARS.join(";")}`, `ou:${demo.root}`];
  return { rows, query: `/api/analytics/rawData.csv?${dims.map((x) => `dimension=${x}`).join("&")}` };
}

/** Runs the event loop until `done()` holds or nothing changes for `quiet` turns (no clock). */
async function settle(probe: () => number, done: () => boolean, quiet = 50): Promise<void> {
  let last = probe();
  for (let still = 0, turns = 0; still < quiet && turns < 100_000; turns++) {
    await new Promise((r) => setImmediate(r));
    const now = probe();
    if (now === last && done()) still++;
    else still = 0;
    last = now;
  }
}

const countLines = (text: string) => text.split("\n").length - 1;

describe("streamed answers keep back-pressure", () => {
  const start = useEmulator();

  it("in process: a reader that stops after one chunk holds the handler to a few chunks", async () => {
    const emu = await start({ seed: "demo", clock: fixedClock(NOW) });
    const { rows, query } = fill(emu);
    const meter = emu.app.streams;
    const res = await emu.fetch(emu.url + query, { headers: { Authorization: ADMIN } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = (await reader.read()).value!;
    const parts: Uint8Array[] = [first];
    let received = first.length;
    await settle(
      () => meter.produced,
      () => meter.waiting === 1,
    );
    expect(meter.waiting).toBe(1);
    // The handler parked with at most its queue plus the chunk in the reader's hands.
    expect(meter.produced - received).toBeLessThanOrEqual(2 * STREAM_HIGH_WATER_MARK);
    expect(meter.peakQueued).toBeLessThanOrEqual(2 * STREAM_HIGH_WATER_MARK);

    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      parts.push(value);
    }
    expect(received).toBe(meter.produced);
    expect(received).toBeGreaterThan(10 * 1024 * 1024);
    // Queued bytes never grew with the answer: the same bound held to the end.
    expect(meter.peakQueued).toBeLessThanOrEqual(2 * STREAM_HIGH_WATER_MARK);
    const text = new TextDecoder().decode(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
    expect(countLines(text)).toBe(rows + 1);
  });

  it("over HTTP: a paused socket reader parks the handler; the emulator's own buffers stay bounded", async () => {
    const emu = await start({ seed: "demo", clock: fixedClock(NOW), wire: true });
    const { rows, query } = fill(emu);
    const meter = emu.app.streams;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      httpGet(emu.url + query, { headers: { Authorization: ADMIN } }, resolve).on("error", reject);
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["transfer-encoding"]).toBe("chunked");
    res.pause();
    // Nothing is read: once the socket's buffers are full the handler parks for good.
    await settle(
      () => meter.produced,
      () => meter.waiting === 1,
    );
    expect(meter.waiting).toBe(1);
    const parked = meter.produced;
    const chunks: Buffer[] = [];
    const body = await new Promise<string>((resolve, reject) => {
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", reject);
      res.resume();
    });
    const total = Buffer.byteLength(body);
    expect(total).toBe(meter.produced);
    expect(total).toBeGreaterThan(10 * 1024 * 1024);
    // Parked well short of the answer (the rest is kernel socket buffers, not emulator memory)...
    expect(parked).toBeLessThan(total / 2);
    // ...and what the emulator itself held stayed within its queue and one socket write.
    expect(meter.peakQueued).toBeLessThanOrEqual(2 * STREAM_HIGH_WATER_MARK);
    expect(meter.peakWireBuffered).toBeLessThanOrEqual(2 * STREAM_HIGH_WATER_MARK);
    expect(countLines(body)).toBe(rows + 1);
  });
});
