/**
 * Trust: "OAuth2: abort during a shared in-process refresh." Abort and `timeoutMs` must hold
 * while a request waits on a refresh (another request's, or another process's lock); one caller
 * giving up must never cancel the refresh the others wait for. Against the emulator's OAuth2
 * server, with its fault injection slowing the token endpoint down.
 */
import {
  Dhis2Client,
  Dhis2TimeoutError,
  MemoryTokenStore,
  OAuth2Auth,
  type OAuth2Token,
  requestToken,
  tokenUrlFor,
} from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

// The emulator's pre-registered demo client (packages/emulator/src/oauth2/server.ts).
const clientId = "dhis2w-demo";
const clientSecret = "dhis2w-demo-secret";

let emu: RunningEmulator;
const oauth2 = () => emu.app.extensions.oauth2!;

beforeAll(async () => {
  emu = await startEmulator({ seed: "empty", port: 0 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.faults.clear();
  oauth2().resetStats();
});

/** A service-account token (client credentials), and an auth whose clock can jump past its expiry. */
async function serviceAuth(extra: Partial<ConstructorParameters<typeof OAuth2Auth>[0]> = {}) {
  const endpoint = { tokenUrl: tokenUrlFor(emu.url), clientId, clientSecret };
  const token = await requestToken(endpoint, "client_credentials", { scope: "ALL" });
  let clock = Date.now();
  const auth = new OAuth2Auth({ token, ...endpoint, clientCredentials: true, now: () => clock, ...extra });
  oauth2().resetStats();
  const expire = () => {
    clock = token.expiresAt + 1;
  };
  return { auth, token, expire };
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe("OAuth2: abort during a shared in-process refresh", () => {
  it("one caller's abort fails only that caller; the others get their answer from the one refresh", async () => {
    const { auth, expire } = await serviceAuth();
    const client = new Dhis2Client({ baseUrl: emu.url, auth });
    expire();
    emu.faults.add({ path: "/oauth2/token*", delayMs: 300 });
    const quitter = new AbortController();
    const a = settle(client.getRaw("/api/me", { signal: quitter.signal }));
    const b = settle(client.getRaw("/api/me"));
    const c = settle(client.getRaw("/api/system/id"));
    setTimeout(() => quitter.abort(new Error("caller A gave up")), 30);
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    expect(ra).toMatchObject({ ok: false, error: { message: "caller A gave up" } });
    expect(rb).toMatchObject({ ok: true, value: { username: "admin" } });
    expect(rc).toMatchObject({ ok: true, value: { codes: [expect.any(String)] } });
    expect(oauth2().stats.clientCredentialsGrants).toBe(1);
    await client.close();
  });

  it("a caller's own timeoutMs ends its wait; the refresh goes on and the next request uses its token", async () => {
    const { auth, token, expire } = await serviceAuth();
    const impatient = new Dhis2Client({ baseUrl: emu.url, auth, timeoutMs: 100 });
    expire();
    emu.faults.add({ path: "/oauth2/token*", delayMs: 400 });
    const err = await impatient.getRaw("/api/me").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Dhis2TimeoutError);
    expect((err as Error).message).toMatch(/timed out after 100 ms waiting for the auth provider/);
    // The refresh was not cancelled with the request: it finishes, and nobody refreshes again.
    await expect.poll(() => auth.token.accessToken !== token.accessToken, { timeout: 5_000 }).toBe(true);
    const patient = new Dhis2Client({ baseUrl: emu.url, auth });
    await expect(patient.getRaw("/api/me")).resolves.toMatchObject({ username: "admin" });
    expect(oauth2().stats.clientCredentialsGrants).toBe(1);
    await impatient.close();
    await patient.close();
  });

  it("the refresh after a 401 is within timeoutMs too, and goes on for the next request", async () => {
    const { auth, token } = await serviceAuth();
    const client = new Dhis2Client({ baseUrl: emu.url, auth, timeoutMs: 200 });
    emu.faults.add({ path: "/api/me", status: 401 });
    emu.faults.add({ path: "/oauth2/token*", delayMs: 600 });
    const err = await client.getRaw("/api/me").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Dhis2TimeoutError);
    expect(err).toMatchObject({ waitingFor: expect.stringMatching(/auth provider/), maybeDelivered: false });
    await expect.poll(() => auth.token.accessToken !== token.accessToken, { timeout: 5_000 }).toBe(true);
    await expect(client.getRaw("/api/me")).resolves.toMatchObject({ username: "admin" });
    expect(oauth2().stats.clientCredentialsGrants).toBe(1);
    await client.close();
  });

  it("timeoutMs covers the wait for another holder's refresh lock, and abort ends it at once", async () => {
    const store = new MemoryTokenStore();
    const { auth, token, expire } = await serviceAuth({ tokenStore: store, tokenKey: "svc" });
    await store.set("svc", token);
    // Another instance (or process) holds the refresh lock and has not finished.
    let release: (t: OAuth2Token) => void = () => {};
    const holder = store.refreshLocked(
      "svc",
      () =>
        new Promise<OAuth2Token>((r) => {
          release = r;
        }),
    );
    expire();
    const client = new Dhis2Client({ baseUrl: emu.url, auth, timeoutMs: 200 });
    const timedOut = await client.getRaw("/api/me").catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(Dhis2TimeoutError);
    const quitter = new AbortController();
    const aborted = settle(client.getRaw("/api/me", { signal: quitter.signal }));
    quitter.abort(new Error("user pressed Ctrl-C"));
    expect(await aborted).toMatchObject({ ok: false, error: { message: "user pressed Ctrl-C" } });
    // The holder finishes: the waiting refresh takes its token instead of asking the server.
    const fresh = await requestToken(
      { tokenUrl: tokenUrlFor(emu.url), clientId, clientSecret },
      "client_credentials",
      { scope: "ALL" },
    );
    // (It lives well past the jumped clock of `auth`, so the waiting refresh keeps it.)
    release({ ...fresh, expiresAt: fresh.expiresAt + 3_600_000 });
    await holder;
    await expect(client.getRaw("/api/me")).resolves.toMatchObject({ username: "admin" });
    expect(auth.token.accessToken).toBe(fresh.accessToken);
    await client.close();
  }, 10_000);

  it("when every waiter gave up while the lock was held elsewhere, nothing is refreshed behind their back", async () => {
    const store = new MemoryTokenStore();
    const { auth, token, expire } = await serviceAuth({ tokenStore: store, tokenKey: "svc" });
    let release: (t: OAuth2Token) => void = () => {};
    const holder = store.refreshLocked(
      "svc",
      () =>
        new Promise<OAuth2Token>((r) => {
          release = r;
        }),
    );
    expire();
    const client = new Dhis2Client({ baseUrl: emu.url, auth, timeoutMs: 150 });
    await expect(client.getRaw("/api/me")).rejects.toBeInstanceOf(Dhis2TimeoutError);
    // The holder ends with a token that is itself expired: a refresh still queued would grant now.
    release({ ...token, expiresAt: 0 });
    await holder;
    // Taking the lock once more waits for everything queued before it (the abandoned refresh too).
    await store.refreshLocked("svc", async (stored) => stored!);
    expect(oauth2().stats.tokenRequests).toBe(0);
    await client.close();
  });
});
