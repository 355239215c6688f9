/**
 * The first steps on an empty server, as a user runs them, each a real `d2w` process: start
 * `d2w dev emulator --seed empty`, import a little metadata, see `d2w data import` refused
 * (admin captures nowhere), `d2w user assign-org-units admin --capture <root>`, and the same
 * import lands. No curl, no emulator API called by hand.
 */
import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CliSandbox } from "./support/run-cli.js";

const sandbox = new CliSandbox();
afterAll(() => sandbox.dispose());

const ROOT = "FlowRoot001";
const DISTRICT = "FlowDistr01";
const DE = "FlowDatEl01";

describe("d2w on an empty emulator", () => {
  it("user assign-org-units admin --capture <root> is all a data import needs", async () => {
    const emulator = sandbox.start(["dev", "emulator", "--port", "0", "--seed", "empty"]);
    try {
      const [url] = await emulator.waitFor("stdout", /^http:\/\/127\.0\.0\.1:\d+$/m);
      sandbox.env = { DHIS2_URL: url!, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };

      const metadata = sandbox.path("metadata.json");
      writeFileSync(
        metadata,
        JSON.stringify({
          organisationUnits: [
            { id: ROOT, name: "Flowland", shortName: "Flowland", openingDate: "2000-01-01" },
            {
              id: DISTRICT,
              name: "Flow District",
              shortName: "Flow",
              openingDate: "2000-01-01",
              parent: { id: ROOT },
            },
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
      );
      const imported = await sandbox.run(["metadata", "import", metadata]);
      expect(imported.code, imported.stderr).toBe(0);

      const values = sandbox.path("values.json");
      writeFileSync(
        values,
        JSON.stringify({
          dataValues: [
            { dataElement: DE, period: "202401", orgUnit: DISTRICT, value: "12" },
            { dataElement: DE, period: "202402", orgUnit: DISTRICT, value: "15" },
          ],
        }),
      );
      const refused = await sandbox.run(["--json", "data", "import", values]);
      expect(refused.code).toBe(1);
      expect(refused.stdout + refused.stderr).toContain("E7617");

      const assigned = await sandbox.run(["user", "assign-org-units", "admin", "--capture", ROOT]);
      expect(assigned.code, assigned.stderr).toBe(0);
      expect(assigned.stdout).toContain(`capture: ${ROOT} (changed)`);

      const landed = await sandbox.run(["--json", "data", "import", values]);
      expect(landed.code, landed.stderr).toBe(0);
      expect(JSON.parse(landed.stdout)).toMatchObject({ importCount: { imported: 2, ignored: 0 } });
    } finally {
      emulator.child.kill("SIGTERM");
      await emulator.exited;
    }
  }, 60_000);
});
