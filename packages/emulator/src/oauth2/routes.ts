import type { EmulatorApp } from "../app.js";
import { base64ToText } from "../bytes.js";
import type { Ctx } from "../ctx.js";
import { OAuth2Error, type OAuth2Server, redirectUriMatches } from "./server.js";

/**
 * The HTTP side of the emulator's authorization server, after DHIS2 2.41+ (Spring Authorization
 * Server; docs: winterop-com/dhis2w-utils docs/guides/connecting-to-dhis2.md "Option 3",
 * https://docs.spring.io/spring-authorization-server/reference/protocol-endpoints.html):
 * `/oauth2/authorize`, `/oauth2/token`, `/oauth2/jwks`, `/.well-known/openid-configuration`.
 * DHIS2 answers `/oauth2/<x>` with a 301 to `/oauth2/<x>/` (/work/shared/spec/QUIRKS.md "Auth");
 * a client that follows it the way `fetch` does arrives as a GET without body or credentials.
 */

function page(title: string, body: string): string {
  return `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>`;
}

function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

function authorize(server: OAuth2Server, ctx: Ctx) {
  server.stats.authorizeRequests++;
  const q = ctx.query;
  const client = server.clients.get(q.get("client_id") ?? "");
  const redirectUri = q.get("redirect_uri") ?? "";
  // Without a known client and a registered redirect URI there is nowhere safe to send an error.
  if (!client) return ctx.html(400, page("400 Bad Request", "OAuth 2.0 Parameter: client_id"));
  if (!client.redirectUris.some((r) => redirectUriMatches(r, redirectUri))) {
    return ctx.html(400, page("400 Bad Request", "OAuth 2.0 Parameter: redirect_uri"));
  }
  const state = q.get("state") ?? undefined;
  const fail = (error: string, description: string) =>
    ctx.redirect(withParams(redirectUri, { error, error_description: description, state }), 302);
  if (q.get("response_type") !== "code")
    return fail("unsupported_response_type", "OAuth 2.0 Parameter: response_type");
  if (!client.grantTypes.includes("authorization_code"))
    return fail("unauthorized_client", "OAuth 2.0 Parameter: client_id");
  const challenge = q.get("code_challenge") ?? undefined;
  const method = q.get("code_challenge_method") ?? (challenge ? "plain" : undefined);
  if (challenge && method !== "S256")
    return fail("invalid_request", "OAuth 2.0 Parameter: code_challenge_method");
  if (!challenge && !client.secretDigest)
    return fail("invalid_request", "OAuth 2.0 Parameter: code_challenge");
  const scope = q.get("scope") ?? "ALL";
  // DHIS2 knows only the pseudo-scope ALL; Spring AS rejects unknown scopes.
  if (scope.split(" ").some((s) => !client.scopes.includes(s) && s !== "openid")) {
    return fail("invalid_scope", "OAuth 2.0 Parameter: scope");
  }
  if (server.settings.consent === "deny") return fail("access_denied", "OAuth 2.0 Parameter: consent");
  const user = ctx.user ?? ctx.state.users.byUsername(server.settings.consentUsername);
  if (!user) return fail("server_error", "no user to log in as");
  const code = server.issueCode(client, redirectUri, user.id, scope, challenge);
  ctx.redirect(withParams(redirectUri, { code, state }), 302);
}

function formEncodedDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, " "));
}

async function token(server: OAuth2Server, ctx: Ctx): Promise<void> {
  server.stats.tokenRequests++;
  const noStore = { "Cache-Control": "no-store", Pragma: "no-cache" };
  try {
    const form = new URLSearchParams(await ctx.bodyText());
    let clientId = form.get("client_id") ?? undefined;
    let secret = form.get("client_secret") ?? undefined;
    const header = ctx.header("authorization");
    if (header?.toLowerCase().startsWith("basic ")) {
      const decoded = base64ToText(header.slice(6)) ?? "";
      const colon = decoded.indexOf(":");
      if (colon > 0) {
        clientId = formEncodedDecode(decoded.slice(0, colon));
        secret = formEncodedDecode(decoded.slice(colon + 1));
      }
    }
    const client = server.authenticateClient(clientId, secret);
    const grant = form.get("grant_type");
    let body: Record<string, string | number>;
    if (grant === "authorization_code") {
      body = server.exchangeCode(
        client,
        form.get("code") ?? "",
        form.get("redirect_uri") ?? undefined,
        form.get("code_verifier") ?? undefined,
      );
    } else if (grant === "refresh_token") {
      body = server.refresh(client, form.get("refresh_token") ?? "");
    } else if (grant === "client_credentials") {
      const user =
        ctx.state.users.byOpenId(client.clientId) ?? ctx.state.users.byUsername(client.serviceUsername);
      if (!user) throw new OAuth2Error("invalid_client", "no DHIS2 user is mapped to this client", 401);
      body = server.clientCredentials(client, user.id, form.get("scope") ?? "ALL");
    } else {
      throw new OAuth2Error("unsupported_grant_type", "OAuth 2.0 Parameter: grant_type");
    }
    ctx.json(200, body, noStore);
  } catch (e) {
    if (!(e instanceof OAuth2Error)) throw e;
    server.stats.failedTokenRequests++;
    ctx.json(e.status, { error: e.error, error_description: e.description }, noStore);
  }
}

function discovery(ctx: Ctx): Record<string, unknown> {
  const issuer = ctx.origin;
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    jwks_uri: `${issuer}/oauth2/jwks`,
    userinfo_endpoint: `${issuer}/userinfo`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "client_credentials", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    scopes_supported: ["openid", "ALL"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
  };
}

/** Registers the `/oauth2/*` and discovery routes and the Bearer validator. */
export function installAuthorizationServer(app: EmulatorApp, server: OAuth2Server): void {
  const endpoints: [string, "GET" | "POST", (ctx: Ctx) => unknown][] = [
    ["authorize", "GET", (ctx) => authorize(server, ctx)],
    ["token", "POST", (ctx) => token(server, ctx)],
    ["jwks", "GET", (ctx) => ctx.json(200, { keys: [] })],
  ];
  for (const [name, method, handle] of endpoints) {
    app.route(
      "*",
      `/oauth2/${name}`,
      (ctx) => {
        if (!server.settings.trailingSlashRedirect) return handle(ctx);
        server.stats.slashRedirects++;
        // What DHIS2 sends: 301 to the same path with a trailing slash, query kept.
        return ctx.redirect(`${ctx.rawPath}/${ctx.url.search}`, 301);
      },
      { auth: false },
    );
    app.route(method, `/oauth2/${name}/`, handle, { auth: false });
  }
  app.get("/.well-known/openid-configuration", discovery, { auth: false });
  app.get("/.well-known/oauth-authorization-server", discovery, { auth: false });

  app.auth.addBearerValidator((value, ctx) => {
    const userId = server.userIdForAccessToken(value);
    const user = userId ? ctx.state.users.byId(userId) : undefined;
    return user && !user.disabled ? user : undefined;
  });
}
