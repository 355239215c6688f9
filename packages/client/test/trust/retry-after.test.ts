/**
 * Trust: "`Retry-After: -5` is read as a date in year -5 (no wait); invalid values fall back to
 * backoff." Through the emulator: its fault injection answers 503 with the header as given.
 */
import { BasicAuth, Dhis2Client, parseRetryAfter, RetryPolicy } from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: "empty", port: 0 });
});
afterAll(async () => {
  await emu.close();
});

describe("Retry-After: -5", () => {
  it.each(["-5", "soon", "1e3", "-1.5", "Tomorrow"])(
    "Retry-After: %s is not a wait: the retry waits the policy's backoff",
    async (header) => {
      const waits: number[] = [];
      await using client = await Dhis2Client.open({
        baseUrl: emu.url,
        auth: new BasicAuth({ username: "admin", password: "district" }),
        retryPolicy: new RetryPolicy({ maxAttempts: 2, baseDelayMs: 250, jitter: 0 }),
        sleep: async (ms) => void waits.push(ms),
      });
      emu.stats.reset();
      emu.faults.add({ path: "/api/system/id", status: 503, retryAfter: header });
      await expect(client.getRaw("/api/system/id")).resolves.toHaveProperty("codes");
      expect(emu.stats.count("/api/system/id")).toBe(2);
      expect(waits).toEqual([250]);
    },
  );

  it("still honours delay-seconds and the three HTTP-date forms of RFC 9110 (asctime is GMT)", () => {
    const now = Date.parse("1994-11-06T08:49:07Z");
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sun Nov  6 08:49:37 1994", now)).toBe(30_000);
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});
