import { describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

describe("fault injection", () => {
  const start = useEmulator();

  it("answers the next N matching requests with a status and Retry-After, then recovers", async () => {
    const emu = await start({ seed: "empty" });
    emu.faults.add({ path: "/api/me", times: 2, status: 503, retryAfter: "1" });
    const first = await call(emu, "/api/me");
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("1");
    expect(await first.json()).toMatchObject({ httpStatusCode: 503, status: "ERROR" });
    // The versioned path counts as the same path.
    expect((await call(emu, "/api/42/me")).status).toBe(503);
    expect((await call(emu, "/api/me")).status).toBe(200);
    expect(emu.faults.pending()).toHaveLength(0);
  });

  it("supports an HTTP-date Retry-After, 429, a custom body, and method filters", async () => {
    const emu = await start({ seed: "empty" });
    const when = new Date(Date.UTC(2030, 0, 1)).toUTCString();
    emu.faults.add({ path: "/api/system/info", method: "POST", status: 502 });
    emu.faults.add({ path: "/api/system/info", status: 429, retryAfter: when, body: "slow down" });
    const res = await call(emu, "/api/system/info");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe(when);
    expect(await res.text()).toBe("slow down");
    // The POST-only fault did not fire on GET and is still armed.
    expect(emu.faults.pending()).toHaveLength(1);
    emu.faults.clear();
    expect(emu.faults.pending()).toHaveLength(0);
  });

  it("drops the connection: the socket is reset over HTTP", async () => {
    const emu = await start({ seed: "empty", wire: true });
    emu.faults.add({ path: "/api/me", drop: true });
    const err = await call(emu, "/api/me").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TypeError);
    expect((await call(emu, "/api/me")).status).toBe(200);
  });

  it("drops the connection: emu.fetch rejects like undici, cause ECONNRESET", async () => {
    const emu = await start({ seed: "empty" });
    emu.faults.add({ path: "/api/me", drop: true });
    const err = (await call(emu, "/api/me").then(
      () => undefined,
      (e: unknown) => e,
    )) as TypeError & { cause?: { code?: string } };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe("fetch failed");
    expect(err.cause?.code).toBe("ECONNRESET");
    expect(emu.stats.requests("/api/me").map((r) => r.status)).toEqual([0]);
    expect((await call(emu, "/api/me")).status).toBe(200);
  });

  for (const wire of [true, false]) {
    it(`dropAfterHandling applies the request, then resets (${wire ? "over HTTP" : "in process"})`, async () => {
      const emu = await start({ seed: "empty", wire });
      emu.faults.add({
        path: "/api/systemSettings/applicationTitle",
        method: "POST",
        dropAfterHandling: true,
      });
      const sent = call(emu, "/api/systemSettings/applicationTitle?value=Applied", { method: "POST" });
      await expect(sent).rejects.toThrow(TypeError);
      // The write happened although the client never saw an answer.
      const title = await call(emu, "/api/systemSettings/applicationTitle");
      expect(await title.json()).toEqual({ applicationTitle: "Applied" });
      expect(emu.stats.requests("/api/systemSettings/applicationTitle", "POST").map((r) => r.status)).toEqual(
        [0],
      );
    });
  }

  it("delays a request by the given time, then handles it", async () => {
    const emu = await start({ seed: "empty" });
    emu.faults.add({ path: "/api/me", delayMs: 150 });
    const started = performance.now();
    const res = await call(emu, "/api/me");
    expect(res.status).toBe(200);
    // A delay is a lower bound: the fault must have held the request back.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("matches prefixes and regular expressions", async () => {
    const emu = await start({ seed: "empty" });
    emu.faults.add({ path: "/api/system/*", status: 500, times: Infinity });
    emu.faults.add({ path: /\/me$/, status: 502 });
    expect((await call(emu, "/api/system/info")).status).toBe(500);
    expect((await call(emu, "/api/system/id")).status).toBe(500);
    expect((await call(emu, "/api/me")).status).toBe(502);
    expect((await call(emu, "/api/me")).status).toBe(200);
  });

  it("refuses a fault that does nothing", async () => {
    const emu = await start({ seed: "empty" });
    expect(() => emu.faults.add({ path: "/api/me" })).toThrow(/status, drop, dropAfterHandling or delayMs/);
  });
});

describe("request stats", () => {
  const start = useEmulator();

  it("counts requests per path and method, retries and faults included, and resets", async () => {
    const emu = await start({ seed: "empty" });
    emu.faults.add({ path: "/api/me", status: 503 });
    await call(emu, "/api/me");
    await call(emu, "/api/42/me.json");
    await call(emu, "/api/system/info");
    await call(emu, "/api/systemSettings/applicationTitle?value=x", { method: "POST" });
    expect(emu.stats.count("/api/me")).toBe(2);
    expect(emu.stats.count("/api/me", "GET")).toBe(2);
    expect(emu.stats.count("/api/me", "POST")).toBe(0);
    expect(emu.stats.count("/api/system/info")).toBe(1);
    expect(emu.stats.count("/api/systemSettings/*", "POST")).toBe(1);
    expect(emu.stats.requests("/api/me").map((r) => r.status)).toEqual([503, 200]);
    emu.stats.reset();
    expect(emu.stats.count("/api/me")).toBe(0);
    expect(emu.stats.total).toBe(0);
  });
});
