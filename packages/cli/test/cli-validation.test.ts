/**
 * `d2w validation run|describe` and `d2w predictors run`, in-process through `run(argv, io)`
 * against the emulator on each version, with rules, predictors and data planted through the client.
 */
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type PredictorFixture,
  plantPredictors,
  plantValidation,
  type ValidationFixture,
} from "../../client/test/support/validation-fixture.js";
import { InProcessCli } from "./support/in-process.js";

describe.each(["v41", "v42", "v43"] as const)("d2w validation and d2w predictors on %s", (version) => {
  let emu: RunningEmulator;
  let client: Dhis2Client;
  let fx: ValidationFixture;
  let px: PredictorFixture;
  const cli = new InProcessCli();
  const q1 = ["--start-date", "2024-01-01", "--end-date", "2024-03-31"];
  const april = ["--start-date", "2024-04-01", "--end-date", "2024-04-30"];

  beforeAll(async () => {
    emu = await startEmulator({ version, seed: "demo" });
    client = await Dhis2Client.open({
      baseUrl: emu.url,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    fx = await plantValidation(client);
    px = await plantPredictors(client);
    cli.env = { DHIS2_URL: emu.url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await emu?.close();
    cli.dispose();
  });

  it("validation run prints the planted violation as a table, --json as data", async () => {
    const r = await cli.run(["validation", "run", fx.district, ...q1, "--group", fx.smallGroup]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^PERIOD\s+ORG UNIT\s+RULE\s+LEFT\s+OPERATOR\s+RIGHT\s+IMPORTANCE$/);
    expect(lines).toHaveLength(3);
    expect(lines[2]?.split(/\s{2,}/)).toEqual([
      "202401",
      expect.any(String),
      fx.rules.lessOrEqual,
      "10",
      "<=",
      "4",
      "HIGH",
    ]);
    expect(r.stderr).toBe("1 violation\n");
    const json = await cli.run(["--json", "validation", "run", fx.district, ...q1, "--group", fx.smallGroup]);
    expect(JSON.parse(json.stdout)).toEqual({
      violations: [
        expect.objectContaining({
          validationRule: fx.rules.lessOrEqual,
          orgUnit: fx.facility,
          period: "202401",
        }),
      ],
      maxResults: 500,
      truncated: false,
    });
  });

  it("--max-results says DHIS2 stopped; --persist stores validation results", async () => {
    const capped = await cli.run([
      "validation",
      "run",
      fx.district,
      ...q1,
      "--group",
      fx.group,
      "--max-results",
      "3",
    ]);
    expect(capped.code, capped.stderr).toBe(0);
    expect(capped.stderr).toBe("3 violations: DHIS2 stopped at --max-results 3, there may be more\n");
    const persisted = await cli.run([
      "validation",
      "run",
      fx.facility,
      ...q1,
      "--group",
      fx.smallGroup,
      "--persist",
    ]);
    expect(persisted.code, persisted.stderr).toBe(0);
    const stored = (await client.getRaw("/api/validationResults", {
      params: { vr: fx.rules.lessOrEqual },
    })) as {
      validationResults: unknown[];
    };
    expect(stored.validationResults).toHaveLength(1);
  });

  it("validation describe prints DHIS2's description, exits 1 when DHIS2 refuses, 2 with a pointer for broken syntax", async () => {
    const ok = await cli.run(["validation", "describe", `#{${fx.de.x}}*2`]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`VT x ${fx.de.x}*2\n`);
    const predictor = await cli.run([
      "--json",
      "validation",
      "describe",
      `sum(#{${fx.de.x}})`,
      "--context",
      "predictor",
    ]);
    expect(JSON.parse(predictor.stdout)).toEqual({
      valid: true,
      description: `sum(VT x ${fx.de.x})`,
      message: "Valid",
    });
    const missing = await cli.run(["validation", "describe", "#{AAAAAAAAAAA}"]);
    expect([missing.code, missing.stderr]).toEqual([1, "d2w: DHIS2: Expression is not well-formed\n"]);
    const describes = () => emu.stats.count("/api/validationRules/expression/description");
    const before = describes();
    const broken = await cli.run(["validation", "describe", `(#{${fx.de.x}} + 1`]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toBe(
      `d2w: validation rule expression "(#{${fx.de.x}} + 1" is not well-formed: expected ")" but found the end of the expression at character 19\n(#{${fx.de.x}} + 1\n${" ".repeat(19)}^\n`,
    );
    expect(describes()).toBe(before);
  });

  it("refuses bad dates (exit 2) before any validation request; an unknown group exits 1", async () => {
    const runs = () => emu.stats.count("/api/dataAnalysis/validationRules");
    const before = runs();
    const bad = await cli.run([
      "validation",
      "run",
      fx.district,
      "--start-date",
      "2024-02-30",
      "--end-date",
      "2024-03-31",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^d2w: validation\.run: startDate "2024-02-30" is not a date/);
    const reversed = await cli.run([
      "validation",
      "run",
      fx.district,
      "--start-date",
      "2024-03-31",
      "--end-date",
      "2024-01-01",
    ]);
    expect(reversed.code).toBe(2);
    const unknown = await cli.run(["validation", "run", fx.district, ...q1, "--group", "AAAAAAAAAAA"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      "d2w: validation.run: there is no validation rule group AAAAAAAAAAA on this server\n",
    );
    expect(runs()).toBe(before);
  });

  it("predictors run prints DHIS2's count; the predicted values are there to read", async () => {
    const one = await cli.run(["predictors", "run", "--predictor", px.predictors.sum, ...april]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe("Generated 2 predictions\n");
    expect(await client.dataValues.get({ de: px.out.sum, pe: "202404", ou: px.facility })).toBe("60.0");
    const group = await cli.run(["--json", "predictors", "run", "--group", px.group, ...april]);
    expect(JSON.parse(group.stdout)).toEqual({ predictions: 4, message: "Generated 4 predictions" });
    const all = await cli.run(["predictors", "run", ...april]);
    expect(all.stdout).toBe("Generated 7 predictions\n");
  });

  it("predictors run refuses both --predictor and --group and reversed dates (exit 2); an unknown predictor exits 1", async () => {
    const both = await cli.run([
      "predictors",
      "run",
      "--predictor",
      px.predictors.sum,
      "--group",
      px.group,
      ...april,
    ]);
    expect(both.code).toBe(2);
    const reversed = await cli.run([
      "predictors",
      "run",
      "--start-date",
      "2024-04-30",
      "--end-date",
      "2024-04-01",
    ]);
    expect([reversed.code, reversed.stderr]).toEqual([
      2,
      "d2w: predictors.run: endDate 2024-04-01 is before startDate 2024-04-30\n",
    ]);
    const unknown = await cli.run(["predictors", "run", "--predictor", "AAAAAAAAAAA", ...april]);
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      "d2w: predictors.runOne: there is no predictor AAAAAAAAAAA on this server\n",
    ]);
  });
});
