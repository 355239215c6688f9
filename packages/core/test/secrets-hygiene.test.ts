/**
 * Secret hygiene: no password, PAT, OAuth2 client secret, access token or refresh token ever
 * shows up in what a user or a log collector can see. Every secret here is a unique random
 * sentinel (or a real PAT / token the emulator minted), every failure path we know is driven
 * through the real HTTP stack against the emulator, and everything observable is swept: error
 * message, stack, String(), JSON, util.inspect, own properties and the whole cause chain; the
 * onRequest/onResponse trace events; what the login flow shows the user (injected openBrowser);
 * profile service results; malformed profile files holding a token. The sentinels are written to
 * a file under the OS temp dir so `scripts/scan-secrets.ts` can grep the saved test output too.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  BasicAuth,
  Dhis2Client,
  type Dhis2ClientOptions,
  OAuth2Auth,
  type OAuth2Token,
  openClient as openClientDirect,
  PatAuth,
  profileFromEnvRaw,
  type TokenStore,
  tokenUrlFor,
} from "@dhis2w/client";
import {
  addProfile,
  createPat,
  listProfiles,
  loginWithClientCredentials,
  loginWithPkce,
  openClient,
  resolveProfile,
  showProfile,
  tokenStoreForScope,
  verifyProfile,
} from "@dhis2w/core";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visitAuthorizeUrl } from "./support/oauth2-browser.js";
import { SecretSweep } from "./support/secret-sweep.js";

const sweep = new SecretSweep();
// Secrets that are valid on the emulator.
const PASSWORD = sweep.secret("user password", "Pw");
const CLIENT_SECRET = sweep.secret("client secret", "Cs");
// Secrets that are wrong (a wrong credential is still a credential).
const WRONG_PASSWORD = sweep.secret("wrong password", "Wp");
const BOGUS_PAT = sweep.secret("bogus PAT", "d2p_");
const BOGUS_ACCESS = sweep.secret("bogus access token", "At");
const BOGUS_REFRESH = sweep.secret("bogus refresh token", "Rt");
const WRONG_CLIENT_SECRET = sweep.secret("wrong client secret", "Wc");
// Secrets in query parameters.
const QP = {
  password: sweep.secret("query password", "Qp"),
  access_token: sweep.secret("query access_token", "Qa"),
  refresh_token: sweep.secret("query refresh_token", "Qr"),
  client_secret: sweep.secret("query client_secret", "Qc"),
  token: sweep.secret("query token", "Qt"),
};
const SECRET_QUERY = `password=${QP.password}&access_token=${QP.access_token}&refresh_token=${QP.refresh_token}&client_secret=${QP.client_secret}&token=${QP.token}`;
const USER = "sweeper";
const CLIENT_ID = "sweep-client";
sweep.registerBasic("user password", USER, PASSWORD);
sweep.registerBasic("wrong password", USER, WRONG_PASSWORD);
sweep.registerBasic("client secret", CLIENT_ID, CLIENT_SECRET);
sweep.registerBasic("wrong client secret", CLIENT_ID, WRONG_CLIENT_SECRET);

let emu: RunningEmulator;
let dir: string;
let pat: string;
let pkceToken: OAuth2Token;
/** A closed port: connection refused. */
let deadUrl: string;

/** The test plays the browser; what it is shown (the authorize URL, the result page) is swept. */
function browser(tamper?: (callback: URL) => void) {
  return async (start: string) => {
    sweep.text("authorization URL shown to the user", start);
    const res = await visitAuthorizeUrl(start, emu.url, tamper);
    sweep.text("loopback page shown in the browser", await res.text());
  };
}

/** Client options that sweep every trace event. */
function traced(label: string): Pick<Dhis2ClientOptions, "onRequest" | "onResponse"> {
  return {
    onRequest: (e) => sweep.value(`${label} onRequest`, e),
    onResponse: (e) => sweep.value(`${label} onResponse`, e),
  };
}

function expectNoLeaks(): void {
  expect(sweep.observations).toBeGreaterThan(0);
  expect(sweep.leaks()).toEqual([]);
}

/** A fresh authorization-code + PKCE login as the sweeper; its tokens become sentinels. */
async function pkceLogin(label: string): Promise<OAuth2Token> {
  const token = await loginWithPkce({
    baseUrl: emu.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: "http://127.0.0.1:0/callback",
    openBrowser: browser(),
  });
  sweep.register(`${label} access token`, token.accessToken);
  sweep.register(`${label} refresh token`, token.refreshToken!);
  return token;
}

