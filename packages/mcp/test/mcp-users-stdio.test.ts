/**
 * `users_list`, `user_assign_org_units`, `sharing_get` and `org_unit_tree` through the SDK's
 * `Client` over stdio: the `d2w-mcp` binary spawned from its TypeScript source, talking to an
 * emulator (empty seed plus a small hierarchy, so admin starts with no capture org unit).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_USERS, type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const bin = path.join(repoRoot, "packages/mcp/src/bin.ts");
const ROOT = "McpRootOu01";
const CHILD = "McpChildOu1";
const DE = "McpDataEl01";
const AUTH = `Basic ${Buffer.from("admin:district").toString("base64")}`;

describe("d2w-mcp user, sharing and org unit tools over stdio (emulator v42)", () => {
  let emu: RunningEmulator;
  let home: string;
  let client: Client;

  beforeAll(async () => {
    emu = await startEmulator({ version: "v42", seed: "empty" });
    const res = await fetch(`${emu.url}/api/metadata`, {
      method: "POST",
      headers: { Authorization: AUTH, "Content-Type": "application/json" },
      body: JSON.stringify({
        organisationUnits: [
          { id: ROOT, name: "Root", shortName: "Root", openingDate: "2000-01-01" },
          { id: CHILD, name: "Child", shortName: "Child", openingDate: "2000-01-01", parent: { id: ROOT } },
        ],
        dataElements: [
          {
            id: DE,
            name: "Cases",
            shortName: "Cases",
            valueType: "NUMBER",
            domainType: "AGGREGATE",
            aggregationType: "SUM",
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    home = mkdtempSync(path.join(tmpdir(), "d2w-mcp-users-"));
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
    client = new Client({ name: "users-test", version: "0.0.0" });
    await client.connect(transport);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await emu?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

  it("lists the tools with input and output schemas; user_assign_org_units says it writes", async () => {
    const { tools } = await client.listTools();
    for (const name of ["users_list", "user_assign_org_units", "sharing_get", "org_unit_tree"]) {
      const tool = tools.find((t) => t.name === name);
      expect(tool, name).toBeDefined();
      expect(tool?.inputSchema.type).toBe("object");
      expect(tool?.outputSchema?.type).toBe("object");
    }
    const assign = tools.find((t) => t.name === "user_assign_org_units");
    expect(assign?.description).toMatch(/^WRITES/);
    expect(assign?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(assign?.inputSchema.required).toEqual(["user"]);
    expect(tools.find((t) => t.name === "users_list")?.annotations?.readOnlyHint).toBe(true);
  });

  it("users_list lists users with their capture scope", async () => {
    const r = await call("users_list", {});
    expect(r.isError, text(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      truncated: false,
      users: [
        { username: "admin", id: DEMO_USERS.admin.id, organisationUnits: [] },
        { username: "district", id: DEMO_USERS.district.id },
      ],
    });
    expect(JSON.parse(text(r))).toEqual(r.structuredContent);
    const one = await call("users_list", { query: "Mensah", limit: 5 });
    expect((one.structuredContent as { users: { username: string }[] }).users.map((u) => u.username)).toEqual(
      ["district"],
    );
  });

  it("user_assign_org_units gives admin a capture org unit; the next import lands", async () => {
    const push = async () => {
      const res = await fetch(`${emu.url}/api/dataValueSets`, {
        method: "POST",
        headers: { Authorization: AUTH, "Content-Type": "application/json" },
        body: JSON.stringify({
          dataValues: [{ dataElement: DE, period: "202401", orgUnit: CHILD, value: "4" }],
        }),
      });
      return res.status;
    };
    expect(await push()).toBe(409);
    const r = await call("user_assign_org_units", { user: "admin", capture: [ROOT] });
    expect(r.isError, text(r)).toBeFalsy();
    expect(r.structuredContent).toEqual({
      user: DEMO_USERS.admin.id,
      username: "admin",
      capture: [ROOT],
      view: [],
      search: [],
      changed: ["capture"],
      cacheCleared: true,
    });
    expect(await push()).toBe(200);
  });

  it("user_assign_org_units names what does not exist; bad UIDs fail the input schema", async () => {
    const missing = await call("user_assign_org_units", { user: "admin", capture: ["NoSuchUnit1"] });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain("organisationUnit NoSuchUnit1 does not exist on the server");
    const nobody = await call("user_assign_org_units", { user: "nobody", view: [ROOT] });
    expect(text(nobody)).toContain("user nobody does not exist on the server");
    const bad = await call("user_assign_org_units", { user: "admin", capture: ["not a uid"] });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/UID/);
  });

  it("sharing_get and org_unit_tree read", async () => {
    const created = await fetch(`${emu.url}/api/dataSets`, {
      method: "POST",
      headers: { Authorization: AUTH, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Weekly", shortName: "Weekly", periodType: "Weekly" }),
    });
    const ds = ((await created.json()) as { response: { uid: string } }).response.uid;
    const s = await call("sharing_get", { type: "dataSet", id: ds });
    expect(s.isError, text(s)).toBeFalsy();
    expect(s.structuredContent).toMatchObject({
      public: "rw------",
      external: false,
      users: [],
      userGroups: [],
    });
    const notShareable = await call("sharing_get", { type: "organisationUnit", id: ROOT });
    expect(text(notShareable)).toContain("organisationUnit objects have no sharing");

    const kids = await call("org_unit_tree", { relation: "children", id: ROOT });
    expect((kids.structuredContent as { units: { id: string }[] }).units.map((u) => u.id)).toEqual([CHILD]);
    const levels = await call("org_unit_tree", { relation: "levels" });
    expect(levels.structuredContent).toEqual({
      levels: [
        { level: 1, name: "Level 1" },
        { level: 2, name: "Level 2" },
      ],
    });
    const below = await call("org_unit_tree", { relation: "descendants", id: ROOT, limit: 1 });
    expect(below.structuredContent).toMatchObject({ truncated: false, units: [{ id: CHILD, level: 2 }] });
    expect((await call("org_unit_tree", { relation: "ancestors" })).isError).toBe(true);
  });
});
