/** verifyProfile over real HTTP: a loopback server, an injected opener, and the emulator when it exists. */

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { NoProfileError, type Profile } from "@dhis2w/client";
import { addProfile, type ProfileOpener, type VerifiableClient, verifyProfile } from "@dhis2w/core";
import { startEmulator } from "@dhis2w/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const TOKEN = "d2p_VERIFYsecretTOKEN_987654321";
let server: Server;
let url: string;

/** A two-endpoint stand-in for DHIS2 that checks the PAT header the way DHIS2 does. */
beforeAll(async () => {
  server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `ApiToken ${TOKEN}`)
      return json(401, { httpStatusCode: 401, message: "Unauthorized" });
    if (req.url === "/api/system/info") return json(200, { version: "2.42.4" });
    if (req.url === "/api/me") return json(200, { username: "admin", displayName: "Admin" });
    return json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/**
 * A minimal opener with openClient's shape: version handshake, then `system.me()`. Its errors
 * carelessly include the header value, so the test can show verifyProfile scrubs them.
 */
const fetchOpener: ProfileOpener = async (profile) => {
  const headers = { authorization: `ApiToken ${profile.token}` };
  const get = async (p: string) => {
    const res = await fetch(`${profile.baseUrl}${p}`, { headers });
    if (!res.ok) throw new Error(`GET ${p} -> HTTP ${res.status} (sent ${headers.authorization})`);
    return (await res.json()) as Record<string, string>;
  };
  const info = await get("/api/system/info");
  const client: VerifiableClient = { rawVersion: info.version, system: { me: () => get("/api/me") } };
  return client;
};

let root: string;
let o: { env: Record<string, string>; globalDir: string; start: string };
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "dhis2w-verify-"));
  o = { env: {}, globalDir: path.join(root, "cfg"), start: root };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("verifyProfile with an injected opener", () => {
  it("reports version, user and latency (from the injected clock)", async () => {
    await addProfile("dev", { baseUrl: url, auth: "pat", token: TOKEN }, o);
    const ticks = [1000, 1042.4];
    let closed = 0;
    const opener: ProfileOpener = async (p, options) => {
      expect(options.profileName).toBe("dev");
      const c = await fetchOpener(p, options);
      return { ...c, close: () => void closed++ };
    };
    const r = await verifyProfile("dev", { ...o, openClient: opener, now: () => ticks.shift() ?? 0 });
    expect(r).toEqual({
      ok: true,
      name: "dev",
      source: "explicit",
      baseUrl: url,
      version: "2.42.4",
      user: "admin",
      latencyMs: 42,
    });
    expect(closed).toBe(1);
  });

  it("reports a rejected credential with the exact failure and no secret", async () => {
    const wrong = `${TOKEN}-WRONG`;
    await addProfile("dev", { baseUrl: url, auth: "pat", token: wrong }, o);
    const r = await verifyProfile("dev", { ...o, openClient: fetchOpener });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toContain("HTTP 401");
    expect(r.error).toContain("ApiToken ***");
    expect(JSON.stringify(r)).not.toContain(wrong);
  });

  it("reports an unreachable server with the underlying cause (ECONNREFUSED)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await addProfile("down", { baseUrl: `http://127.0.0.1:${port}`, auth: "pat", token: TOKEN }, o);
    const r = await verifyProfile("down", { ...o, openClient: fetchOpener });
    expect(r).toMatchObject({ ok: false, name: "down" });
    expect(!r.ok && r.error).toMatch(/fetch failed.*ECONNREFUSED/);
  });

  it("verifies the profile the precedence chain picks when no name is given", async () => {
    const env = { DHIS2_URL: url, DHIS2_PAT: TOKEN };
    const r = await verifyProfile(undefined, { ...o, env, openClient: fetchOpener });
    expect(r).toMatchObject({ ok: true, name: undefined, source: "env:raw", user: "admin" });
  });

  it("throws for a profile that does not exist (nothing to connect with)", async () => {
    await expect(verifyProfile("ghost", { ...o, openClient: fetchOpener })).rejects.toThrow(NoProfileError);
  });
});

// The default opener is core's openClient.
describe("verifyProfile against the emulator with the default opener", () => {
  it("logs in as admin (Basic) and reports the emulated version; a wrong password fails without leaking", async () => {
    const emu = await startEmulator({ version: "v42", port: 0 });
    try {
      const good: Profile = { baseUrl: emu.url, auth: "basic", username: "admin", password: "district" };
      await addProfile("emu", good, o);
      const r = await verifyProfile("emu", o);
      expect(r).toMatchObject({ ok: true, user: "admin" });
      expect(r.ok && r.version).toMatch(/^2\.42\./);
      await addProfile("bad", { ...good, password: "WRONG-pass-123" }, o);
      const bad = await verifyProfile("bad", o);
      expect(bad.ok).toBe(false);
      expect(JSON.stringify(bad)).not.toContain("WRONG-pass-123");
    } finally {
      await emu.close();
    }
  });
});
