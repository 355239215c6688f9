/**
 * `sql_view_run`, `messaging_list` and `messaging_send` through the SDK's `Client` over stdio:
 * the `d2w-mcp` binary spawned from its TypeScript source, talking to an emulator with the demo
 * seed (its SQL views).
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

describe("d2w-mcp SQL view and messaging tools over stdio (emulator v42)", () => {
  let emu: RunningEmulator;
  let home: string;
  let client: Client;

  beforeAll(async () => {
    emu = await startEmulator({ version: "v42", seed: "demo" });
    home = mkdtempSync(path.join(tmpdir(), "d2w-mcp-toolkit-"));
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
    client = new Client({ name: "toolkit-test", version: "0.0.0" });
    await client.connect(transport);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await emu?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("");

  it("lists the tools; messaging_send says it sends, sql_view_run is read-only", async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of ["sql_view_run", "messaging_list", "messaging_send"])
      expect(byName.get(name), name).toBeDefined();
    expect(byName.get("sql_view_run")?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get("messaging_send")?.description).toMatch(/^SENDS/);
    expect(byName.get("messaging_send")?.annotations?.readOnlyHint).toBe(false);
  });

  it("sql_view_run answers columns and rows, bounded; a missing variable is a tool error naming it", async () => {
    const id = emu.app.extensions.toolkitDemo!.sqlViews.orgUnitsAtLevel;
    const res = await call("sql_view_run", { uid: id, variables: { level: 3 }, limit: 5 });
    expect(res.isError).toBeFalsy();
    expect(res.structuredContent).toMatchObject({
      title: "Org units at level",
      columns: ["uid", "code", "name", "path"],
      height: 12,
      truncated: true,
    });
    expect((res.structuredContent as { rows: unknown[] }).rows).toHaveLength(5);
    const missing = await call("sql_view_run", { uid: id });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain("SQL query contains variables not provided in request: `[level]`");
  });

  it("messaging_send answers the new id; messaging_list shows it; no recipients is a tool error", async () => {
    const sent = await call("messaging_send", {
      subject: "From an agent",
      text: "Hello",
      users: ["DXyJmlo9rge"],
    });
    expect(sent.isError).toBeFalsy();
    const { id } = sent.structuredContent as { id: string };
    expect(emu.state.metadata.get("messageConversations", id)?.subject).toBe("From an agent");
    const list = await call("messaging_list", {});
    expect(
      (list.structuredContent as { conversations: { id: string }[] }).conversations.map((c) => c.id),
    ).toContain(id);
    const none = await call("messaging_send", { subject: "x", text: "y" });
    expect(none.isError).toBe(true);
    expect(text(none)).toContain("at least one recipient");
  });
});
