/**
 * The client through the real HTTP path, against @dhis2w/emulator on 127.0.0.1 (port 0).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AuthenticationError,
  BasicAuth,
  Dhis2ApiError,
  Dhis2Client,
  type Dhis2ClientOptions,
  Dhis2NetworkError,
  Dhis2TimeoutError,
  generateUid,
  generateUids,
  isValidUid,
  PatAuth,
  RetryPolicy,
  UnsupportedVersionError,
  WebMessageResponse,
} from "@dhis2w/client";
import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

const admin = () => new BasicAuth({ username: "admin", password: "district" });

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** A tiny front server on another port (so another host) that redirects every request. */
async function redirector(target: (path: string) => string, seen: Record<string, string | undefined>[] = []) {
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url, authorization: req.headers.authorization });
    res.writeHead(307, { location: target(req.url ?? "/") });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("against the emulator (v42)", () => {
  let emu: RunningEmulator;
  const open = (opts: Partial<Dhis2ClientOptions> = {}) =>
    Dhis2Client.open({ baseUrl: emu.url, auth: admin(), ...opts });

  beforeAll(async () => {
    emu = await startEmulator({ version: "v42", port: 0, seed: "demo" });
  });
  afterAll(async () => {
    await emu.close();
  });
  beforeEach(() => {
    emu.faults.clear();
    emu.stats.reset();
  });

  it("handshakes: version key, raw version, primed info (one request to /api/system/info)", async () => {
    await using client = await open();
    expect(client.versionKey).toBe("v42");
    expect(client.rawVersion).toMatch(/^2\.42\./);
    expect((await client.system.info()).version).toBe(client.rawVersion);
    expect(emu.stats.count("/api/system/info")).toBe(1);
  });

  it("Basic auth: me() is the admin; a wrong password is an AuthenticationError without the password", async () => {
    await using client = await open();
    const me = await client.system.me();
    expect(me.username).toBe("admin");
    const bad = await Dhis2Client.open({
      baseUrl: emu.url,
      auth: new BasicAuth({ username: "admin", password: "wrong-Pa55" }),
    }).catch((e) => e);
    expect(bad).toBeInstanceOf(AuthenticationError);
    expect(bad.authKind).toBe("basic");
    expect(bad.message).not.toContain("wrong-Pa55");
  });

  it("quirk: PAT auth: a minted token works; a wrong one names pat and hides the token", async () => {
    await using adminClient = await open();
    const created = WebMessageResponse.parse(
      await adminClient.postRaw("/api/apiToken", {
        type: "PERSONAL_ACCESS_TOKEN_V2",
        expire: Date.now() + 3_600_000,
      }),
    );
    const token = created.response?.key as string;
    expect(isValidUid(created.createdUid)).toBe(true);
    expect(token).toBeTruthy();

    await using patClient = await Dhis2Client.open({ baseUrl: emu.url, auth: new PatAuth({ token }) });
    expect((await patClient.system.me()).username).toBe("admin");

    const wrong = `${token.slice(0, -4)}XXXX`;
    const err = await Dhis2Client.open({ baseUrl: emu.url, auth: new PatAuth({ token: wrong }) }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.authKind).toBe("pat");
    expect(err.message).not.toContain(wrong);
  });

  it("quirk: maps errors: JSON 404 WebMessage, Tomcat HTML 404, dropped connection, timeout", async () => {
    await using client = await open();
    const missing = await client.getRaw(`/api/dataElements/${generateUid()}`).catch((e) => e);
    expect(missing).toBeInstanceOf(Dhis2ApiError);
    expect(missing.statusCode).toBe(404);
    expect(missing.webMessage?.errorCode).toBe("E1005");
    expect(missing.serverMessage).toMatch(/could not be found/);

    const html = await client.getRaw("/dhis-web-nothing/page").catch((e) => e);
    expect(html.statusCode).toBe(404);
    expect(html.serverMessage).toMatch(/^HTTP Status 404/);
    expect(html.message).not.toContain("<");

    emu.faults.add({ path: "/api/me", drop: true });
    await expect(client.system.me()).rejects.toBeInstanceOf(Dhis2NetworkError);

    await using impatient = await open({ timeoutMs: 50 });
    emu.faults.add({ path: "/api/me", delayMs: 500 });
    await expect(impatient.system.me()).rejects.toBeInstanceOf(Dhis2TimeoutError);
  });

  it("retries a 503 with Retry-After: 1 twice, then 200: three calls, 1 s honoured each time", async () => {
    const { sleep, waits } = recordingSleep();
    await using client = await open({ retryPolicy: new RetryPolicy({ maxAttempts: 3 }), sleep });
    emu.faults.add({ path: "/api/me", times: 2, status: 503, retryAfter: "1" });
    await expect(client.system.me()).resolves.toMatchObject({ username: "admin" });
    expect(emu.stats.count("/api/me")).toBe(3);
    expect(waits).toEqual([1_000, 1_000]);
  });

  it("retries a dropped connection and a 429, but never a POST", async () => {
    const { sleep, waits } = recordingSleep();
    await using client = await open({ retryPolicy: new RetryPolicy({ baseDelayMs: 10, jitter: 0 }), sleep });
    emu.faults.add({ path: "/api/me", drop: true });
    emu.faults.add({ path: "/api/system/id", status: 429, retryAfter: "2" });
    await client.system.me();
    await client.getRaw("/api/system/id");
    expect(emu.stats.count("/api/me")).toBe(2);
    expect(emu.stats.count("/api/system/id")).toBe(2);
    expect(waits).toEqual([10, 2_000]);

    emu.faults.add({ path: "/api/systemSettings/keyX", method: "POST", status: 503, retryAfter: "1" });
    const err = await client
      .postRaw("/api/systemSettings/keyX", "1", { headers: { "content-type": "text/plain" } })
      .catch((e) => e);
    expect(err.statusCode).toBe(503);
    expect(emu.stats.count("/api/systemSettings/keyX", "POST")).toBe(1);
  });

  it("caches system reads: the server counts one request per key until invalidated or expired", async () => {
    let now = 0;
    await using client = await open({ now: () => now, systemCacheTtlMs: 60_000 });
    expect(await client.system.defaultCategoryComboUid()).toBe("bjDvmb4bfuf");
    await client.system.defaultCategoryComboUid();
    expect(emu.stats.count("/api/categoryCombos")).toBe(1);

    await client.postRaw("/api/systemSettings/applicationTitle", "Emulated HMIS", {
      headers: { "content-type": "text/plain" },
    });
    expect(await client.system.setting("applicationTitle")).toBe("Emulated HMIS");
    expect(await client.system.setting("applicationTitle")).toBe("Emulated HMIS");
    expect(emu.stats.count("/api/systemSettings/applicationTitle", "GET")).toBe(1);
    client.system.invalidateCache({ key: "setting:applicationTitle" });
    await client.system.setting("applicationTitle");
    expect(emu.stats.count("/api/systemSettings/applicationTitle", "GET")).toBe(2);

    now += 60_001;
    await client.system.info();
    expect(emu.stats.count("/api/system/info")).toBe(2); // connect, then expiry
    expect(await client.system.setting("keyThatDoesNotExist")).toBeUndefined();
  });

  it("creates objects with client-side UIDs and reads the envelopes", async () => {
    await using client = await open();
    const [id, other] = generateUids(2);
    const created = WebMessageResponse.parse(
      await client.postRaw("/api/dataElements", {
        id,
        name: `Client UID ${id}`,
        shortName: `UID ${id}`,
        valueType: "NUMBER",
        domainType: "AGGREGATE",
        aggregationType: "SUM",
        categoryCombo: { id: await client.system.defaultCategoryComboUid() },
      }),
    );
    expect(created.createdUid).toBe(id);
    expect(await client.getRaw(`/api/dataElements/${id}`, { params: { fields: "id,name" } })).toEqual({
      id,
      name: `Client UID ${id}`,
    });

    const report = WebMessageResponse.parse(
      await client
        .postRaw("/api/metadata", {
          dataElements: [{ id: other, name: `Meta ${other}`, valueType: "NUMBER" }],
        })
        .catch((e: Dhis2ApiError) => e.body),
    ).importReport();
    expect(report?.typeReports.length).toBeGreaterThan(0);
  });

  it("quirk: a data value import with a bad row gives a 409 whose envelope lists the conflict", async () => {
    await using client = await open();
    const [de] = emu.demo!.dataElements;
    const [ou] = emu.demo!.facilities;
    const err = await client
      .postRaw("/api/dataValueSets", {
        dataValues: [
          { dataElement: de, period: "202401", orgUnit: ou, value: "12" },
          { dataElement: de, period: "202402", orgUnit: ou, value: "not a number" },
        ],
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(Dhis2ApiError);
    expect(err.statusCode).toBe(409);
    const msg = err.webMessage as WebMessageResponse;
    expect(msg.status).toBe("WARNING");
    expect(msg.importCount()?.imported).toBe(1);
    expect(msg.conflicts().length).toBe(1);
    expect(msg.rejectedIndexes()).toEqual([1]);
  });

  it("serves parallel calls from one client", async () => {
    await using client = await open();
    const results = await Promise.all(
      Array.from({ length: 32 }, () => client.getRaw<{ codes: string[] }>("/api/system/id")),
    );
    expect(new Set(results.map((r) => r.codes[0])).size).toBe(32);
  });

  it("quirk: follows a redirect to the DHIS2 host without carrying credentials over the hop", async () => {
    const front = await redirector((path) => `${emu.url}${path}`);
    try {
      await using client = await Dhis2Client.open({ baseUrl: front.url, auth: admin() });
      expect(client.baseUrl).toBe(emu.url); // the canonical base: the emulator itself
      expect(front.seen[0]?.authorization).toMatch(/^Basic /); // the configured host gets them
      expect(emu.stats.count("/api/system/info")).toBe(2); // once without credentials, once with
      expect((await client.system.me()).username).toBe("admin");
    } finally {
      await front.close();
    }
  });

  it("never leaks credentials to a host that is not DHIS2", async () => {
    const seenBySpy: Record<string, string | undefined>[] = [];
    const spy = await redirector(() => "http://127.0.0.1:9/nowhere", seenBySpy);
    const front = await redirector((path) => `${spy.url}/landing${path}`);
    try {
      const err = await Dhis2Client.open({ baseUrl: front.url, auth: admin(), maxRedirects: 1 }).catch(
        (e) => e,
      );
      expect(err.message).toMatch(/more than 1 redirects|does not answer like a DHIS2 server/);
      expect(seenBySpy.length).toBe(1);
      expect(seenBySpy[0]?.authorization).toBeUndefined();
    } finally {
      await front.close();
      await spy.close();
    }
  });
});

describe("version handshake against emulators of other versions", () => {
  const cases: [StartEmulatorOptions, Partial<Dhis2ClientOptions>, string, RegExp][] = [
    [{ version: "v43" }, {}, "v43", /^2\.43\./],
    [{ version: "v41", versionString: "2.41-SNAPSHOT" }, {}, "v41", /^2\.41-SNAPSHOT$/],
    [{ version: "v42", versionString: "2.42.4.1" }, {}, "v42", /^2\.42\.4\.1$/],
    [{ version: "v43", versionString: "2.44.0" }, { allowVersionFallback: true }, "v43", /^2\.44\.0$/],
    [{ version: "v42", versionString: "2.44.0" }, { version: "v41" }, "v41", /^2\.44\.0$/],
  ];
  it.each(cases)("%j with %j binds %s", async (emuOpts, clientOpts, key, raw) => {
    await using emu = await startEmulator({ ...emuOpts, port: 0, seed: "empty" });
    await using client = await Dhis2Client.open({ baseUrl: emu.url, auth: admin(), ...clientOpts });
    expect(client.versionKey).toBe(key);
    expect(client.rawVersion).toMatch(raw);
  });

  it.each([
    ["2.44.0", {}],
    ["2.40.3", { allowVersionFallback: true }],
  ])("refuses %s (%j) with UnsupportedVersionError", async (versionString, clientOpts) => {
    await using emu = await startEmulator({ version: "v42", versionString, port: 0, seed: "empty" });
    const err = await Dhis2Client.open({ baseUrl: emu.url, auth: admin(), ...clientOpts }).catch((e) => e);
    expect(err).toBeInstanceOf(UnsupportedVersionError);
    expect(err.rawVersion).toBe(versionString);
  });
});
