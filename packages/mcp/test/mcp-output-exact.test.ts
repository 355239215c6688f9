/**
 * What d2w-mcp hands an agent of DHIS2's data, and of the agent's own input quoted back in an
 * error, is exact even when it contains the profile's password (DHIS2's demo password `district`
 * is a common word in its data): secrets are kept out by position, never by rewriting text.
 * Through the SDK's Client (in-memory transport) against a started emulator.
 */
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectHarness, type Harness } from "./support/harness.js";

const PASSWORD = "district";
const NAME = "Cases per district";

describe("The MCP server, over a server whose data contains the profile's password, returns that data intact", () => {
  let emu: RunningEmulator;
  let h: Harness;
  let uid: string;

  beforeAll(async () => {
    emu = await startEmulator({ version: "v42", seed: "demo" });
    await using direct = await Dhis2Client.open({
      baseUrl: emu.url,
      auth: new BasicAuth({ username: "admin", password: PASSWORD }),
    });
    uid = await direct.resources.dataElements.create({
      name: NAME,
      shortName: NAME,
      valueType: "NUMBER",
      domainType: "AGGREGATE",
      aggregationType: "SUM",
    } as never);
    h = await connectHarness({
      profile: { baseUrl: emu.url, auth: "basic", username: "admin", password: PASSWORD },
      profileLocation: { env: { DHIS2_PASSWORD: PASSWORD } },
    });
  });
  afterAll(async () => {
    await h?.close();
    await emu?.close();
  });

  it("metadata_get returns the name as DHIS2 sent it", async () => {
    const got = await h.ok<{ object: Record<string, unknown> }>("metadata_get", {
      type: "dataElements",
      id: uid,
      fields: "id,name",
    });
    expect(JSON.stringify(got)).toContain(`"name":"${NAME}"`);
  });

  it("a tool error quoting the agent's filter keeps it whole", async () => {
    const text = await h.fails("metadata_list", { type: "dataElements", filters: [`name:eqq:${NAME}`] });
    expect(text).toContain(`name:eqq:${NAME}`);
    expect(text).not.toContain(Buffer.from(`admin:${PASSWORD}`).toString("base64"));
  });
});

describe("secrets stay out of the MCP server's answers by position", () => {
  it("a profile URL carrying user info is shown without it (profiles_list, profile_verify)", async () => {
    await using emu = await startEmulator({ version: "v42", seed: "empty" });
    const secret = "S3cretInTheUrl";
    const h = await connectHarness({
      profile: {
        baseUrl: emu.url.replace("http://", `http://admin:${secret}@`),
        auth: "pat",
        token: "d2p_x",
      },
      profileLocation: { env: {} },
    });
    try {
      const listed = await h.ok<{ active: { baseUrl: string } }>("profiles_list");
      expect(listed.active.baseUrl).toBe(`${emu.url}/`);
      const verified = await h.ok<{ ok: boolean; baseUrl: string; error?: string }>("profile_verify");
      expect(verified.ok).toBe(false);
      expect(JSON.stringify(verified)).not.toContain(secret);
      expect(await h.fails("whoami")).not.toContain(secret);
    } finally {
      await h.close();
    }
  });
});
