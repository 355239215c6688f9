/**
 * Trust, "Partial imports must agree with the server", as the user sees it: `d2w data import`
 * through a proxy that drops the connection after the emulator applied a chunk says the chunk
 * may have landed and how to make sure, instead of calling it failed.
 */
import { writeFileSync } from "node:fs";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliSandbox } from "./support/run-cli.js";

let emu: RunningEmulator;
let proxy: Server;
const sandbox = new CliSandbox();

/** Forwards to the emulator; the answer of the second data value POST is lost (connection reset). */
function losingProxy(target: string): Server {
  let posts = 0;
  return http.createServer((req, res) => {
    const lose = req.method === "POST" && (req.url ?? "").startsWith("/api/dataValueSets") && posts++ === 1;
    const upstream = http.request(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: req.headers },
      (up) => {
        const chunks: Buffer[] = [];
        up.on("data", (c: Buffer) => chunks.push(c));
        up.on("end", () => {
          if (lose) req.socket.destroy();
          else res.writeHead(up.statusCode ?? 502, up.headers).end(Buffer.concat(chunks));
        });
      },
    );
    req.pipe(upstream);
  });
}

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", seed: "demo" });
  proxy = losingProxy(emu.url);
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  sandbox.env = { DHIS2_URL: url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await emu?.close();
  sandbox.dispose();
});

describe("d2w data import: partial imports must agree with the server", () => {
  it("a chunk whose answer never arrived: may have landed; re-run with CREATE_AND_UPDATE to be sure", async () => {
    const { facilities, dataElements } = emu.demo!;
    const values = facilities
      .slice(0, 4)
      .flatMap((orgUnit) =>
        dataElements
          .slice(0, 2)
          .map((dataElement, i) => ({ dataElement, orgUnit, period: "201701", value: String(i + 1) })),
      );
    const file = sandbox.path("values.json");
    writeFileSync(file, JSON.stringify({ dataValues: values }));
    const r = await sandbox.run(["data", "import", file, "--chunk-size", "4"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`status WARNING: ${values.length} rows, 4 imported`);
    expect(r.stderr).toMatch(
      /chunk 1 \(rows 5-8\): no answer arrived \(.+\); may have landed; re-run with CREATE_AND_UPDATE to be sure/,
    );
    expect(r.stderr).not.toMatch(/chunk 1 .*failed:/);
  });
});
