import {
  AuthenticationError,
  type AuthProvider,
  BasicAuth,
  Dhis2ApiError,
  Dhis2Client,
  Dhis2ClientError,
  Dhis2TimeoutError,
  PatAuth,
  type RequestEvent,
} from "@dhis2w/client";
import { describe, expect, it } from "vitest";
import { fakeServer, json } from "./support/fake-server.js";

const TOKEN = "d2p_supersecret_token_1234567890";
const PASSWORD = "Pa55-w0rd!secret";

// Tomcat's 404 page, as DHIS2 serves it for /api/analytics/rawData without the .json suffix.
const TOMCAT_404 = `<!doctype html><html lang="en"><head><title>HTTP Status 404 – Not Found</title><style type="text/css">body {font-family:Tahoma,Arial,sans-serif;}</style></head><body><h1>HTTP Status 404 – Not Found</h1><hr class="line" /><p><b>Type</b> Status Report</p><p><b>Message</b> The requested resource [&#47;api&#47;analytics&#47;rawData] is not available</p><p><b>Description</b> The origin server did not find a current representation for the target resource.</p><hr class="line" /><h3>Apache Tomcat/9.0.85</h3></body></html>`;

function make(
  routes: Parameters<typeof fakeServer>[0],
  auth: AuthProvider = new PatAuth({ token: TOKEN }),
  extra = {},
) {
  const server = fakeServer(routes);
  return {
    server,
    c: new Dhis2Client({ baseUrl: "http://dhis2.test", auth, fetch: server.fetch, ...extra }),
  };
}

describe("error mapping", () => {
  it("maps a WebMessage 404 to Dhis2ApiError with statusCode, body, webMessage, method and url", async () => {
    const body = {
      httpStatus: "Not Found",
      httpStatusCode: 404,
      status: "ERROR",
      message: "DataElement with id abc could not be found.",
      errorCode: "E1005",
    };
    const { c } = make({ "GET /api/dataElements/abc": () => json(body, 404) });
    const err = await c.getRaw("/api/dataElements/abc", { params: { fields: "id" } }).catch((e) => e);
    expect(err).toBeInstanceOf(Dhis2ApiError);
    expect(err).toBeInstanceOf(Dhis2ClientError);
    expect(err.statusCode).toBe(404);
    expect(err.serverMessage).toBe("DataElement with id abc could not be found. [E1005]");
    expect(err.message).toContain("GET http://dhis2.test/api/dataElements/abc?fields=id -> HTTP 404");
    expect(err.method).toBe("GET");
    expect(err.body).toEqual(body);
    expect(err.webMessage?.errorCode).toBe("E1005");
    expect(err.webMessage?.httpStatusCode).toBe(404);
  });

  it("quirk: turns Tomcat's HTML 404 into a readable one-liner", async () => {
    const { c } = make({
      "GET /api/analytics/rawData": () =>
        new Response(TOMCAT_404, { status: 404, headers: { "content-type": "text/html;charset=utf-8" } }),
    });
    const err = await c.getRaw("/api/analytics/rawData").catch((e) => e);
    expect(err.serverMessage).toBe(
      "HTTP Status 404 – Not Found: The requested resource [/api/analytics/rawData] is not available",
    );
    expect(err.webMessage).toBeUndefined();
    expect(err.message).not.toContain("<");
  });

  it("truncates long text bodies and falls back to the status line on an empty body", async () => {
    const { c } = make({
      "GET /api/long": () => new Response("x".repeat(5_000), { status: 500 }),
      "GET /api/empty": () => new Response(null, { status: 502, statusText: "Bad Gateway" }),
    });
    const long = await c.getRaw("/api/long").catch((e) => e);
    expect(long.serverMessage.length).toBeLessThanOrEqual(300);
    const empty = await c.getRaw("/api/empty").catch((e) => e);
    expect(empty.serverMessage).toBe("HTTP 502 Bad Gateway");
    expect(empty.body).toBeUndefined();
  });

  it("redacts secret query parameters in error URLs", async () => {
    const { c } = make({ "GET /api/x": () => json({ message: "no" }, 400) });
    const err = await c
      .getRaw("/api/x", { params: { password: "hunter2", access_token: "tok", page: 2 } })
      .catch((e) => e);
    expect(err.url).toContain("page=2");
    expect(err.message).not.toMatch(/hunter2|=tok\b/);
    expect(err.url).toMatch(/password=%5Bredacted%5D/);
  });

  it("never lets the auth secret into a message or body, even when the server echoes it", async () => {
    const { c } = make({
      "GET /api/echo": (call) =>
        json({ message: `bad header ${call.headers.authorization}`, seen: call.headers.authorization }, 400),
    });
    const err = await c.getRaw("/api/echo").catch((e) => e);
    expect(err.message).not.toContain(TOKEN);
    expect(JSON.stringify(err.body)).not.toContain(TOKEN);
    expect(err.message).toContain("[redacted]");
  });

  // Like the real fetch: rejects with the signal's reason once it aborts (or at once if it has).
  const hang = (_: unknown, init?: RequestInit) =>
    new Promise<Response>((_, reject) => {
      if (init?.signal?.aborted) return reject(init.signal.reason);
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
    });

  it("says a request timed out as Dhis2TimeoutError", async () => {
    const slow = new Dhis2Client({
      baseUrl: "http://dhis2.test",
      auth: new PatAuth({ token: TOKEN }),
      fetch: hang,
      timeoutMs: 20,
    });
    const err = await slow.getRaw("/api/slow").catch((e) => e);
    expect(err).toBeInstanceOf(Dhis2TimeoutError);
    expect(err.timeoutMs).toBe(20);
    expect(err.message).toBe("GET http://dhis2.test/api/slow timed out after 20 ms");
  });

  it("passes a caller's abort through unchanged", async () => {
    const c = new Dhis2Client({
      baseUrl: "http://dhis2.test",
      auth: new PatAuth({ token: TOKEN }),
      fetch: hang,
    });
    const ac = new AbortController();
    const pending = c.getRaw("/api/x", { signal: ac.signal });
    ac.abort(new Error("user cancelled"));
    await expect(pending).rejects.toThrow("user cancelled");
  });

  it("close() ends in-flight requests and refuses new ones", async () => {
    const c = new Dhis2Client({
      baseUrl: "http://dhis2.test",
      auth: new PatAuth({ token: TOKEN }),
      fetch: hang,
    });
    const pending = c.getRaw("/api/x");
    await c.close();
    await expect(pending).rejects.toThrow(/closed/);
    await expect(c.getRaw("/api/x")).rejects.toThrow(/the client is closed/);
  });
});

