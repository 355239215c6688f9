/**
 * `validation_run` through the SDK's `Client` over stdio: the `d2w-mcp` binary spawned from its
 * TypeScript source, talking to an emulator where rules and data were planted through the client.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plantValidation, type ValidationFixture } from "../../client/test/support/validation-fixture.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const bin = path.join(repoRoot, "packages/mcp/src/bin.ts");

describe("d2w-mcp validation_run over stdio (emulator v42)", () => {
  let emu: RunningEmulator;
  let home: string;
  let client: Client;
  let dhis2: Dhis2Client;
  let fx: ValidationFixture;
  const q1 = { startDate: "2024-01-01", endDate: "2024-03-31" };

  beforeAll(async () => {
    emu = await startEmulator({ version: "v42", seed: "demo" });
    dhis2 = await Dhis2Client.open({
      baseUrl: emu.url,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    fx = await plantValidation(dhis2);
    home = mkdtempSync(path.join(tmpdir(), "d2w-mcp-vr-"));
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
    client = new Client({ name: "validation-test", version: "0.0.0" });
    await client.connect(transport);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await dhis2?.close();
    await emu?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({ name: "validation_run", arguments: args })) as CallToolResult;

  it("is listed with input and output schemas, and says that persist writes", async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === "validation_run");
    expect(tool?.inputSchema.required).toEqual(expect.arrayContaining(["orgUnit", "startDate", "endDate"]));
    expect(tool?.outputSchema?.type).toBe("object");
    expect(tool?.description).toMatch(/persist: true also STORES them/);
    expect(tool?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
  });

  it("finds exactly the planted violation", async () => {
    const r = await call({ orgUnit: fx.district, ...q1, group: fx.smallGroup });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({
      violations: [
        expect.objectContaining({
          validationRule: fx.rules.lessOrEqual,
          period: "202401",
          orgUnit: fx.facility,
          leftSideValue: 10,
          operator: "<=",
          rightSideValue: 4,
          importance: "HIGH",
        }),
      ],
      count: 1,
      maxResults: 200,
      truncated: false,
    });
  });

  it("caps the answer and says so; persist stores the results", async () => {
    const capped = await call({ orgUnit: fx.district, ...q1, group: fx.group, maxResults: 2 });
    expect(capped.structuredContent).toMatchObject({ count: 2, maxResults: 2, truncated: true });
    await call({ orgUnit: fx.facility, ...q1, group: fx.smallGroup, persist: true });
    const stored = (await dhis2.getRaw("/api/validationResults", {
      params: { vr: fx.rules.lessOrEqual },
    })) as {
      validationResults: unknown[];
    };
    expect(stored.validationResults).toHaveLength(1);
  });

  it("answers errors as tool errors: a date that is not a date, a group that does not exist", async () => {
    const bad = await call({ orgUnit: fx.district, startDate: "2024-02-30", endDate: "2024-03-31" });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain(
      'ValidationInputError: validation.run: startDate \\"2024-02-30\\" is not a date',
    );
    const unknown = await call({ orgUnit: fx.district, ...q1, group: "AAAAAAAAAAA" });
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toContain("there is no validation rule group AAAAAAAAAAA");
  });
});
