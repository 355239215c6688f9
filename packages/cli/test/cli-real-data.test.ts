/**
 * The project's own real DHIS2 export (`../shared/dhis2/play/metadata.json`, the Sierra Leone
 * demo) imports with `d2w metadata import` and no extra flag, after its org units: the keys DHIS2
 * exports but does not import as metadata (`legends`, `interpretations`) are skipped and named on
 * stderr. In-process through `run(argv, io)` against an empty emulator.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessCli } from "./support/in-process.js";

const play = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/dhis2/play");
let emu: RunningEmulator;
const cli = new InProcessCli();

// The real export lives in ../shared (CI has it); without it there is nothing real to import.
describe.skipIf(!existsSync(play))("Real DHIS2 data must go through by default (d2w metadata import)", () => {
  beforeAll(async () => {
    emu = await startEmulator({ version: "v42", seed: "empty" });
    cli.env = { DHIS2_URL: emu.url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
  });
  afterAll(async () => {
    await emu?.close();
    cli.dispose();
  });

  it("metadata.json after the org units imports with no extra flag; skipped keys on one stderr line", async () => {
    const units = cli.path("organisation_units.json");
    const orgUnits = JSON.parse(readFileSync(resolve(play, "organisation_units.json"), "utf8")) as unknown[];
    writeFileSync(units, JSON.stringify({ organisationUnits: orgUnits }));
    const first = await cli.run(["metadata", "import", units]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^status OK: 1332 created/);

    const file = resolve(play, "metadata.json");
    const exported = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown[]>;
    const r = await cli.run(["metadata", "import", file]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^status OK: /);
    expect(r.stderr).toBe(
      `skipped (DHIS2 does not import them as metadata): legends (${exported.legends?.length}), interpretations (${exported.interpretations?.length})\n`,
    );
    expect(emu.state.metadata.count("dataElements")).toBe(exported.dataElements?.length);

    const json = await cli.run(["--json", "metadata", "import", file, "--dry-run"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).skippedTypes).toEqual([
      { type: "legends", count: exported.legends?.length },
      { type: "interpretations", count: exported.interpretations?.length },
    ]);
  });
});
