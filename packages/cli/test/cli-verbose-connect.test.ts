/**
 * `--verbose` says when the client settled on another base URL than the profile's: DHIS2 behind
 * a context path that redirects (`/dhis/api/system/info` -> `/api/system/info` on the same
 * host), so the client adopts the server's own root. In-process through `run(argv, io)`; the
 * front is a local `node:http` proxy in front of the emulator.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessCli } from "./support/in-process.js";

let emu: RunningEmulator;
let front: Server;
let frontUrl: string;
const cli = new InProcessCli();

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", seed: "empty" });
  const target = new URL(emu.url);
  // `/dhis/...` redirects to `/...` on the same origin; everything else is passed to the emulator.
  front = createServer((req, res) => {
    const path = req.url ?? "/";
    if (path.startsWith("/dhis/")) {
      res.writeHead(302, { Location: path.slice("/dhis".length) }).end();
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, path, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  cli.env = { DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
});
afterAll(async () => {
  await new Promise((resolve) => front?.close(resolve));
  await emu?.close();
  cli.dispose();
});

describe("--verbose names the base URL the client adopted on connect", () => {
  it("prints 'connected to <adopted> (the profile says <profile>)' without user info", async () => {
    const r = await cli.run(["--verbose", "system", "info"], { DHIS2_URL: `${frontUrl}/dhis` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`d2w: debug: connected to ${frontUrl} (the profile says ${frontUrl}/dhis)\n`);
  });

  it("says nothing when the client kept the profile's URL (a trailing slash is the same URL)", async () => {
    const r = await cli.run(["--verbose", "system", "info"], { DHIS2_URL: `${emu.url}/` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("d2w: debug: -> GET");
    expect(r.stderr).not.toContain("connected to");
  });

  it("says nothing without --verbose", async () => {
    const r = await cli.run(["system", "info"], { DHIS2_URL: `${frontUrl}/dhis` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
  });
});