describe("authentication errors", () => {
  it("401 -> AuthenticationError naming the auth kind, never the secret", async () => {
    const { c } = make({
      "GET /api/me": () => json({ httpStatusCode: 401, status: "ERROR", message: "Unauthorized" }, 401),
    });
    const err = await c.system.me().catch((e) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toBeInstanceOf(Dhis2ApiError);
    expect(err.authKind).toBe("pat");
    expect(err.statusCode).toBe(401);
    expect(err.message).toMatch(/pat authentication was refused/);
    expect(err.message).not.toContain(TOKEN);

    const basic = make(
      { "GET /api/me": () => json({ message: "Unauthorized" }, 401) },
      new BasicAuth({ username: "admin", password: PASSWORD }),
    );
    const berr = await basic.c.system.me().catch((e) => e);
    expect(berr.authKind).toBe("basic");
    expect(`${berr.message} ${JSON.stringify(berr)}`).not.toContain(PASSWORD);
  });

  it("calls onUnauthorized once and replays once when it resolves true", async () => {
    let token = "old";
    let refreshes = 0;
    const auth: AuthProvider = {
      kind: "oauth2",
      headers: () => ({ Authorization: `Bearer ${token}` }),
      onUnauthorized: async () => {
        refreshes++;
        token = "new";
        return true;
      },
      secrets: () => [token],
    };
    const { c, server } = make(
      {
        "GET /api/me": (call) =>
          call.headers.authorization === "Bearer new" ? json({ id: "u1", username: "admin" }) : json({}, 401),
      },
      auth,
    );
    await expect(c.system.me()).resolves.toMatchObject({ username: "admin" });
    expect(refreshes).toBe(1);
    expect(server.count("/api/me")).toBe(2);
  });

  it("does not loop when the replay is refused again", async () => {
    let refreshes = 0;
    const auth: AuthProvider = {
      kind: "oauth2",
      headers: () => ({ Authorization: "Bearer x" }),
      onUnauthorized: async () => ++refreshes > 0,
    };
    const { c, server } = make({ "GET /api/me": () => json({ message: "expired" }, 401) }, auth);
    await expect(c.system.me()).rejects.toBeInstanceOf(AuthenticationError);
    expect(refreshes).toBe(1);
    expect(server.count("/api/me")).toBe(2);
  });

  it("debug hooks see masked credentials", async () => {
    const events: RequestEvent[] = [];
    const { c } = make(
      { "GET /api/x": () => json({}) },
      new BasicAuth({ username: "admin", password: PASSWORD }),
      {
        onRequest: (e: RequestEvent) => events.push(e),
      },
    );
    await c.getRaw("/api/x", { params: { token: "abc" } });
    expect(events).toHaveLength(1);
    expect(events[0]?.headers.authorization).toBe("[redacted]");
    expect(events[0]?.url).not.toContain("abc");
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });
});
