/**
 * The emulator keeps every request record forever (~45 MB per 100k requests): bound it. The
 * per-request records are a ring of the latest `maxRequestRecords` (default 10,000); the counts
 * tests rely on (`stats.count`, `stats.total`) stay exact past the bound. The requests go through
 * `emu.fetch` (the records are the core's, whatever the transport).
 */
import { createEmulator, DEFAULT_MAX_REQUEST_RECORDS, type Emulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";

/** Sends `n` GETs of `path?i=<k>` (k = 0..n-1) through `emu.fetch`, `parallel` at a time. */
async function hammer(emu: Emulator, path: string, n: number, parallel = 32): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = next++; i < n; i = next++)
        await (await emu.fetch(`${emu.url}${path}?i=${i}`)).arrayBuffer();
    }),
  );
}

describe("The emulator keeps every request record forever: bound it", () => {
  it("25k requests (2.5x the bound) keep at most the default number of records; the counts stay exact", async () => {
    await using emu = await createEmulator({ version: "v42", seed: "empty" });
    await hammer(emu, "/api/system/ping", 25_000);
    expect(emu.stats.total).toBe(25_000);
    expect(emu.stats.count("/api/system/ping")).toBe(25_000);
    expect(emu.stats.count("/api/system/ping", "GET")).toBe(25_000);
    expect(emu.stats.count("/api/system/*")).toBe(25_000);
    expect(emu.stats.retained).toBe(DEFAULT_MAX_REQUEST_RECORDS);
    expect(emu.stats.requests()).toHaveLength(DEFAULT_MAX_REQUEST_RECORDS);
  }, 60_000);

  it("maxRequestRecords keeps the latest records, oldest first, with their status", async () => {
    await using emu = await createEmulator({ version: "v42", seed: "empty", maxRequestRecords: 5 });
    await hammer(emu, "/api/system/ping", 12, 1);
    expect(emu.stats.total).toBe(12);
    expect(emu.stats.count("/api/system/ping")).toBe(12);
    const kept = emu.stats.requests("/api/system/ping");
    expect(kept.map((r) => r.query)).toEqual(["?i=7", "?i=8", "?i=9", "?i=10", "?i=11"]);
    expect(new Set(kept.map((r) => r.status))).toEqual(new Set([kept[0]?.status]));
    expect(kept[0]?.status).toBeGreaterThan(0);
    emu.stats.reset();
    expect([emu.stats.total, emu.stats.retained, emu.stats.count("/api/system/ping")]).toEqual([0, 0, 0]);
  });

  it("maxRequestRecords 0 keeps no record and still counts; a negative bound is refused", async () => {
    await using emu = await createEmulator({ version: "v42", seed: "empty", maxRequestRecords: 0 });
    await hammer(emu, "/api/system/ping", 3, 1);
    expect(emu.stats.requests()).toEqual([]);
    expect(emu.stats.count("/api/system/ping")).toBe(3);
    await expect(createEmulator({ seed: "empty", maxRequestRecords: -1 })).rejects.toThrow(
      /maxRecords must be a whole number >= 0, got -1/,
    );
  });
});
