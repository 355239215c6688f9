import { inspect } from "node:util";
import {
  authorizeUrl,
  createPkcePair,
  MemoryTokenStore,
  OAuth2Auth,
  OAuth2FlowError,
  type OAuth2Token,
  requestToken,
  type TokenStore,
} from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

// The emulator's pre-registered demo client (packages/emulator/src/oauth2/server.ts).
const clientId = "dhis2w-demo";
const clientSecret = "dhis2w-demo-secret";
const redirectUri = "http://127.0.0.1:8765/callback";

let emu: RunningEmulator;
const stats = () => emu.app.extensions.oauth2!.stats;

beforeAll(async () => {
  emu = await startEmulator({ seed: "empty", port: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.app.extensions.oauth2!.resetStats());

/** A fresh access + refresh token from the emulator (the test plays the browser). */
async function login(): Promise<OAuth2Token> {
  const pkce = await createPkcePair();
  const url = authorizeUrl({
    baseUrl: emu.url,
    clientId,
    redirectUri,
    state: "st",
    codeChallenge: pkce.challenge,
  });
  let res = await fetch(url, { redirect: "manual" }); // 301 to /oauth2/authorize/
  res = await fetch(new URL(res.headers.get("location")!, url), { redirect: "manual" });
  const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
  return requestToken({ tokenUrl: `${emu.url}/oauth2/token`, clientId, clientSecret }, "authorization_code", {
    code,
    redirect_uri: redirectUri,
    code_verifier: pkce.verifier,
  });
}

function expired(t: OAuth2Token): OAuth2Token {
  return { ...t, expiresAt: Date.now() - 1_000 };
}

function auth(
  token: OAuth2Token,
  extra: Partial<ConstructorParameters<typeof OAuth2Auth>[0]> = {},
): OAuth2Auth {
  // tokenUrl without the slash on purpose: DHIS2 (and the emulator) answer it with a 301.
  return new OAuth2Auth({ token, tokenUrl: `${emu.url}/oauth2/token`, clientId, clientSecret, ...extra });
}

async function me(headers: Record<string, string>): Promise<number> {
  return (await fetch(`${emu.url}/api/me`, { headers })).status;
}

function assertNoSecrets(error: unknown, secrets: (string | undefined)[]): void {
  const texts = [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 5 }),
    (error as Error).message,
  ];
  for (const s of secrets.filter(Boolean) as string[]) for (const t of texts) expect(t).not.toContain(s);
}

describe("OAuth2Auth", () => {
  it("sends the access token as Bearer while it is fresh, without calling the token endpoint", async () => {
    const token = await login();
    emu.app.extensions.oauth2!.resetStats();
    const a = auth(token);
    const headers = await a.headers();
    expect(headers.Authorization).toBe(`Bearer ${token.accessToken}`);
    expect(await me(headers)).toBe(200);
    expect(stats().tokenRequests).toBe(0);
    expect(a.secrets()).toEqual([token.accessToken, token.refreshToken, clientSecret]);
  });

  it("quirk: refreshes within 30 s of expiry through DHIS2's 301 on /oauth2/token, keeping body and credentials", async () => {
    const token = await login();
    emu.app.extensions.oauth2!.resetStats();
    const a = auth({ ...token, expiresAt: Date.now() + 20_000 });
    const headers = await a.headers();
    expect(headers.Authorization).not.toBe(`Bearer ${token.accessToken}`);
    expect(await me(headers)).toBe(200);
    expect(stats()).toMatchObject({ slashRedirects: 1, refreshTokenGrants: 1, failedTokenRequests: 0 });
  });

  it("shares one refresh between concurrent requests and writes the rotated pair to the store", async () => {
    const token = await login();
    emu.app.extensions.oauth2!.resetStats();
    const store = new MemoryTokenStore();
    await store.set("p", expired(token));
    const a = auth(expired(token), { tokenStore: store, tokenKey: "p" });
    const all = await Promise.all(Array.from({ length: 8 }, () => a.headers()));
    expect(new Set(all.map((h) => h.Authorization)).size).toBe(1);
    expect(stats().refreshTokenGrants).toBe(1);
    const stored = (await store.get("p"))!;
    expect(stored.accessToken).toBe(a.token.accessToken);
    expect(stored.refreshToken).not.toBe(token.refreshToken); // rotated
  });

  it("refreshes once after a 401 (onUnauthorized) and asks for a replay", async () => {
    const token = await login();
    emu.app.extensions.oauth2!.resetStats();
    const a = auth({ ...token, accessToken: "revoked-by-server" });
    expect(await me(await a.headers())).toBe(401);
    expect(await a.onUnauthorized()).toBe(true);
    expect(await me(await a.headers())).toBe(200);
    expect(stats().refreshTokenGrants).toBe(1);
  });

  it("quirk: turns invalid_grant into an OAuth2FlowError that says to log in again, with no secret in it", async () => {
    const token = await login();
    // Use the refresh token once (rotation), so the copy we hand OAuth2Auth is dead.
    await requestToken({ tokenUrl: `${emu.url}/oauth2/token/`, clientId, clientSecret }, "refresh_token", {
      refresh_token: token.refreshToken,
    });
    const a = auth(expired(token), { profileName: "my-oauth" });
    const error = await a.headers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2FlowError);
    expect((error as OAuth2FlowError).code).toBe("invalid_grant");
    expect((error as Error).message).toContain("d2w profile login my-oauth");
    assertNoSecrets(error, [token.accessToken, token.refreshToken, clientSecret]);
  });

  it("never loses a rotated refresh token when saving it fails: keeps it and saves it on the next request", async () => {
    const token = await login();
    emu.app.extensions.oauth2!.resetStats();
    const inner = new MemoryTokenStore();
    await inner.set("p", expired(token));
    let failNextSet = true;
    const flaky: TokenStore = {
      get: (k) => inner.get(k),
      async set(k, t) {
        if (failNextSet) {
          failNextSet = false;
          throw new Error("disk full");
        }
        await inner.set(k, t);
      },
    };
    const a = auth(expired(token), { tokenStore: flaky, tokenKey: "p" });
    const error = await a.headers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2FlowError);
    expect((error as OAuth2FlowError).code).toBe("token_store");
    assertNoSecrets(error, [token.refreshToken, a.token.refreshToken, a.token.accessToken, clientSecret]);
    expect((await inner.get("p"))!.refreshToken).toBe(token.refreshToken); // old pair untouched

    const headers = await a.headers();
    expect(await me(headers)).toBe(200);
    expect((await inner.get("p"))!.accessToken).toBe(a.token.accessToken);
    expect(stats().refreshTokenGrants).toBe(1); // the new refresh token was kept, not re-fetched
  });

  it("renews a client-credentials token (no refresh token) with the client-credentials grant", async () => {
    const cc = await requestToken(
      { tokenUrl: `${emu.url}/oauth2/token`, clientId, clientSecret },
      "client_credentials",
      {
        scope: "ALL",
      },
    );
    expect(cc.refreshToken).toBeUndefined();
    emu.app.extensions.oauth2!.resetStats();
    const a = auth(expired(cc), { clientCredentials: true });
    expect(await me(await a.headers())).toBe(200);
    expect(stats().clientCredentialsGrants).toBe(1);

    const b = auth(expired(cc), { tokenKey: "svc" });
    await expect(b.headers()).rejects.toMatchObject({
      code: "no_refresh_token",
      message: expect.stringContaining("d2w profile login svc"),
    });
  });

  it("refuses to follow a token-endpoint redirect to another host", async () => {
    const seen: string[] = [];
    const fakeFetch = async (input: string) => {
      seen.push(input);
      return new Response(null, {
        status: 301,
        headers: { Location: "http://attacker.invalid/oauth2/token/" },
      });
    };
    const a = new OAuth2Auth({
      token: { accessToken: "a", refreshToken: "refresh-secret", expiresAt: 0 },
      tokenUrl: "http://dhis2.invalid/oauth2/token",
      clientId,
      clientSecret,
      fetch: fakeFetch,
    });
    await expect(a.headers()).rejects.toMatchObject({
      code: "token_endpoint",
      message: expect.stringContaining("another host"),
    });
    expect(seen).toEqual(["http://dhis2.invalid/oauth2/token"]);
  });

  it("quirk: explains an HTML 401 from a misconfigured token endpoint", async () => {
    const fakeFetch = async () =>
      new Response("<html><body>401</body></html>", {
        status: 401,
        headers: { "Content-Type": "text/html" },
      });
    const a = new OAuth2Auth({
      token: { accessToken: "a", refreshToken: "refresh-secret", expiresAt: 0 },
      tokenUrl: "http://dhis2.invalid/oauth2/token",
      clientId,
      clientSecret,
      fetch: fakeFetch,
    });
    const error = await a.headers().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/401 \(text\/html\).*\/oauth2\/token/);
    assertNoSecrets(error, ["refresh-secret", clientSecret]);
  });
});