beforeAll(async () => {
  emu = await startEmulator({ seed: "empty", port: 0 });
  emu.state.users.add({
    username: USER,
    password: PASSWORD,
    authorities: ["ALL"],
    firstName: "Sweep",
    // An email, because the emulator answers a missing one as `null`, which the client's Me schema refuses.
    email: "sweeper@example.org",
  });
  emu.app.extensions.oauth2!.register({
    id: "sweepClnt01",
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: ["http://127.0.0.1:8765/callback"],
    grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
    serviceUsername: USER,
  });
  emu.app.extensions.oauth2!.configure({ consentUsername: USER });
  pat = (await createPat({ url: emu.url, adminUser: USER, adminPassword: PASSWORD })).key;
  sweep.register("minted PAT", pat);
  pkceToken = await pkceLogin("login");
  dir = mkdtempSync(path.join(tmpdir(), "d2w-secrets-"));
  const dead = await startEmulator({ seed: "empty", port: 0 });
  deadUrl = dead.url;
  await dead.close();
});

afterAll(async () => {
  sweep.writeSentinels();
  rmSync(dir, { recursive: true, force: true });
  await emu?.close();
});

describe("secret hygiene: client HTTP paths", () => {
  const oauth2 = (token: OAuth2Token, secret = CLIENT_SECRET) =>
    new OAuth2Auth({ token, tokenUrl: tokenUrlFor(emu.url), clientId: CLIENT_ID, clientSecret: secret });
  const auths = () => ({
    basic: new BasicAuth({ username: USER, password: PASSWORD }),
    pat: new PatAuth({ token: pat }),
    oauth2: oauth2({ ...pkceToken }),
  });

  it.each(["basic", "pat", "oauth2"] as const)("%s: errors, traces and the provider itself", async (kind) => {
    const auth = auths()[kind];
    sweep.value(`${kind} provider`, auth);
    await using client = await Dhis2Client.open({ baseUrl: emu.url, auth, timeoutMs: 200, ...traced(kind) });
    // A 404 on a URL with secret query parameters.
    const notFound = await sweep.failure(`${kind} 404`, () =>
      client.getRaw(`/api/dataElements/noSuchThing?${SECRET_QUERY}`),
    );
    expect(notFound).toMatchObject({ statusCode: 404 });
    // A server (or proxy) that echoes the credential and the query back in its error body.
    const [secret] = auth.secrets?.() ?? [];
    emu.faults.add({
      path: "/api/me",
      status: 400,
      contentType: "application/json",
      body: JSON.stringify({ status: "ERROR", message: `bad credential ${secret} for ${SECRET_QUERY}` }),
    });
    await sweep.failure(`${kind} echoing 400`, () => client.getRaw(`/api/me?${SECRET_QUERY}`));
    // A 401 from a proxy in front of DHIS2, twice (OAuth2 refreshes with its real refresh token and replays).
    emu.faults.clear();
    emu.faults.add({ path: "/api/me", status: 401, times: kind === "oauth2" ? 2 : 1 });
    const unauthorized = await sweep.failure(`${kind} 401`, () => client.system.me());
    expect(unauthorized).toMatchObject({ name: "AuthenticationError", authKind: kind });
    emu.faults.clear();
    // A timeout and a refused connection.
    emu.faults.add({ path: "/api/system/info", delayMs: 1_000 });
    const timedOut = await sweep.failure(`${kind} timeout`, () =>
      client.getRaw(`/api/system/info?${SECRET_QUERY}`),
    );
    expect(timedOut).toMatchObject({ name: "Dhis2TimeoutError" });
    emu.faults.clear();
    await sweep.failure(`${kind} connection refused`, () =>
      Dhis2Client.open({ baseUrl: `${deadUrl}/?${SECRET_QUERY}`, auth, ...traced(`${kind} dead`) }),
    );
    expectNoLeaks();
  });

  it("401 with wrong credentials of each kind, and a failed OAuth2 refresh", async () => {
    const wrong = {
      basic: new BasicAuth({ username: USER, password: WRONG_PASSWORD }),
      pat: new PatAuth({ token: BOGUS_PAT }),
      oauth2: oauth2({
        accessToken: BOGUS_ACCESS,
        refreshToken: BOGUS_REFRESH,
        expiresAt: Date.now() + 600_000,
      }),
      "oauth2 without refresh token": oauth2({ accessToken: BOGUS_ACCESS, expiresAt: Date.now() + 600_000 }),
    };
    for (const [kind, auth] of Object.entries(wrong)) {
      const err = await sweep.failure(`wrong ${kind}`, () =>
        Dhis2Client.open({ baseUrl: emu.url, auth, ...traced(`wrong ${kind}`) }),
      );
      expect(err).toBeInstanceOf(Error);
    }
    // A refresh token that was already used (the server rotates them): invalid_grant.
    const fresh = await pkceLogin("second login");
    const first = oauth2({ ...fresh, expiresAt: 0 });
    await first.headers();
    sweep.register("rotated access token", first.token.accessToken);
    sweep.register("rotated refresh token", first.token.refreshToken!);
    const spent = await sweep.failure("spent refresh token", () =>
      oauth2({ ...fresh, expiresAt: 0 }).headers(),
    );
    expect(spent).toMatchObject({ code: "invalid_grant" });
    expectNoLeaks();
  });

  it("validation errors of profiles and providers", async () => {
    await sweep.failure("openClient invalid profile", () =>
      openClientDirect({ baseUrl: `not a url ${BOGUS_PAT}`, auth: "pat", token: BOGUS_PAT }),
    );
    await sweep.failure(
      "BasicAuth bad username",
      () => new BasicAuth({ username: "a:b", password: WRONG_PASSWORD }),
    );
    await sweep.failure("profileFromEnvRaw bad URL", () =>
      profileFromEnvRaw({ DHIS2_URL: `ftp://x/${BOGUS_PAT}`, DHIS2_PAT: BOGUS_PAT }),
    );
    await sweep.failure("profileFromEnvRaw bad URL, basic", () =>
      profileFromEnvRaw({ DHIS2_URL: "nope", DHIS2_USERNAME: USER, DHIS2_PASSWORD: WRONG_PASSWORD }),
    );
    expectNoLeaks();
  });
});

