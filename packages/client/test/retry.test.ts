import {
  Dhis2ApiError,
  Dhis2Client,
  Dhis2NetworkError,
  PatAuth,
  parseRetryAfter,
  RetryPolicy,
} from "@dhis2w/client";
import { describe, expect, it } from "vitest";
import { fakeServer, json, recordingSleep } from "./support/fake-server.js";

const auth = new PatAuth({ token: "d2p_secret_token_value" });
const NOW = Date.parse("2025-03-01T12:00:00Z");

function client(fetch: ReturnType<typeof fakeServer>["fetch"], retryPolicy?: RetryPolicy) {
  const { sleep, waits } = recordingSleep();
  const c = new Dhis2Client({
    baseUrl: "http://dhis2.test",
    auth,
    fetch,
    retryPolicy,
    sleep,
    now: () => NOW,
    random: () => 0.5,
  });
  return { c, waits };
}

/** Answers `fails` times with `failure()` and then 200. */
function flaky(fails: number, failure: () => Response | Promise<Response>) {
  let n = 0;
  return () => (n++ < fails ? failure() : json({ ok: true, call: n }));
}

describe("RetryPolicy", () => {
  it("has the seed's defaults", () => {
    const p = new RetryPolicy();
    expect([p.maxAttempts, p.baseDelayMs, p.backoffFactor, p.maxDelayMs, p.jitter]).toEqual([
      3, 200, 2, 5_000, 0.15,
    ]);
    expect([...p.retryStatuses].sort()).toEqual([429, 502, 503, 504]);
    expect(p.retryNonIdempotent).toBe(false);
    expect(p.maxRetryAfterMs).toBe(60_000);
  });

  it("computes min(maxDelayMs, base * factor^(attempt-1)) with fractional jitter", () => {
    const p = new RetryPolicy({ baseDelayMs: 100, backoffFactor: 3, maxDelayMs: 1_000, jitter: 0.2 });
    const mid = () => 0.5; // no spread
    expect([1, 2, 3, 4].map((a) => p.backoffMs(a, mid))).toEqual([100, 300, 900, 1_000]);
    expect(p.backoffMs(2, () => 0)).toBe(240); // -20 %
    expect(p.backoffMs(2, () => 0.999999)).toBe(360); // +20 %
    expect(p.backoffMs(9, () => 0.999999)).toBe(1_200); // jitter applies after the cap
  });

  it("exempts POST and PATCH unless retryNonIdempotent", () => {
    const p = new RetryPolicy();
    expect(["GET", "PUT", "DELETE", "HEAD"].every((m) => p.allowsMethod(m))).toBe(true);
    expect(p.allowsMethod("POST") || p.allowsMethod("patch")).toBe(false);
    expect(new RetryPolicy({ retryNonIdempotent: true }).allowsMethod("POST")).toBe(true);
  });

  it("rejects nonsense options clearly", () => {
    expect(() => new RetryPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts has an invalid value 0/);
    expect(() => new RetryPolicy({ jitter: 2 })).toThrow(/jitter/);
    expect(() => new RetryPolicy({ backoffFactor: 0.5 })).toThrow(/backoffFactor/);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("1", NOW)).toBe(1_000);
    expect(parseRetryAfter(" 2.5 ", NOW)).toBe(2_500);
    expect(parseRetryAfter("Sat, 01 Mar 2025 12:00:30 GMT", NOW)).toBe(30_000);
    expect(parseRetryAfter("Sat, 01 Mar 2025 11:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});

describe("retries through the pipeline", () => {
  it("retries a 503 with Retry-After: 1 twice, honouring the 1 s wait, then succeeds", async () => {
    const server = fakeServer({
      "GET /api/things": flaky(2, () =>
        json({ status: "ERROR", message: "busy" }, 503, { "retry-after": "1" }),
      ),
    });
    const { c, waits } = client(server.fetch, new RetryPolicy({ maxAttempts: 3 }));
    await expect(c.getRaw("/api/things")).resolves.toEqual({ ok: true, call: 3 });
    expect(server.count("/api/things")).toBe(3);
    expect(waits).toEqual([1_000, 1_000]);
  });

  it("uses exponential backoff when there is no Retry-After, and gives up after maxAttempts", async () => {
    const server = fakeServer({ "GET /api/things": () => json({ message: "bad gateway" }, 502) });
    const { c, waits } = client(
      server.fetch,
      new RetryPolicy({ maxAttempts: 4, baseDelayMs: 100, jitter: 0 }),
    );
    const err = await c.getRaw("/api/things").catch((e) => e);
    expect(err).toBeInstanceOf(Dhis2ApiError);
    expect(err.statusCode).toBe(502);
    expect(server.count("/api/things")).toBe(4);
    expect(waits).toEqual([100, 200, 400]);
  });

  it("caps a huge Retry-After at maxRetryAfterMs", async () => {
    const server = fakeServer({
      "GET /api/things": flaky(1, () => json({}, 429, { "retry-after": "3600" })),
    });
    const { c, waits } = client(server.fetch, new RetryPolicy({ maxRetryAfterMs: 10_000 }));
    await c.getRaw("/api/things");
    expect(waits).toEqual([10_000]);
  });

  it("reads an HTTP-date Retry-After against the injected clock", async () => {
    const server = fakeServer({
      "GET /api/things": flaky(1, () =>
        json({}, 503, { "retry-after": new Date(NOW + 7_000).toUTCString() }),
      ),
    });
    const { c, waits } = client(server.fetch, new RetryPolicy());
    await c.getRaw("/api/things");
    expect(waits).toEqual([7_000]);
  });

  it("does not retry a POST (it could write twice) unless asked to", async () => {
    const server = fakeServer({ "POST /api/things": () => json({ message: "unavailable" }, 503) });
    const { c, waits } = client(server.fetch, new RetryPolicy());
    await expect(c.postRaw("/api/things", { a: 1 })).rejects.toMatchObject({ statusCode: 503 });
    expect(server.count("/api/things")).toBe(1);
    expect(waits).toEqual([]);

    const again = fakeServer({ "POST /api/things": flaky(1, () => json({}, 503)) });
    const opted = client(again.fetch, new RetryPolicy({ retryNonIdempotent: true }));
    await expect(opted.c.postRaw("/api/things", { a: 1 })).resolves.toMatchObject({ ok: true });
    expect(again.count("/api/things")).toBe(2);
    expect(again.calls[1]?.body).toBe('{"a":1}'); // the body is sent again, intact
  });

  it("retries connection errors as Dhis2NetworkError", async () => {
    const server = fakeServer({
      "GET /api/things": flaky(2, () =>
        Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNRESET" } })),
      ),
    });
    const { c } = client(server.fetch, new RetryPolicy({ maxAttempts: 3 }));
    await expect(c.getRaw("/api/things")).resolves.toMatchObject({ ok: true });

    const down = fakeServer({
      "GET /api/things": () =>
        Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } })),
    });
    const noRetry = client(down.fetch);
    const err = await noRetry.c.getRaw("/api/things").catch((e) => e);
    expect(err).toBeInstanceOf(Dhis2NetworkError);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(down.count("/api/things")).toBe(1); // no policy, no retry
  });

  it("does not retry statuses outside retryStatuses", async () => {
    const server = fakeServer({ "GET /api/things": () => json({ message: "nope" }, 500) });
    const { c } = client(server.fetch, new RetryPolicy());
    await expect(c.getRaw("/api/things")).rejects.toMatchObject({ statusCode: 500 });
    expect(server.count("/api/things")).toBe(1);
  });
});
