/**
 * The `d2w-mcp` binary end to end: spawned from its TypeScript source over stdio, configured by
 * DHIS2_URL / DHIS2_USERNAME / DHIS2_PASSWORD, talking to a started emulator.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { TOOL_NAMES } from "@dhis2w/mcp";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const bin = path.join(repoRoot, "packages/mcp/src/bin.ts");

describe("d2w-mcp over stdio (emulator v42)", () => {
  let emu: RunningEmulator;
  let home: string;

  beforeAll(async () => {
    emu = await startEmulator({ version: "v42", seed: "demo" });
    // An empty HOME so no profiles.toml of the machine can take part.
    home = mkdtempSync(path.join(tmpdir(), "d2w-mcp-home-"));
  });
  afterAll(async () => {
    await emu?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("initializes, lists the tools and answers whoami; logs go to stderr only", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--import", "tsx", "--conditions=source", bin],
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, ".config"),
        DHIS2_URL: emu.url,
        DHIS2_USERNAME: "admin",
        DHIS2_PASSWORD: "district",
      },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const client = new Client({ name: "stdio-test", version: "0.0.0" });
    try {
      await client.connect(transport);
      expect(client.getServerVersion()?.name).toBe("d2w-mcp");
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
      const me = await client.callTool({ name: "whoami", arguments: {} });
      expect(me.isError).toBeFalsy();
      expect(me.structuredContent).toMatchObject({ username: "admin", superuser: true });
    } finally {
      await client.close();
    }
    expect(stderr).toContain(`using the DHIS2_* environment variables (${emu.url})`);
    expect(stderr).not.toContain("district");
  });
});
