import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { MemoryTokenStore, OAuth2FlowError, type Profile } from "@dhis2w/client";
import {
  createPat,
  loginProfile,
  loginWithPkce,
  type OpenBrowser,
  openClient,
  tokenStoreForScope,
} from "@dhis2w/core";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { visitAuthorizeUrl } from "./support/oauth2-browser.js";

// The emulator's pre-registered demo client; it accepts loopback redirect URIs on any port.
const clientId = "dhis2w-demo";
const clientSecret = "dhis2w-demo-secret";
const redirectUri = "http://127.0.0.1:0/callback"; // port 0: the receiver takes a free port

let emu: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ seed: "empty", port: 0 });
});
afterAll(() => emu.close());
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "d2w-login-"));
  emu.app.extensions.oauth2!.configure({ consent: "auto" });
  emu.app.extensions.oauth2!.resetStats();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The test plays the browser: follows DHIS2's redirects by hand until it reaches the loopback receiver, then calls it. */
function browser(
  tamper?: (callback: URL) => void,
): OpenBrowser & { pages: { status: number; html: string }[] } {
  const pages: { status: number; html: string }[] = [];
  const open = async (start: string) => {
    const res = await visitAuthorizeUrl(start, emu.url, tamper);
    pages.push({ status: res.status, html: await res.text() });
  };
  return Object.assign(open, { pages });
}

const profile: Profile = { baseUrl: "", auth: "oauth2", clientId, clientSecret, scope: "ALL", redirectUri };

describe("OAuth2 login flows", () => {
  it("runs the full PKCE login against the emulator and opens a client with the stored token", async () => {
    const open = browser();
    const p = { ...profile, baseUrl: emu.url };
    const result = await loginProfile("local-oidc", {
      profile: p,
      scope: "project",
      start: dir,
      openBrowser: open,
    });
    expect(result).toMatchObject({
      profileName: "local-oidc",
      grant: "authorization_code",
      hasRefreshToken: true,
    });
    expect(open.pages).toEqual([{ status: 200, html: expect.stringContaining("Logged in") }]);
    expect(emu.app.extensions.oauth2!.stats.authorizationCodeGrants).toBe(1);

    const stored = await tokenStoreForScope("project", { start: dir }).get("local-oidc");
    expect(stored?.refreshToken).toBeTruthy();
    await using client = await openClient(p, { profileName: "local-oidc", scope: "project", start: dir });
    expect((await client.system.me()).username).toBe("admin");
  });

  it("fails on a state mismatch, tells the browser, and never exchanges the code", async () => {
    const open = browser((cb) => cb.searchParams.set("state", "forged"));
    const error = await loginWithPkce({
      baseUrl: emu.url,
      clientId,
      clientSecret,
      redirectUri,
      openBrowser: open,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2FlowError);
    expect((error as OAuth2FlowError).code).toBe("state_mismatch");
    expect(open.pages[0]).toMatchObject({
      status: 400,
      html: expect.stringContaining("state did not match"),
    });
    expect(emu.app.extensions.oauth2!.stats.tokenRequests).toBe(0);
  });

  it("fails clearly when consent is denied", async () => {
    emu.app.extensions.oauth2!.configure({ consent: "deny" });
    const open = browser();
    await expect(
      loginWithPkce({ baseUrl: emu.url, clientId, clientSecret, redirectUri, openBrowser: open }),
    ).rejects.toMatchObject({
      code: "access_denied",
      message: expect.stringContaining("consent was denied"),
    });
    expect(open.pages[0]?.status).toBe(400);
  });

  it("fails when the redirect carries no code, and ignores stray requests such as /favicon.ico", async () => {
    const open: OpenBrowser = async (url) => {
      const back = new URL(new URL(url).searchParams.get("redirect_uri")!);
      expect((await fetch(new URL("/favicon.ico", back))).status).toBe(404);
      back.searchParams.set("state", new URL(url).searchParams.get("state")!);
      await fetch(back);
    };
    await expect(
      loginWithPkce({ baseUrl: emu.url, clientId, clientSecret, redirectUri, openBrowser: open }),
    ).rejects.toMatchObject({
      code: "missing_code",
    });
  });

  it("times out when the browser never comes back", async () => {
    await expect(
      loginWithPkce({
        baseUrl: emu.url,
        clientId,
        clientSecret,
        redirectUri,
        openBrowser: () => undefined,
        timeoutMs: 100,
      }),
    ).rejects.toMatchObject({ code: "timeout" });
  });
});

describe("core openClient with OAuth2", () => {
  it("without a stored token, tells the user to run d2w profile login <name>", async () => {
    const p = { ...profile, baseUrl: emu.url, redirectUri: "http://127.0.0.1:8765/callback" };
    await expect(
      openClient(p, { profileName: "nobody", tokenStore: new MemoryTokenStore() }),
    ).rejects.toThrow("run `d2w profile login nobody`");
  });

  it("a client-credentials profile (no redirectUri) fetches its own token and stores it", async () => {
    const { redirectUri: _, ...p } = { ...profile, baseUrl: emu.url };
    const store = new MemoryTokenStore();
    await using client = await openClient(p, { profileName: "svc", tokenStore: store });
    expect((await client.system.me()).username).toBe("admin");
    expect(emu.app.extensions.oauth2!.stats.clientCredentialsGrants).toBe(1);
    expect(await store.get("svc")).toBeTruthy();
  });

  it("a refresh that gets invalid_grant surfaces as OAuth2FlowError without secrets", async () => {
    const store = new MemoryTokenStore();
    await store.set("dead", {
      accessToken: "at-dead-123456",
      refreshToken: "rt-dead-123456",
      expiresAt: Date.now() - 1,
    });
    const p = { ...profile, baseUrl: emu.url, redirectUri: "http://127.0.0.1:8765/callback" };
    const error = await openClient(p, { profileName: "dead", tokenStore: store }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2FlowError);
    expect(String(error)).toContain("d2w profile login dead");
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 5 })]) {
      for (const secret of ["at-dead-123456", "rt-dead-123456", clientSecret])
        expect(text).not.toContain(secret);
    }
  });
});