describe("secret hygiene: OAuth2 flows and token stores", () => {
  it("invalid_client, state mismatch, denied consent, and core openClient with a wrong secret", async () => {
    const invalidClient = await sweep.failure("client credentials, wrong secret", () =>
      loginWithClientCredentials({
        baseUrl: emu.url,
        clientId: CLIENT_ID,
        clientSecret: WRONG_CLIENT_SECRET,
      }),
    );
    expect(invalidClient).toMatchObject({ code: "invalid_client" });
    const mismatch = await sweep.failure("state mismatch", () =>
      loginWithPkce({
        baseUrl: emu.url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: "http://127.0.0.1:0/callback",
        openBrowser: browser((cb) => cb.searchParams.set("state", "forged")),
      }),
    );
    expect(mismatch).toMatchObject({ code: "state_mismatch" });
    emu.app.extensions.oauth2!.configure({ consent: "deny" });
    try {
      await sweep.failure("access denied", () =>
        loginWithPkce({
          baseUrl: emu.url,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUri: "http://127.0.0.1:0/callback",
          openBrowser: browser(),
        }),
      );
    } finally {
      emu.app.extensions.oauth2!.configure({ consent: "auto" });
    }
    await sweep.failure("core openClient, wrong client secret", () =>
      openClient(
        { baseUrl: emu.url, auth: "oauth2", clientId: CLIENT_ID, clientSecret: WRONG_CLIENT_SECRET },
        { profileName: "svc", scope: "project", start: dir, ...traced("core oauth2") },
      ),
    );
    await sweep.failure("createPat, wrong password", () =>
      createPat({ url: emu.url, adminUser: USER, adminPassword: WRONG_PASSWORD }),
    );
    expectNoLeaks();
  });

  it("token store failures: a store that throws with the token in its message, an unwritable store", async () => {
    const leakyStore: TokenStore = {
      get: async () => undefined,
      set: async (_key, token) => {
        throw new Error(`disk full while saving ${JSON.stringify(token)}`);
      },
      delete: async () => {},
    } as TokenStore;
    const auth = new OAuth2Auth({
      token: { accessToken: BOGUS_ACCESS, expiresAt: 0 },
      tokenStore: leakyStore,
      tokenKey: "svc",
      tokenUrl: tokenUrlFor(emu.url),
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clientCredentials: true,
    });
    const err = await sweep.failure("leaky token store", () => auth.headers());
    expect(err).toMatchObject({ code: "token_store" });
    sweep.register("client-credentials access token", auth.token.accessToken);
    // A project "folder" that is a file: the SQLite store cannot be created.
    const notADir = path.join(dir, "not-a-dir");
    writeFileSync(notADir, "");
    const store = tokenStoreForScope("project", { start: notADir });
    await sweep.failure("unwritable token store", () =>
      store.set("svc", {
        accessToken: BOGUS_ACCESS,
        refreshToken: BOGUS_REFRESH,
        expiresAt: Date.now() + 1000,
      }),
    );
    expectNoLeaks();
  });
});

