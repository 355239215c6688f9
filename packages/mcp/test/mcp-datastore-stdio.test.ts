/**
 * `datastore_get`, `datastore_set`, `datastore_list` through the SDK's `Client` over stdio: the
 * `d2w-mcp` binary spawned from its TypeScript source, talking to an emulator.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const bin = path.join(repoRoot, "packages/mcp/src/bin.ts");

describe("d2w-mcp data store tools over stdio (emulator v43)", () => {
  let emu: RunningEmulator;
  let home: string;
  let client: Client;

  beforeAll(async () => {
    emu = await startEmulator({ version: "v43", seed: "empty" });
    home = mkdtempSync(path.join(tmpdir(), "d2w-mcp-ds-"));
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
    client = new Client({ name: "datastore-test", version: "0.0.0" });
    await client.connect(transport);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await emu?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  it("lists the three tools with input and output schemas; datastore_set says it writes", async () => {
    const { tools } = await client.listTools();
    for (const name of ["datastore_get", "datastore_set", "datastore_list"]) {
      const tool = tools.find((t) => t.name === name);
      expect(tool, name).toBeDefined();
      expect(tool?.inputSchema.type).toBe("object");
      expect(tool?.outputSchema?.type).toBe("object");
    }
    const set = tools.find((t) => t.name === "datastore_set");
    expect(set?.description).toMatch(/^WRITES/);
    expect(set?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(set?.inputSchema.required).toEqual(expect.arrayContaining(["namespace", "key"]));
    expect(tools.find((t) => t.name === "datastore_get")?.annotations?.readOnlyHint).toBe(true);
  });

  it("sets, gets and lists values, keys, namespaces and query entries", async () => {
    const set = await call("datastore_set", {
      namespace: "pets",
      key: "cat",
      value: { name: "Miao", age: 9 },
    });
    expect(set.isError).toBeFalsy();
    expect(set.structuredContent).toEqual({ written: true, created: true, namespace: "pets", key: "cat" });
    await call("datastore_set", { namespace: "pets", key: "cow", value: { name: "Muuhh", age: 5 } });

    const got = await call("datastore_get", { namespace: "pets", key: "cat" });
    expect(got.structuredContent).toEqual({
      namespace: "pets",
      key: "cat",
      found: true,
      value: { name: "Miao", age: 9 },
      text: '{"age": 9, "name": "Miao"}',
    });
    const missing = await call("datastore_get", { namespace: "pets", key: "dog" });
    expect(missing.structuredContent).toMatchObject({ found: false });

    expect((await call("datastore_list", {})).structuredContent).toEqual({ namespaces: ["pets"] });
    expect((await call("datastore_list", { namespace: "pets" })).structuredContent).toEqual({
      keys: ["cat", "cow"],
    });
    const query = await call("datastore_list", { namespace: "pets", fields: "name", filter: ["age:gt:6"] });
    expect(query.structuredContent).toEqual({ entries: [{ key: "cat", name: "Miao" }], truncated: false });
    const limited = await call("datastore_list", { namespace: "pets", fields: "age", limit: 1 });
    expect(limited.structuredContent).toEqual({ entries: [{ key: "cat", age: 9 }], truncated: true });
  });

  it("a bad key is a tool error that says what and where", async () => {
    const bad = await call("datastore_set", { namespace: "pets", key: "a/b", value: 1 });
    expect(bad.isError).toBe(true);
    const text = bad.content.map((c) => (c.type === "text" ? c.text : "")).join("");
    expect(text).toMatch(/key "a\/b" contains "\/" at position 1/);
  });
});
