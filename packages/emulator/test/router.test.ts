import { normalizePath, Router } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

describe("Router", () => {
  it("prefers literal segments over params over rest, whatever the registration order", () => {
    const r = new Router<string>();
    r.add("GET", "/api/*rest", "rest");
    r.add("GET", "/api/:resource/:id", "resource-id");
    r.add("GET", "/api/:resource", "resource");
    r.add("GET", "/api/system/info", "info");
    const hit = (p: string) => {
      const m = r.match("GET", p);
      return m.kind === "found" ? [m.route.handler, m.params] : m.kind;
    };
    expect(hit("/api/system/info")).toEqual(["info", {}]);
    expect(hit("/api/dataElements")).toEqual(["resource", { resource: "dataElements" }]);
    expect(hit("/api/dataElements/abc")).toEqual(["resource-id", { resource: "dataElements", id: "abc" }]);
    expect(hit("/api/dataSets/a/organisationUnits/b")).toEqual([
      "rest",
      { rest: "dataSets/a/organisationUnits/b" },
    ]);
    expect(hit("/other")).toBe("not-found");
  });

  it("lets a later route of equal specificity shadow an earlier one", () => {
    const r = new Router<string>();
    r.add("GET", "/api/me", "first");
    r.add("GET", "/api/me", "second");
    const m = r.match("GET", "/api/me");
    expect(m.kind === "found" && m.route.handler).toBe("second");
  });

  it("lets a higher priority beat a later registration of equal specificity", () => {
    const r = new Router<string>();
    r.add("POST", "/api/apiToken", "core", undefined, 1);
    r.add("POST", "/api/apiToken", "generic-crud");
    const m = r.match("POST", "/api/apiToken");
    expect(m.kind === "found" && m.route.handler).toBe("core");
  });

  it("decodes params and reports 405 candidates", () => {
    const r = new Router<string>();
    r.add("POST", "/api/dataSets/:id/organisationUnits/:ou", "add");
    const m = r.match("POST", "/api/dataSets/a%20b/organisationUnits/X");
    expect(m.kind === "found" && m.params).toEqual({ id: "a b", ou: "X" });
    expect(r.match("GET", "/api/dataSets/a/organisationUnits/X")).toEqual({
      kind: "method-not-allowed",
      allow: ["POST"],
    });
  });

  it("normalises DHIS2 API paths", () => {
    expect(normalizePath("/api/42/dataElements.json")).toEqual({
      path: "/api/dataElements",
      apiVersion: 42,
      ext: "json",
      isApi: true,
    });
    expect(normalizePath("/api/analytics/rawData.json.gz").ext).toBe("json.gz");
    expect(normalizePath("/api/me/").path).toBe("/api/me");
    expect(normalizePath("/oauth2/token/")).toMatchObject({ path: "/oauth2/token/", isApi: false });
    expect(normalizePath("/apix").isApi).toBe(false);
  });
});

describe("routing through HTTP", () => {
  const start = useEmulator();

  it("quirk: answers /api/42/... and /api/41/... like /api/...", async () => {
    const emu = await start({ seed: "empty" });
    const plain = await (await call(emu, "/api/me")).json();
    const versioned = await (await call(emu, "/api/42/me.json")).json();
    expect(versioned).toEqual(plain);
    expect((await call(emu, "/api/41/system/info")).status).toBe(200);
  });

  it("routes specific module routes before generic ones and exposes params", async () => {
    const emu = await start({
      seed: "empty",
      modules: [
        {
          name: "test",
          install(app) {
            app.get("/api/:resource/:id", (ctx) => ({ generic: ctx.params }));
            app.get("/api/things/special", () => ({ specific: true }));
            app.get("/api/files/*path", (ctx) => ({
              path: ctx.params.path,
              filters: ctx.query.getAll("filter"),
            }));
          },
        },
      ],
    });
    expect(await (await call(emu, "/api/things/special")).json()).toEqual({ specific: true });
    expect(await (await call(emu, "/api/things/abc")).json()).toEqual({
      generic: { resource: "things", id: "abc" },
    });
    expect(await (await call(emu, "/api/files/a/b.txt?filter=x:eq:1&filter=y:eq:2")).json()).toEqual({
      path: "a/b.txt",
      filters: ["x:eq:1", "y:eq:2"],
    });
    // Built-in specific routes still win over the generic pattern.
    expect((await (await call(emu, "/api/system/info")).json()).version).toBe("2.42.4.1");
  });

  it("answers 405 with Allow for a known path and another method", async () => {
    const emu = await start({ seed: "empty" });
    const res = await call(emu, "/api/system/info", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("GET");
    expect((await res.json()).httpStatus).toBe("Method Not Allowed");
  });

  it("turns malformed JSON into a 400 WebMessage and HttpError into its status", async () => {
    const emu = await start({ seed: "empty" });
    const bad = await call(emu, "/api/systemSettings", {
      method: "POST",
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body).toMatchObject({ httpStatus: "Bad Request", httpStatusCode: 400, status: "ERROR" });
    expect(body.message).toMatch(/^JSON parse error: /);
  });

  // Over the wire the declared Content-Length is refused before routing (nginx's page); in
  // process the body is counted as it is read (a WebMessage). Both are 413.
  for (const wire of [true, false]) {
    const where = wire ? "over HTTP" : "in process";
    it(`quirk: rejects bodies over maxBodyBytes with 413 (${where})`, async () => {
      const emu = await start({ seed: "empty", maxBodyBytes: 100, wire });
      const res = await call(emu, "/api/systemSettings", {
        method: "POST",
        body: JSON.stringify({ a: "x".repeat(200) }),
      });
      expect(res.status).toBe(413);
      expect(res.headers.get("content-type")).toMatch(wire ? /^text\/html/ : /^application\/json/);
    });

    it(`quirk: rejects request targets over maxUrlLength with 414 (${where})`, async () => {
      const emu = await start({ seed: "empty", maxUrlLength: 200, wire });
      const res = await call(emu, `/api/me?fields=${"x".repeat(300)}`);
      expect(res.status).toBe(414);
      expect((await call(emu, "/api/me?fields=id")).status).toBe(200);
    });
  }

  it("streams a large chunked body", async () => {
    const emu = await start({
      seed: "empty",
      modules: [
        {
          name: "stream-test",
          install(app) {
            app.get("/api/export", async (ctx) => {
              const out = ctx.stream(200, "text/csv");
              for (let i = 0; i < 20_000; i++) await out.write(`row,${i}\n`);
              await out.end();
            });
          },
        },
      ],
    });
    const res = await call(emu, "/api/export.csv");
    expect(res.headers.get("content-type")).toBe("text/csv");
    const lines = (await res.text()).trim().split("\n");
    expect(lines).toHaveLength(20_000);
    expect(lines[19_999]).toBe("row,19999");
  });
});
