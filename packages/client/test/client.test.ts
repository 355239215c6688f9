import {
  BasicAuth,
  Dhis2Client,
  Dhis2ClientError,
  openClient,
  PatAuth,
  Profile,
  replaceOp,
  UnsupportedVersionError,
} from "@dhis2w/client";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fakeServer, json, systemInfo } from "./support/fake-server.js";

const TOKEN = "d2p_handshake_secret";
const auth = new PatAuth({ token: TOKEN });

describe("connect(): the handshake", () => {
  it.each([
    ["2.42.4", "v42"],
    ["2.42.4.1", "v42"],
    ["2.43.0", "v43"],
    ["2.41-SNAPSHOT", "v41"],
  ])("binds %s as %s", async (raw, key) => {
    const server = fakeServer({ "GET /api/system/info": () => systemInfo(raw) });
    const client = await Dhis2Client.open({ baseUrl: "http://dhis2.test/", auth, fetch: server.fetch });
    expect(client.versionKey).toBe(key);
    expect(client.rawVersion).toBe(raw);
    expect(client.baseUrl).toBe("http://dhis2.test");
    expect(server.calls[0]?.headers.authorization).toBe(`ApiToken ${TOKEN}`);
  });

  it("throws UnsupportedVersionError for an unknown version, and falls back only when allowed", async () => {
    const server = fakeServer({ "GET /api/system/info": () => systemInfo("2.45.1") });
    await expect(
      Dhis2Client.open({ baseUrl: "http://dhis2.test", auth, fetch: server.fetch }),
    ).rejects.toBeInstanceOf(UnsupportedVersionError);
    const client = await Dhis2Client.open({
      baseUrl: "http://dhis2.test",
      auth,
      fetch: server.fetch,
      allowVersionFallback: true,
    });
    expect(client.versionKey).toBe("v43");
    expect(client.rawVersion).toBe("2.45.1");
  });

  it("an explicit version pins it whatever the server says", async () => {
    const server = fakeServer({ "GET /api/system/info": () => systemInfo("2.45.1") });
    const client = await Dhis2Client.open({
      baseUrl: "http://dhis2.test",
      auth,
      fetch: server.fetch,
      version: "v41",
    });
    const key: "v41" = client.versionKey; // typed by the generic
    expect(key).toBe("v41");
    expect(() => new Dhis2Client({ baseUrl: "http://x.test", auth, version: "v40" as "v41" })).toThrow(
      /not supported/,
    );
  });

  it("primes system.info(): no second request", async () => {
    const server = fakeServer({ "GET /api/system/info": () => systemInfo("2.42.4") });
    const client = await Dhis2Client.open({ baseUrl: "http://dhis2.test", auth, fetch: server.fetch });
    await expect(client.system.info()).resolves.toMatchObject({ version: "2.42.4", revision: "abc123" });
    expect(server.count("/api/system/info")).toBe(1);
  });

  it("says clearly when the server is not DHIS2", async () => {
    const server = fakeServer({ "GET /api/system/info": () => json({ hello: "world" }) });
    await expect(
      Dhis2Client.open({ baseUrl: "http://dhis2.test", auth, fetch: server.fetch }),
    ).rejects.toThrow(/did not report a version.*is this a DHIS2 server/);
  });

  it("runs onConnected hooks with the version key, at the end of connect()", async () => {
    const server = fakeServer({ "GET /api/system/info": () => systemInfo("2.43.0") });
    const client = new Dhis2Client({ baseUrl: "http://dhis2.test", auth, fetch: server.fetch });
    const seen: string[] = [];
    await client.onConnected((key, c) => void seen.push(`${key}:${c.rawVersion}`));
    expect(seen).toEqual([]);
    await client.connect();
    expect(seen).toEqual(["v43:2.43.0"]);
    expect(() => new Dhis2Client({ baseUrl: "http://dhis2.test", auth }).versionKey).toThrow(/not connected/);
  });

  it("is AsyncDisposable", async () => {
    const server = fakeServer({
      "GET /api/system/info": () => systemInfo("2.42.4"),
      "GET /api/me": () => json({}),
    });
    let escaped: Dhis2Client | undefined;
    {
      await using client = await Dhis2Client.open({
        baseUrl: "http://dhis2.test",
        auth,
        fetch: server.fetch,
      });
      escaped = client;
    }
    await expect(escaped.getRaw("/api/me")).rejects.toThrow(/closed/);
  });
});

