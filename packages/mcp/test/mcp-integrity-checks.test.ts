/**
 * `integrity_issues` refuses a check selection that matches nothing on the server (DHIS2 would
 * run 0 checks and report success), with suggestions. Through the SDK's Client (in-memory
 * transport) against a started emulator.
 */
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectHarness, type Harness } from "./support/harness.js";

describe("An unknown integrity check name runs 0 checks (MCP): refuse it with suggestions", () => {
  let emu: RunningEmulator;
  let h: Harness;
  const runs = () =>
    emu.stats.count("/api/dataIntegrity/summary", "POST") +
    emu.stats.count("/api/dataIntegrity/details", "POST");

  beforeAll(async () => {
    emu = await startEmulator({ version: "v42", seed: "demo" });
    h = await connectHarness({
      profile: { baseUrl: emu.url, auth: "basic", username: "admin", password: "district" },
      profileLocation: { env: {} },
    });
  });
  afterAll(async () => {
    await h?.close();
    await emu?.close();
  });

  it("integrity_issues with a misspelt check is an error naming the close one; no job starts", async () => {
    const text = await h.fails("integrity_issues", { checks: ["orgunit_orphaned"] });
    expect(text).toContain('"orgunit_orphaned" (did you mean "orgunits_orphaned"');
    expect(runs()).toBe(0);
    const cached = await h.fails("integrity_issues", { checks: ["nonsense"], run: false });
    expect(cached).toContain('"nonsense"');
  });

  it("a valid code still runs", async () => {
    const r = await h.ok<{ checks: { name: string }[] }>("integrity_issues", { checks: ["OO"] });
    expect(r.checks.map((c) => c.name)).toEqual(["orgunits_orphaned"]);
  });
});
