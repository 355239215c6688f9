/**
 * Trust: "An answer larger than the client can hold (~512 MB) is taken for a network error and
 * downloaded three times. Give a clear, non-retried error with the size and a pointer to the
 * streaming API." A local node:http server streams answers past a small `maxResponseBytes`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Dhis2Client, PatAuth, ResponseTooLargeError, RetryPolicy } from "@dhis2w/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const LIMIT = 16_384;
const ITEM = `"${"a".repeat(1_022)}"`; // 1 KiB per array item
let server: Server;
let baseUrl: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === "/api/chunked") {
      // No Content-Length: 64 KiB of JSON in 1 KiB writes.
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      for (let i = 0; i < 64; i++) res.write(i === 0 ? ITEM : `,${ITEM}`);
      res.end("]");
    } else if (path === "/api/declared") {
      // Announces 1 GB; writes a little and waits (a client that reads on would hang here).
      res.writeHead(200, { "content-type": "application/json", "content-length": String(2 ** 30) });
      res.write("[");
    } else if (path === "/api/small") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`[${ITEM}]`);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client() {
  const waits: number[] = [];
  const c = new Dhis2Client({
    baseUrl,
    auth: new PatAuth({ token: "d2p_big_answers_token" }),
    maxResponseBytes: LIMIT,
    retryPolicy: new RetryPolicy({ maxAttempts: 3 }),
    sleep: async (ms) => void waits.push(ms),
  });
  return { c, waits };
}

describe("big answers", () => {
  it("an answer past maxResponseBytes without Content-Length: a clear error with the size, sent once, never retried", async () => {
    const { c, waits } = client();
    const err = await c.getRaw("/api/chunked").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    const e = err as ResponseTooLargeError;
    expect(e.limit).toBe(LIMIT);
    expect(e.bytes).toBeGreaterThan(LIMIT);
    expect(e.declared).toBe(false);
    expect(e.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/chunked: the answer passed [\d,]+ bytes/);
    expect(e.message).toMatch(/maxResponseBytes 16,384.*fetchResponse/);
    expect(hits.get("/api/chunked")).toBe(1);
    expect(waits).toEqual([]);
    await c.close();
  });

  it("a Content-Length past the limit fails before the body is downloaded", async () => {
    const { c, waits } = client();
    const err = await c.getRaw("/api/declared").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toMatchObject({ bytes: 2 ** 30, declared: true });
    expect((err as Error).message).toContain("is 1,073,741,824 bytes (Content-Length)");
    expect(hits.get("/api/declared")).toBe(1);
    expect(waits).toEqual([]);
    await c.close();
  });

  it("answers under the limit read as before, and fetchResponse streams past it", async () => {
    const { c } = client();
    await expect(c.getRaw("/api/small")).resolves.toEqual({ data: ["a".repeat(1_022)] });
    const res = await c.fetchResponse("GET", "/api/chunked");
    const streamed = (await res.json()) as string[];
    expect(streamed).toHaveLength(64);
    await c.close();
  });
});