describe("createPat", () => {
  // Through an injected fetch: the emulator's metadata module currently shadows its own
  // POST /api/apiToken route (reported to the lead), so the wire format is asserted here.
  it("quirk: POSTs a PAT V2 request to /api/apiToken and returns the key shown once", async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fakeFetch = async (url: string, init?: RequestInit) => {
      seen.push({ url, init: init! });
      return Response.json(
        { httpStatus: "Created", response: { uid: "Tok12345678", key: "d2p_secretkey" } },
        { status: 201 },
      );
    };
    const out = await createPat({
      url: "http://dhis2.invalid/",
      adminUser: "admin",
      adminPassword: "district",
      description: "ci",
      expiresAt: 1_900_000_000_000,
      fetch: fakeFetch,
    });
    expect(out).toEqual({ key: "d2p_secretkey", id: "Tok12345678", expiresAt: 1_900_000_000_000 });
    expect(seen[0]!.url).toBe("http://dhis2.invalid/api/apiToken");
    expect(seen[0]!.init.method).toBe("POST");
    expect(JSON.parse(String(seen[0]!.init.body))).toEqual({
      type: "PERSONAL_ACCESS_TOKEN_V2",
      expire: 1_900_000_000_000,
      description: "ci",
    });
    expect((seen[0]!.init.headers as Record<string, string>).Authorization).toBe(
      `Basic ${Buffer.from("admin:district").toString("base64")}`,
    );

    await createPat({ url: "http://dhis2.invalid", adminPat: "d2p_admin", fetch: fakeFetch });
    expect((seen[1]!.init.headers as Record<string, string>).Authorization).toBe("ApiToken d2p_admin");
  });

  it("reports a refused request by status, without echoing credentials", async () => {
    const denied = async () =>
      Response.json({ httpStatus: "Unauthorized", message: "Unauthorized" }, { status: 401 });
    const error = await createPat({
      url: emu.url,
      adminUser: "admin",
      adminPassword: "pw-secret-1",
      fetch: denied,
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/answered 401: Unauthorized/);
    expect(String(error)).not.toContain("pw-secret-1");
    await expect(createPat({ url: emu.url, adminUser: "admin" })).rejects.toThrow(
      "adminPat, or adminUser with adminPassword",
    );
  });
});