describe("redirects keep credentials on the DHIS2 host", () => {
  it("follows a same-host redirect (context path) with credentials and adopts the canonical base URL", async () => {
    const server = fakeServer({
      "GET dhis2.test/api/system/info": () =>
        new Response(null, { status: 302, headers: { location: "/hmis/api/system/info" } }),
      "GET dhis2.test/hmis/api/system/info": () => systemInfo("2.42.4"),
      "GET dhis2.test/hmis/api/me": () => json({ id: "u1", username: "admin" }),
    });
    const client = await Dhis2Client.open({ baseUrl: "http://dhis2.test", auth, fetch: server.fetch });
    expect(client.baseUrl).toBe("http://dhis2.test/hmis");
    expect(server.calls.every((c) => c.redirect === "manual")).toBe(true);
    expect(server.calls[1]?.headers.authorization).toBe(`ApiToken ${TOKEN}`);
    await client.system.me();
    expect(server.calls.at(-1)?.url.toString()).toBe("http://dhis2.test/hmis/api/me");
  });

  it("quirk: strips Authorization when a redirect leaves the host, and does not adopt a host that is not DHIS2", async () => {
    const server = fakeServer({
      "GET play.test/api/system/info": () =>
        new Response(null, { status: 301, headers: { location: "https://landing.test/welcome" } }),
      "GET landing.test/welcome": () =>
        new Response("<html><title>Welcome</title></html>", { headers: { "content-type": "text/html" } }),
    });
    const err = await Dhis2Client.open({ baseUrl: "http://play.test", auth, fetch: server.fetch }).catch(
      (e) => e,
    );
    expect(server.calls[1]?.url.host).toBe("landing.test");
    expect(server.calls[1]?.headers.authorization).toBeUndefined();
    expect(err).toBeInstanceOf(Dhis2ClientError);
    expect(err.message).toMatch(/redirected to https:\/\/landing\.test.*credentials were not sent/);
  });

  it("adopts another host only when it answers like DHIS2, then sends credentials there", async () => {
    const server = fakeServer({
      "GET old.test/dev/api/system/info": () =>
        new Response(null, {
          status: 301,
          headers: { location: "https://new.test/dev-2-42/api/system/info" },
        }),
      "GET new.test/dev-2-42/api/system/info": (call) =>
        call.headers.authorization
          ? systemInfo("2.42.4")
          : json({ httpStatusCode: 401, status: "ERROR", message: "Unauthorized" }, 401),
    });
    const client = await Dhis2Client.open({ baseUrl: "http://old.test/dev", auth, fetch: server.fetch });
    expect(client.baseUrl).toBe("https://new.test/dev-2-42");
    expect(server.calls.map((c) => [c.url.host, c.headers.authorization ?? null])).toEqual([
      ["old.test", `ApiToken ${TOKEN}`],
      ["new.test", null], // the redirect hop carries no credentials
      ["new.test", `ApiToken ${TOKEN}`], // asked again at the adopted canonical base
    ]);
  });

  it("never sends credentials from https down to http, nor custom auth headers across hosts", async () => {
    const server = fakeServer({
      "GET secure.test/api/x": () =>
        new Response(null, { status: 307, headers: { location: "http://secure.test/api/y" } }),
      "GET secure.test/api/y": () => json({ ok: true }),
    });
    const client = new Dhis2Client({ baseUrl: "https://secure.test", auth, fetch: server.fetch });
    await client.getRaw("/api/x", { headers: { Cookie: "JSESSIONID=1" } });
    expect(server.calls[1]?.headers.authorization).toBeUndefined();
    expect(server.calls[1]?.headers.cookie).toBeUndefined();
  });

  it("turns a POST into a GET on 303 and gives up after maxRedirects", async () => {
    const server = fakeServer({
      "POST /api/a": () => new Response(null, { status: 303, headers: { location: "/api/b" } }),
      "GET /api/b": () => json({ done: true }),
      "GET /api/loop": () => new Response(null, { status: 302, headers: { location: "/api/loop" } }),
    });
    const client = new Dhis2Client({
      baseUrl: "http://dhis2.test",
      auth,
      fetch: server.fetch,
      maxRedirects: 3,
    });
    await expect(client.postRaw("/api/a", { x: 1 })).resolves.toEqual({ done: true });
    expect(server.calls[1]?.body).toBeUndefined();
    await expect(client.getRaw("/api/loop")).rejects.toThrow(/more than 3 redirects/);
  });
});

