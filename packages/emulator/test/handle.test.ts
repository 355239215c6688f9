/**
 * The transport-free core: `app.handle(Request) -> Response`, with no adapter in between. Every
 * adapter (node:http, emu.fetch, a Service Worker) relies on what these show.
 */
import { createEmulatorApp, type EmulatorModule } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { ADMIN } from "./emulator-helpers.js";

const BASE = "http://emulator.invalid";

/** Lets the event loop run until `done()` holds (at most `turns` turns; no clock involved). */
async function until(done: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((r) => setImmediate(r));
}
const get = (path: string, init: RequestInit = {}) =>
  new Request(BASE + path, { ...init, headers: { Authorization: ADMIN, ...(init.headers as object) } });

/** A route streaming `n` lines of `width` bytes, recording how far it got. */
function streamingModule(
  n: number,
  width: number,
  progress: { written: number; failAt?: number },
): EmulatorModule {
  return {
    name: "stream-probe",
    install(app) {
      app.get("/api/probe", async (ctx) => {
        const out = ctx.stream(200, "text/plain");
        const line = `${"x".repeat(width - 1)}\n`;
        for (let i = 0; i < n; i++) {
          if (progress.failAt === i) throw new Error("broke mid-answer");
          await out.write(line);
          progress.written = i + 1;
        }
        await out.end();
      });
    },
  };
}

describe("app.handle(Request)", () => {
  it("answers JSON with the status text and a Content-Length matching the body", async () => {
    const app = await createEmulatorApp({ seed: "empty" });
    const res = await app.handle(get("/api/system/info"));
    expect(res.status).toBe(200);
    expect(res.statusText).toBe("OK");
    expect(res.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({ version: "2.42.4.1" });
  });

  it("answers DHIS2's 401 WebMessage with a challenge when the request has no credentials", async () => {
    const app = await createEmulatorApp({ seed: "empty" });
    const res = await app.handle(new Request(`${BASE}/api/me`));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Basic realm="DHIS2"');
    expect(await res.json()).toMatchObject({ httpStatusCode: 401, status: "ERROR" });
  });

  it("gives a redirect as a real 3xx Response (nothing follows it)", async () => {
    const app = await createEmulatorApp({ seed: "empty" });
    const res = await app.handle(new Request(`${BASE}/`));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${BASE}/dhis-web-login/`);
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const app = await createEmulatorApp({ seed: "empty" });
    const full = await app.handle(get("/api/system/info"));
    const head = await app.handle(get("/api/system/info", { method: "HEAD" }));
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect(head.headers.get("content-length")).toBe(full.headers.get("content-length"));
  });

  it("takes the Host of the request URL for absolute links", async () => {
    const app = await createEmulatorApp({ seed: "demo" });
    const res = await app.handle(
      new Request("https://dhis2.example.org/api/organisationUnits?pageSize=1", {
        headers: { Authorization: ADMIN },
      }),
    );
    const body = (await res.json()) as { pager: { nextPage: string } };
    expect(body.pager.nextPage).toBe("https://dhis2.example.org/api/organisationUnits?page=2&pageSize=1");
  });

  it("turns a dropped-connection fault into Response.error() and records status 0", async () => {
    const app = await createEmulatorApp({ seed: "empty" });
    app.faults.add({ path: "/api/me", drop: true });
    const res = await app.handle(get("/api/me"));
    expect(res.type).toBe("error");
    expect(app.stats.requests("/api/me").map((r) => r.status)).toEqual([0]);
  });

  it("ends a delay fault when the request's signal aborts (the client went away)", async () => {
    const app = await createEmulatorApp({ seed: "empty" });
    app.faults.add({ path: "/api/me", delayMs: 600_000 });
    const gone = new AbortController();
    const pending = app.handle(get("/api/me", { signal: gone.signal }));
    gone.abort();
    expect((await pending).type).toBe("error");
  });

  it("reads a streamed request body up to maxBodyBytes, and answers 413 past it", async () => {
    const app = await createEmulatorApp({ seed: "empty", maxBodyBytes: 1000 });
    const body = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode(text));
          c.close();
        },
      });
    const post = (text: string) =>
      app.handle(
        new Request(`${BASE}/api/systemSettings`, {
          method: "POST",
          headers: { Authorization: ADMIN, "Content-Type": "application/json" },
          body: body(text),
          // @ts-expect-error `duplex` is in undici's RequestInit, not yet in TypeScript's DOM lib.
          duplex: "half",
        }),
      );
    expect((await post(JSON.stringify({ applicationTitle: "Small" }))).status).toBe(200);
    const big = await post(JSON.stringify({ applicationTitle: "x".repeat(2000) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({
      httpStatusCode: 413,
      message: "Request body larger than 1000 bytes",
    });
  });

  it("resolves a streamed answer at once; the handler only writes as fast as the body is read", async () => {
    const progress = { written: 0 };
    const app = await createEmulatorApp({ seed: "empty", modules: [streamingModule(1000, 1024, progress)] });
    const res = await app.handle(get("/api/probe"));
    expect(res.headers.get("content-length")).toBeNull();
    // 1 MiB to send, 64 KiB of queue: the handler parks on the unread body.
    await until(() => app.streams.waiting === 1);
    expect(app.streams.waiting).toBe(1);
    expect(progress.written).toBeLessThan(64);
    expect(app.streams.produced).toBe(64 * 1024);
    const text = await res.text();
    expect(text.length).toBe(1000 * 1024);
    expect(progress.written).toBe(1000);
    expect(app.stats.requests("/api/probe").map((r) => r.status)).toEqual([200]);
  });

  it("breaks the body when a handler fails after its answer started, and keeps the error", async () => {
    const progress = { written: 0, failAt: 100 };
    const app = await createEmulatorApp({ seed: "empty", modules: [streamingModule(1000, 1024, progress)] });
    const res = await app.handle(get("/api/probe"));
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow("broke mid-answer");
    expect(app.errors.map((e) => (e as Error).message)).toEqual(["broke mid-answer"]);
  });

  it("answers 500 naming the route when a handler sends nothing", async () => {
    const app = await createEmulatorApp({
      seed: "empty",
      modules: [{ name: "silent", install: (a) => a.get("/api/silent", () => undefined) }],
    });
    const res = await app.handle(get("/api/silent"));
    expect(res.status).toBe(500);
    expect(((await res.json()) as { message: string }).message).toBe(
      "Handler for GET /api/silent sent no answer",
    );
  });
});
