import { createHash, randomBytes } from "node:crypto";
import {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  fixedClock,
  startEmulator,
} from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_OAUTH2_CLIENT } from "../src/oauth2/index.js";

const { clientId, clientSecret } = DEMO_OAUTH2_CLIENT;
const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
const form = { "Content-Type": "application/x-www-form-urlencoded" };

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** An in-process emulator (reached through `emu.fetch`, see {@link http}). */
async function start(opts: EmulatorOptions = {}): Promise<Emulator> {
  emu = await createEmulator({ seed: "empty", ...opts });
  return emu;
}

/** The current test's `emu.fetch`. */
function http(input: string | URL, init?: RequestInit): Promise<Response> {
  if (!emu) throw new Error("start() the emulator first");
  return emu.fetch(input, init);
}

/** POSTs to the token endpoint the way a correct client does: straight to the slash URL. */
async function token(url: string, body: Record<string, string>, auth = basic) {
  const res = await http(`${url}/oauth2/token/`, {
    method: "POST",
    headers: { ...form, Authorization: auth },
    body: new URLSearchParams(body).toString(),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string | number> };
}

/** Plays the browser: GET /oauth2/authorize (following the 301 by hand), returns the final redirect. */
async function authorize(url: string, params: Record<string, string>): Promise<URL> {
  let next = `${url}/oauth2/authorize?${new URLSearchParams(params)}`;
  for (let i = 0; i < 3; i++) {
    const res = await http(next, { redirect: "manual" });
    const location = res.headers.get("location");
    if (!location) throw new Error(`authorize answered ${res.status} without Location`);
    const target = new URL(location, next);
    if (target.origin !== new URL(url).origin || !target.pathname.startsWith("/oauth2/")) return target;
    next = target.href;
  }
  throw new Error("too many redirects");
}

function pkce() {
  const verifier = randomBytes(48).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

describe("emulator OAuth2 authorization server", () => {
  it("publishes the discovery document with DHIS2's endpoints", async () => {
    const { url } = await start();
    const doc = (await (await http(`${url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(doc.token_endpoint).toBe(`${url}/oauth2/token`);
    expect(doc.authorization_endpoint).toBe(`${url}/oauth2/authorize`);
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("quirk: answers /oauth2/token with a 301 to /oauth2/token/, so a naive POST that follows it fails", async () => {
    // Over HTTP with the runtime's fetch: how a real client follows the 301 is the point.
    await using e = await startEmulator({ seed: "empty" });
    const body = new URLSearchParams({ grant_type: "client_credentials", scope: "ALL" }).toString();
    const manual = await fetch(`${e.url}/oauth2/token`, {
      method: "POST",
      headers: { ...form, Authorization: basic },
      body,
      redirect: "manual",
    });
    expect(manual.status).toBe(301);
    expect(manual.headers.get("location")).toBe("/oauth2/token/");
    // fetch turns a POST into a body-less GET on 301: the token endpoint never sees the grant.
    const followed = await fetch(`${e.url}/oauth2/token`, {
      method: "POST",
      headers: { ...form, Authorization: basic },
      body,
    });
    expect(followed.ok).toBe(false);
    expect(e.app.extensions.oauth2!.stats.clientCredentialsGrants).toBe(0);
    const direct = await fetch(`${e.url}/oauth2/token/`, {
      method: "POST",
      headers: { ...form, Authorization: basic },
      body,
    });
    expect(direct.status).toBe(200);
  });

  it("issues client-credentials tokens that /api/me accepts as Bearer", async () => {
    const { url, app } = await start();
    const { status, json } = await token(url, { grant_type: "client_credentials", scope: "ALL" });
    expect(status).toBe(200);
    expect(json.refresh_token).toBeUndefined();
    const me = await http(`${url}/api/me`, { headers: { Authorization: `Bearer ${json.access_token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe("admin");
    expect(app.extensions.oauth2!.stats.clientCredentialsGrants).toBe(1);
    const bogus = await http(`${url}/api/me`, { headers: { Authorization: "Bearer nope" } });
    expect(bogus.status).toBe(401);
  });

  it("runs authorization code + PKCE, then rotates refresh tokens (the old one stops working)", async () => {
    const { url, app } = await start();
    const { verifier, challenge } = pkce();
    const redirectUri = "http://127.0.0.1:51234/callback"; // any port on loopback (RFC 8252)
    const back = await authorize(url, {
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: "ALL",
      state: "s1",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get("state")).toBe("s1");
    const code = back.searchParams.get("code")!;

    const wrong = await token(url, {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: "x".repeat(50),
    });
    expect(wrong.json.error).toBe("invalid_grant"); // and the code is burnt
    const again = await authorize(url, {
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      state: "s2",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const first = await token(url, {
      grant_type: "authorization_code",
      code: again.searchParams.get("code")!,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(first.status).toBe(200);
    const rt1 = String(first.json.refresh_token);

    const second = await token(url, { grant_type: "refresh_token", refresh_token: rt1 });
    expect(second.status).toBe(200);
    expect(second.json.refresh_token).not.toBe(rt1);
    const replay = await token(url, { grant_type: "refresh_token", refresh_token: rt1 });
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe("invalid_grant");
    expect(app.extensions.oauth2!.stats.refreshTokenGrants).toBe(1);
  });

  it("answers error=access_denied in deny mode and rejects unregistered redirect URIs without redirecting", async () => {
    const { url, app } = await start();
    app.extensions.oauth2!.configure({ consent: "deny" });
    const { challenge } = pkce();
    const params = {
      response_type: "code",
      client_id: clientId,
      state: "st",
      code_challenge: challenge,
      code_challenge_method: "S256",
    };
    const back = await authorize(url, { ...params, redirect_uri: "http://127.0.0.1:8765/callback" });
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe("st");
    const evil = await http(
      `${url}/oauth2/authorize/?${new URLSearchParams({ ...params, redirect_uri: "http://evil.example/cb" })}`,
      { redirect: "manual" },
    );
    expect(evil.status).toBe(400);
    expect(evil.headers.get("location")).toBeNull();
  });

  it("expires access tokens on the emulator's clock", async () => {
    const clock = fixedClock(Date.parse("2025-01-01T00:00:00Z"));
    const { url, app } = await start({ clock });
    app.extensions.oauth2!.configure({ accessTokenTtlMs: 60_000 });
    const { json } = await token(url, { grant_type: "client_credentials" });
    expect(json.expires_in).toBe(60);
    const auth = { Authorization: `Bearer ${json.access_token}` };
    expect((await http(`${url}/api/me`, { headers: auth })).status).toBe(200);
    clock.advance(61_000);
    expect((await http(`${url}/api/me`, { headers: auth })).status).toBe(401);
  });

  it("rejects a wrong client secret with invalid_client", async () => {
    const { url } = await start();
    const { status, json } = await token(
      url,
      { grant_type: "client_credentials" },
      `Basic ${Buffer.from(`${clientId}:wrong`).toString("base64")}`,
    );
    expect(status).toBe(401);
    expect(json.error).toBe("invalid_client");
  });
});

describe("emulator /api/oAuth2Clients", () => {
  const admin = {
    Authorization: `Basic ${Buffer.from("admin:district").toString("base64")}`,
    "Content-Type": "application/json",
  };

  it("quirk: v41 registers clients with `cid` and list arrays", async () => {
    const { url } = await start({ version: "v41" });
    const res = await http(`${url}/api/oAuth2Clients`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({
        name: "cli",
        cid: "cli41",
        secret: "s3cret-41",
        grantTypes: ["client_credentials"],
        redirectUris: [],
      }),
    });
    expect(res.status).toBe(201);
    const list = (await (await http(`${url}/api/oAuth2Clients`, { headers: admin })).json()) as {
      oAuth2Clients: Record<string, unknown>[];
    };
    const mine = list.oAuth2Clients.find((c) => c.cid === "cli41");
    expect(mine).toMatchObject({ cid: "cli41", grantTypes: ["client_credentials"] });
    expect(JSON.stringify(list)).not.toContain("s3cret-41");
    const t = await token(
      url,
      { grant_type: "client_credentials" },
      `Basic ${Buffer.from("cli41:s3cret-41").toString("base64")}`,
    );
    expect(t.status).toBe(200);
  });

  it("quirk: v42 registers clients with `clientId` and comma-separated strings, and says so when given `cid`", async () => {
    const { url } = await start({ version: "v42" });
    const old = await http(`${url}/api/oAuth2Clients`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ name: "x", cid: "x" }),
    });
    expect(old.status).toBe(409);
    expect(((await old.json()) as { message: string }).message).toContain("clientId");
    const res = await http(`${url}/api/oAuth2Clients`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({
        name: "svc",
        clientId: "svc42",
        clientSecret: "s3cret-42",
        authorizationGrantTypes: "client_credentials,refresh_token",
        redirectUris: "http://127.0.0.1:9000/cb",
        scopes: "ALL",
      }),
    });
    expect(res.status).toBe(201);
    const uid = ((await res.json()) as { response: { uid: string } }).response.uid;
    const one = (await (await http(`${url}/api/oAuth2Clients/${uid}`, { headers: admin })).json()) as Record<
      string,
      unknown
    >;
    expect(one).toMatchObject({
      clientId: "svc42",
      authorizationGrantTypes: "client_credentials,refresh_token",
    });
    const t = await token(
      url,
      { grant_type: "client_credentials" },
      `Basic ${Buffer.from("svc42:s3cret-42").toString("base64")}`,
    );
    expect(t.status).toBe(200);
  });
});
