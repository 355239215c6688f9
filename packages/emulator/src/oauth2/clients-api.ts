import type { EmulatorApp } from "../app.js";
import type { Ctx } from "../ctx.js";
import { generateUid } from "../uid.js";
import { HttpError } from "../web-message.js";
import type { OAuth2Server, RegisteredClient } from "./server.js";

/**
 * `/api/oAuth2Clients`, in the shape of each version:
 * - v41 (the pre-Spring-AS model; docs.dhis2.org 2.29+ "Adding a client using the Web API"):
 *   `{ name, cid, secret, grantTypes: [..], redirectUris: [..] }`.
 * - v42+ (Spring Authorization Server's RegisteredClient; see winterop-com/dhis2w-utils
 *   docs/guides/connecting-to-dhis2.md "Step 3"): `{ name, clientId, clientSecret,
 *   authorizationGrantTypes: "a,b", redirectUris: "x,y", scopes: "ALL",
 *   clientAuthenticationMethods, clientSettings, tokenSettings }`, comma-separated strings.
 * DHIS2 v42+ stores `clientSecret` BCrypt-hashed; the emulator cannot verify BCrypt, so it takes
 * the plain secret and rejects a hash with a 409 that says so. Secrets are never echoed back.
 */

type Json = Record<string, unknown>;

const csv = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map(String)
    : typeof v === "string"
      ? v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : [];

/** 2.41's `OAuth2Client` model (`oauth2.clientModel` of the version's row), not Spring's `RegisteredClient`. */
function legacyModel(ctx: Ctx): boolean {
  return ctx.state.behaviour.oauth2.clientModel === "OAuth2Client";
}

function view(ctx: Ctx, c: RegisteredClient): Json {
  if (legacyModel(ctx)) {
    return {
      id: c.id,
      name: c.name,
      displayName: c.name,
      cid: c.clientId,
      grantTypes: c.grantTypes,
      redirectUris: c.redirectUris,
    };
  }
  return {
    id: c.id,
    name: c.name,
    displayName: c.name,
    clientId: c.clientId,
    authorizationGrantTypes: c.grantTypes.join(","),
    redirectUris: c.redirectUris.join(","),
    scopes: c.scopes.join(","),
    clientAuthenticationMethods: "client_secret_basic,client_secret_post",
  };
}

function conflict(message: string): HttpError {
  return new HttpError(409, message, { status: "ERROR", errorCode: "E4000" });
}

function parse(ctx: Ctx, body: Json, id: string): Parameters<OAuth2Server["register"]>[0] {
  const legacy = legacyModel(ctx);
  const idField = legacy ? "cid" : "clientId";
  const clientId = body[idField];
  if (typeof clientId !== "string" || clientId === "") {
    const hint = legacy ? "" : " (v42+ renamed v41's `cid` to `clientId`)";
    throw conflict(`Missing required property \`${idField}\`${hint}.`);
  }
  const secret = legacy ? body.secret : body.clientSecret;
  if (typeof secret === "string" && /^\$2[aby]\$\d\d\$/.test(secret)) {
    throw conflict("The emulator cannot verify BCrypt-hashed client secrets; send the plain clientSecret.");
  }
  const name = typeof body.name === "string" && body.name ? body.name : clientId;
  return {
    id,
    name,
    clientId,
    clientSecret: typeof secret === "string" && secret !== "" ? secret : undefined,
    redirectUris: csv(body.redirectUris),
    grantTypes: csv(legacy ? body.grantTypes : body.authorizationGrantTypes),
    scopes: legacy ? ["ALL"] : csv(body.scopes ?? "ALL"),
  };
}

function requireAdmin(ctx: Ctx): void {
  const a = ctx.user?.authorities ?? [];
  if (!a.includes("ALL") && !a.includes("F_OAUTH2_CLIENT_MANAGE")) {
    throw new HttpError(403, "You don't have the proper permissions to manage OAuth2 clients.");
  }
}

function byId(server: OAuth2Server, id: string): RegisteredClient | undefined {
  for (const c of server.clients.values()) if (c.id === id) return c;
  return undefined;
}

/** Registers the `/api/oAuth2Clients` routes. */
export function installClientsApi(app: EmulatorApp, server: OAuth2Server): void {
  app.get("/api/oAuth2Clients", (ctx) => {
    requireAdmin(ctx);
    const all = [...server.clients.values()].map((c) => view(ctx, c));
    return { pager: { page: 1, pageCount: 1, total: all.length, pageSize: 50 }, oAuth2Clients: all };
  });
  app.get("/api/oAuth2Clients/:id", (ctx) => {
    requireAdmin(ctx);
    const c = byId(server, ctx.params.id ?? "");
    return c ? view(ctx, c) : ctx.notFound("OAuth2Client", ctx.params.id ?? "");
  });
  app.post("/api/oAuth2Clients", async (ctx) => {
    requireAdmin(ctx);
    const body = await ctx.readJson<Json>();
    const id = typeof body.id === "string" && body.id ? body.id : generateUid();
    const input = parse(ctx, body, id);
    if (server.clients.has(input.clientId))
      throw conflict(`An OAuth2 client with clientId \`${input.clientId}\` already exists.`);
    server.register(input);
    ctx.webMessage(201, `Object created: ${id}`, {
      response: { uid: id, klass: "org.hisp.dhis.security.oauth2.OAuth2Client" },
    });
  });
  app.put("/api/oAuth2Clients/:id", async (ctx) => {
    requireAdmin(ctx);
    const existing = byId(server, ctx.params.id ?? "");
    if (!existing) return ctx.notFound("OAuth2Client", ctx.params.id ?? "");
    server.register(parse(ctx, await ctx.readJson<Json>(), existing.id));
    ctx.webMessage(200, "Object updated");
  });
  app.delete("/api/oAuth2Clients/:id", (ctx) => {
    requireAdmin(ctx);
    const existing = byId(server, ctx.params.id ?? "");
    if (!existing) return ctx.notFound("OAuth2Client", ctx.params.id ?? "");
    server.clients.delete(existing.clientId);
    ctx.webMessage(200, "Object deleted");
  });
}
