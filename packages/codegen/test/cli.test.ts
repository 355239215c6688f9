import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { miniSchemas } from "./fixtures.js";

// A tiny DHIS2 stand-in on loopback: /api/system/info and /api/schemas behind Basic or PAT auth.
const TOKEN = "d2p_secretTOKENvalue";
const seen: string[] = [];
let server: Server;
let url: string;
let out: string;

const authorised = (req: IncomingMessage) =>
  req.headers.authorization === `ApiToken ${TOKEN}` ||
  req.headers.authorization === `Basic ${Buffer.from("admin:district").toString("base64")}`;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization?.split(" ")[0]}`);
    if (!authorised(req)) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"httpStatusCode":401}');
      return;
    }
    const body = req.url === "/dhis/api/system/info" ? { version: "2.42.4.1" } : { schemas: miniSchemas() };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dhis`;
  out = await mkdtemp(join(tmpdir(), "dhis2w-codegen-"));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(out, { recursive: true, force: true });
});

const quiet = { out: () => {}, err: () => {} };

describe("codegen CLI against a live server", () => {
  it("reads the version and schemas with a PAT and writes that version's files", async () => {
    seen.length = 0;
    const code = await main(["--url", url, "--token", TOKEN, "--snapshots", "none", "--out", out], quiet);
    expect(code).toBe(0);
    expect(seen).toEqual(["GET /dhis/api/system/info ApiToken", "GET /dhis/api/schemas ApiToken"]);
    expect((await readdir(join(out, "v42"))).sort()).toEqual([
      "index.gen.ts",
      "models.gen.ts",
      "resources.gen.ts",
      "validators.gen.ts",
    ]);
    const models = await readFile(join(out, "v42/models.gen.ts"), "utf8");
    expect(models.split("\n")[0]).toContain("DHIS2 2.42.4.1 (v42)");
    expect(models).toContain("export interface DataElement {");
  });

  it("uses Basic auth, and --check reports the folder as up to date", async () => {
    seen.length = 0;
    const args = [
      "--url",
      url,
      "--username",
      "admin",
      "--password",
      "district",
      "--snapshots",
      "none",
      "--out",
      out,
    ];
    expect(await main([...args, "--check"], quiet)).toBe(0);
    expect(seen[0]).toBe("GET /dhis/api/system/info Basic");
  });

  it("fails with the URL and status, never the secret", async () => {
    const err = await main(
      ["--url", url, "--token", "wrong-secret", "--snapshots", "none", "--out", out],
      quiet,
    ).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/dhis\/api\/system\/info answered HTTP 401/);
    expect(err?.message).not.toContain("wrong-secret");
  });

  it("--check fails and names the stale file after a hand edit", async () => {
    const errs: string[] = [];
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(out, "v42/index.gen.ts"), "// edited by hand\n");
    const code = await main(
      ["--url", url, "--token", TOKEN, "--snapshots", "none", "--out", out, "--check"],
      {
        out: () => {},
        err: (t) => errs.push(t),
      },
    );
    expect(code).toBe(1);
    expect(errs.join("")).toMatch(/out of date: v42\/index\.gen\.ts[\s\S]*npm run codegen/);
  });
});
