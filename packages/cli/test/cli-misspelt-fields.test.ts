/**
 * Trust, "Misspelt fields", as the user sees it: `d2w metadata list --fields id,nmae` is refused
 * before any request, with a "did you mean", instead of a list with the field silently missing.
 */
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliSandbox } from "./support/run-cli.js";

let emu: RunningEmulator;
const sandbox = new CliSandbox();

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", seed: "demo" });
  sandbox.env = { DHIS2_URL: emu.url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
});
afterAll(async () => {
  await emu?.close();
  sandbox.dispose();
});

describe("d2w and misspelt fields", () => {
  it("metadata list --fields id,nmae exits 2 (a usage mistake) naming the field and the right one; nothing is asked of DHIS2", async () => {
    emu.stats.reset();
    const r = await sandbox.run(["metadata", "list", "dataElements", "--fields", "id,nmae"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dataElements has no property "nmae"; did you mean "name"\?/);
    expect(r.stdout).toBe("");
    expect(emu.stats.count("/api/dataElements*")).toBe(0);
  });
});