describe("raw escape hatches", () => {
  const server = fakeServer({
    "GET /api/system/id": () => json({ codes: ["a"] }),
    "GET /api/list": () => json([1, 2, 3]),
    "GET /api/flag": () => json(true),
    "DELETE /api/dataElements/abc": () => new Response(null, { status: 204 }),
    "GET /api/echo": (call) => json({ query: [...call.url.searchParams.entries()] }),
    "POST /api/echo": (call) => json({ body: call.body, type: call.headers["content-type"] }),
    "PUT /api/echo": (call) => json({ body: call.body, type: call.headers["content-type"] }),
    "PATCH /api/echo": (call) => json({ body: call.body, type: call.headers["content-type"] }),
    "GET /api/login": () =>
      new Response("<html><title>Login</title></html>", { headers: { "content-type": "text/html" } }),
    "GET /api/ping": () => new Response("pong", { headers: { "content-type": "text/plain" } }),
  });
  const client = new Dhis2Client({ baseUrl: "http://dhis2.test", auth, fetch: server.fetch });

  it("quirk: wraps a bare array or value in { data } and an empty body as {}", async () => {
    await expect(client.getRaw("/api/list")).resolves.toEqual({ data: [1, 2, 3] });
    await expect(client.getRaw("/api/flag")).resolves.toEqual({ data: true });
    await expect(client.deleteRaw("/api/dataElements/abc")).resolves.toEqual({});
    await expect(client.getRaw("/api/ping")).resolves.toEqual({ data: "pong" });
  });

  it("encodes params: arrays repeat the key, booleans and numbers as text, undefined left out", async () => {
    const raw = await client.getRaw<{ query: [string, string][] }>("/api/echo", {
      params: {
        filter: ["name:like:ANC", "valueType:eq:NUMBER"],
        paging: false,
        pageSize: 50,
        skip: undefined,
      },
    });
    expect(raw.query).toEqual([
      ["filter", "name:like:ANC"],
      ["filter", "valueType:eq:NUMBER"],
      ["paging", "false"],
      ["pageSize", "50"],
    ]);
  });

  it("quirk: sends JSON bodies, and PATCH as application/json-patch+json", async () => {
    await expect(client.postRaw("/api/echo", { a: 1 })).resolves.toEqual({
      body: '{"a":1}',
      type: "application/json",
    });
    await expect(client.putRaw("/api/echo", [1])).resolves.toEqual({ body: "[1]", type: "application/json" });
    await expect(client.patchRaw("/api/echo", [replaceOp("/name", "X")])).resolves.toEqual({
      body: '[{"op":"replace","path":"/name","value":"X"}]',
      type: "application/json-patch+json",
    });
    await expect(
      client.postRaw("/api/echo", "raw text", { headers: { "Content-Type": "text/plain" } }),
    ).resolves.toEqual({
      body: "raw text",
      type: "text/plain",
    });
  });

  it("refuses an HTML page on a 2xx (a login page in front of the API)", async () => {
    await expect(client.getRaw("/api/login")).rejects.toThrow(/HTML page \("Login"\).*login page or proxy/);
  });

  it("refuses an absolute URL on another host", async () => {
    await expect(client.getRaw("https://evil.test/api/me")).rejects.toThrow(/refusing to send/);
  });

  it("validates with any Standard Schema (zod here), naming the path and the issues", async () => {
    const ids = await client.get("/api/system/id", { schema: z.object({ codes: z.array(z.string()) }) });
    expect(ids.codes).toEqual(["a"]);
    const list = await client.get("/api/list", { schema: z.array(z.number()) });
    expect(list).toEqual([1, 2, 3]);
    await expect(client.get("/api/list", { schema: z.array(z.string()) })).rejects.toThrow(
      /GET \/api\/list: the answer does not match the schema: 0: .*string/,
    );
  });
});

describe("openClient(profile)", () => {
  const server = fakeServer({ "GET /api/system/info": () => systemInfo("2.42.4") });

  it("opens PAT and Basic profiles", async () => {
    const pat = await openClient(Profile.parse({ baseUrl: "http://dhis2.test", auth: "pat", token: "t0k" }), {
      fetch: server.fetch,
    });
    expect(pat.auth).toBeInstanceOf(PatAuth);
    expect(pat.versionKey).toBe("v42");
    const basic = await openClient(
      Profile.parse({
        baseUrl: "http://dhis2.test",
        auth: "basic",
        username: "admin",
        password: "district",
        version: "v41",
      }),
      { fetch: server.fetch },
    );
    expect(basic.auth).toBeInstanceOf(BasicAuth);
    expect(basic.versionKey).toBe("v41"); // the profile's version pins it
    expect(server.calls.at(-1)?.headers.authorization).toBe(`Basic ${btoa("admin:district")}`);
  });

  it("points OAuth2 profiles at @dhis2w/core", async () => {
    const profile = Profile.parse({
      baseUrl: "http://dhis2.test",
      auth: "oauth2",
      clientId: "c",
      clientSecret: "s3cret",
    });
    const err = await openClient(profile, { fetch: server.fetch }).catch((e) => e);
    expect(err).toBeInstanceOf(Dhis2ClientError);
    expect(err.message).toMatch(/@dhis2w\/core/);
    expect(err.message).not.toContain("s3cret");
  });

  it("names invalid fields without their values", async () => {
    const err = await openClient({
      baseUrl: "http://dhis2.test",
      auth: "basic",
      username: "admin",
    } as Profile).catch((e) => e);
    expect(err.message).toMatch(/password: auth "basic" needs password/);
  });
});