describe("secret hygiene: profiles", () => {
  it("list, show, verify and resolve never show a secret", async () => {
    const where = { start: path.join(dir, "proj"), globalDir: path.join(dir, "global"), env: {} };
    await addProfile("pat", { baseUrl: emu.url, auth: "pat", token: pat }, where);
    await addProfile("basic", { baseUrl: emu.url, auth: "basic", username: USER, password: PASSWORD }, where);
    await addProfile(
      "oauth",
      { baseUrl: emu.url, auth: "oauth2", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      where,
    );
    await addProfile("badpat", { baseUrl: emu.url, auth: "pat", token: BOGUS_PAT }, where);
    await addProfile(
      "badbasic",
      { baseUrl: emu.url, auth: "basic", username: USER, password: WRONG_PASSWORD },
      where,
    );
    await addProfile(
      "badoauth",
      { baseUrl: emu.url, auth: "oauth2", clientId: CLIENT_ID, clientSecret: WRONG_CLIENT_SECRET },
      where,
    );
    sweep.value("listProfiles", await listProfiles({ ...where, includeShadowed: true }));
    // Core's openClient, but with the token store in the temp folder.
    const opener = (p: Parameters<typeof openClient>[0], o: { profileName?: string }) =>
      openClient(p, { ...o, ...where, scope: "global", ...traced("verify") });
    for (const name of ["pat", "basic", "oauth", "badpat", "badbasic", "badoauth"]) {
      sweep.value(`showProfile ${name}`, await showProfile(name, where));
      const result = await verifyProfile(name, { ...where, openClient: opener });
      expect({ name, ok: result.ok, error: result.ok ? undefined : result.error }).toMatchObject({
        name,
        ok: !name.startsWith("bad"),
      });
      sweep.value(`verifyProfile ${name}`, result);
    }
    await sweep.failure("resolve missing", () => resolveProfile("missing", where));
    await sweep.failure("resolve nothing, with a PAT but no URL in env", () =>
      resolveProfile(undefined, {
        ...where,
        start: dir,
        globalDir: path.join(dir, "no-such-global"),
        env: { DHIS2_PAT: BOGUS_PAT, DHIS2_PASSWORD: WRONG_PASSWORD },
      }),
    );
    expectNoLeaks();
  });

  const malformed: Record<string, string> = {
    "unterminated string": `[profiles.bad]\nbase_url = "http://x"\nauth = "pat"\ntoken = "${BOGUS_PAT}\n`,
    "bare value": `[profiles.bad]\nbase_url = "http://x"\nauth = "pat"\ntoken = ${BOGUS_PAT}\n`,
    "invalid base URL": `[profiles.bad]\nbase_url = "ht tp://${BOGUS_PAT}"\nauth = "pat"\ntoken = "${BOGUS_PAT}"\n`,
    "wrong type": `[profiles.bad]\nbase_url = "http://x"\nauth = "pat"\ntoken = ["${BOGUS_PAT}"]\n`,
    "duplicate key": `[profiles.bad]\nbase_url = "http://x"\nauth = "basic"\nusername = "u"\npassword = "${WRONG_PASSWORD}"\npassword = "${WRONG_PASSWORD}"\n`,
    "unknown key": `[profiles.bad]\nbase_url = "http://x"\nauth = "pat"\ntokn = "${BOGUS_PAT}"\n`,
    "unknown auth": `[profiles.bad]\nbase_url = "http://x"\nauth = "${BOGUS_PAT}"\n`,
  };
  it.each(Object.keys(malformed))("a malformed profiles.toml (%s) holding a token", async (kind) => {
    const globalDir = mkdtempSync(path.join(dir, "malformed-"));
    writeFileSync(path.join(globalDir, "profiles.toml"), malformed[kind]!, { mode: 0o600 });
    const where = { start: globalDir, globalDir, env: {} };
    await sweep.failure(`${kind}: resolveProfile`, () => resolveProfile("bad", where));
    try {
      sweep.value(`${kind}: listProfiles`, await listProfiles(where));
    } catch (err) {
      sweep.error(`${kind}: listProfiles`, err);
    }
    await sweep.failure(`${kind}: showProfile`, () => showProfile("bad", where));
    expectNoLeaks();
  });
});

describe("the sweep itself", () => {
  it("finds a sentinel in every form it looks for", () => {
    const control = new SecretSweep();
    const s = control.secret("control");
    control.registerBasic("control", "u", s);
    control.error("plain", new Error(`x ${s} y`));
    control.error("cause", new Error("outer", { cause: new Error(`inner ${encodeURIComponent(s)}`) }));
    control.value("basic header", { authorization: `Basic ${Buffer.from(`u:${s}`).toString("base64")}` });
    const where = new Set(control.leaks().map((l) => l.where.split(" ")[0]));
    expect(where).toEqual(new Set(["plain", "cause", "basic"]));
    expect(JSON.stringify(control.leaks())).not.toContain(s);
  });
});
