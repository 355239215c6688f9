import { type ChildProcess, spawn } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN } from "./emulator-helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");

function get(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, headers: { Authorization: ADMIN } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("startEmulator / close", () => {
  it("closes with idle keep-alive connections open", async () => {
    const emu = await startEmulator({ version: "v42", seed: "empty" });
    const agent = new Agent({ keepAlive: true });
    try {
      expect(await get(agent, `${emu.url}/api/me`)).toBe(200);
      expect(await get(agent, `${emu.url}/api/system/info`)).toBe(200);
      // fetch (undici) pools keep-alive sockets as well.
      expect((await fetch(`${emu.url}/api/me`, { headers: { Authorization: ADMIN } })).status).toBe(200);
      await emu.close();
      await expect(fetch(`${emu.url}/api/me`)).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  });

  it("closes while a request is still in flight", async () => {
    const emu = await startEmulator({ version: "v42", seed: "empty" });
    emu.faults.add({ path: "/api/me", delayMs: 60_000 });
    const pending = fetch(`${emu.url}/api/me`, { headers: { Authorization: ADMIN } });
    while (emu.stats.count("/api/me") === 0) await new Promise((r) => setTimeout(r, 5));
    await emu.close();
    await expect(pending).rejects.toThrow();
  });

  it("supports await using and a second close()", async () => {
    let url: string;
    {
      await using emu = await startEmulator({ version: "v43", seed: "empty" });
      url = emu.url;
      expect(emu.version).toBe("v43");
    }
    await expect(fetch(`${url}/api/system/ping`)).rejects.toThrow();
  });

  it("rejects an unknown version or seed with a clear error", async () => {
    await expect(startEmulator({ version: "v40" as "v42" })).rejects.toThrow(
      /Unsupported emulator version "v40"/,
    );
    await expect(startEmulator({ seed: "full" as "demo" })).rejects.toThrow(/Unknown seed "full"/);
  });
});

describe("the dhis2w-emulator process", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  });

  it("prints its URL, serves requests and stops on SIGTERM", async () => {
    child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=source",
        "packages/emulator/src/cli.ts",
        "--port",
        "0",
        "--version",
        "v41",
        "--seed",
        "empty",
      ],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    const proc = child;
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      proc.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const line = out.split("\n")[0];
        if (out.includes("\n") && line) resolve(line.trim());
      });
      proc.stderr!.on("data", (d: Buffer) => {
        err += d.toString();
      });
      proc.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${err}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await (await fetch(`${url}/api/system/info`, { headers: { Authorization: ADMIN } })).json();
    expect(info.version).toBe("2.41.8.1");
    const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("--cors seeds the CORS allowlist (repeatable)", async () => {
    child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=source",
        "packages/emulator/src/cli.ts",
        "--port",
        "0",
        "--seed",
        "empty",
        "--cors",
        "http://localhost:3000",
        "--cors",
        "https://*.example.org",
      ],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    const proc = child;
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      proc.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]!.trim());
      });
      proc.on("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    const list = await (
      await fetch(`${url}/api/configuration/corsWhitelist`, { headers: { Authorization: ADMIN } })
    ).json();
    expect(list).toEqual(["http://localhost:3000", "https://*.example.org"]);
    const pre = await fetch(`${url}/api/me`, {
      method: "OPTIONS",
      headers: { Origin: "https://apps.example.org", "Access-Control-Request-Method": "GET" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://apps.example.org");
    const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("refuses a --cors value that is no origin (exit 2, says what an origin looks like)", async () => {
    child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=source", "packages/emulator/src/cli.ts", "--cors", "localhost:3000/"],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    const proc = child;
    let err = "";
    proc.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => proc.on("exit", (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain("--cors takes an origin as browsers send it, such as http://localhost:3000");
    expect(err).toContain('got "localhost:3000/"');
  });

  it("exits with a usage message on a bad argument", async () => {
    child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=source", "packages/emulator/src/cli.ts", "--seed", "everything"],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    const proc = child;
    let err = "";
    proc.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => proc.on("exit", (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain('--seed must be "demo" or "empty"');
  });
});
