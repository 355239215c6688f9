import { describe, expect, it } from "vitest";
import {
  ApiHeadersAuthScheme,
  AuthScheme,
  createRoutesAccessor,
  HttpBasicAuthScheme,
  QueryValidationError,
  redactAuthScheme,
} from "../src/resources/index.js";
import { stub } from "./support/raw-surface.js";

describe("AuthScheme (Route API auth)", () => {
  it.each([
    { type: "http-basic", username: "svc", password: "secret" },
    { type: "api-token", token: "tok" },
    { type: "api-headers", headers: { "X-Key": "k" } },
    { type: "api-query-params", queryParams: { key: "k" } },
    {
      type: "oauth2-client-credentials",
      clientId: "c",
      clientSecret: "s",
      tokenUri: "https://idp.example.org/token",
    },
  ])("parses $type", (raw) => {
    expect(AuthScheme.parse(raw)).toEqual(raw);
  });

  it("parses a scheme read back from DHIS2, which never returns the secrets", () => {
    expect(AuthScheme.parse({ type: "http-basic", username: "svc" })).toEqual({
      type: "http-basic",
      username: "svc",
    });
  });

  it("rejects an unknown type and a missing required field", () => {
    expect(AuthScheme.safeParse({ type: "bearer", token: "x" }).success).toBe(false);
    expect(HttpBasicAuthScheme.safeParse({ type: "http-basic", password: "p" }).success).toBe(false);
    expect(
      AuthScheme.safeParse({ type: "oauth2-client-credentials", clientId: "c", tokenUri: "not a url" })
        .success,
    ).toBe(false);
  });

  it("types each variant", () => {
    const headers: ApiHeadersAuthScheme = { type: "api-headers", headers: { Authorization: "Bearer x" } };
    expect(ApiHeadersAuthScheme.parse(headers).headers).toEqual({ Authorization: "Bearer x" });
  });

  it("redacts every secret", () => {
    const text = JSON.stringify([
      redactAuthScheme({ type: "http-basic", username: "svc", password: "pw-secret" }),
      redactAuthScheme({ type: "api-token", token: "tok-secret" }),
      redactAuthScheme({ type: "api-headers", headers: { "X-Key": "hdr-secret" } }),
      redactAuthScheme({ type: "api-query-params", queryParams: { key: "qp-secret" } }),
      redactAuthScheme({
        type: "oauth2-client-credentials",
        clientId: "c",
        clientSecret: "cs-secret",
        tokenUri: "https://x.org/t",
      }),
    ]);
    expect(text).not.toMatch(/-secret/);
    expect(text).toContain('"username":"svc"');
    expect(text).toContain('"X-Key":"***"');
  });
});

describe("client.routes", () => {
  it("creates a route and returns its UID", async () => {
    const client = stub(() => ({ httpStatusCode: 201, status: "OK", response: { uid: "RouteUid001" } }));
    const id = await createRoutesAccessor(client).create({
      name: "upstream",
      url: "https://example.org/api/**",
      auth: { type: "api-token", token: "tok" },
    });
    expect(id).toBe("RouteUid001");
    expect(client.calls[0]).toMatchObject({ method: "POST", path: "/api/routes" });
  });

  it("rejects a bad route without echoing its secrets, before any request", async () => {
    const client = stub(() => ({}));
    const error = await createRoutesAccessor(client)
      .create({
        name: "x",
        url: "https://e.org",
        auth: { type: "http-basic", password: "pw-secret" } as never,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryValidationError);
    expect((error as Error).message).toContain("auth.username");
    expect((error as Error).message).not.toContain("pw-secret");
    expect(client.calls).toHaveLength(0);
  });

  it("runs a route with the method, subpath, params and body given", async () => {
    const client = stub(() => ({ ok: true }));
    const routes = createRoutesAccessor(client);
    await routes.run("RouteUid001");
    await routes.run("RouteUid001", {
      method: "POST",
      subpath: "/v1/items",
      body: { a: 1 },
      params: { q: "x" },
    });
    expect(client.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /api/routes/RouteUid001/run",
      "POST /api/routes/RouteUid001/run/v1/items",
    ]);
    expect(client.calls[1]).toMatchObject({ body: { a: 1 }, params: { q: "x" } });
    await expect(routes.run("../etc")).rejects.toBeInstanceOf(QueryValidationError);
  });

  it("lists routes from the plural key", async () => {
    const client = stub(() => ({ routes: [{ id: "RouteUid001", name: "r", url: "https://e.org" }] }));
    const list = await createRoutesAccessor(client).list();
    expect(list.map((r) => r.id)).toEqual(["RouteUid001"]);
    expect(client.calls[0]?.params).toEqual({ fields: "*", paging: "false" });
  });
});
