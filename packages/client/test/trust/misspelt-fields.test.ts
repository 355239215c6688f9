/**
 * Trust: "Misspelt fields (`"id,nmae"`) are dropped silently." DHIS2 answers a field its schema
 * does not know with nothing (the emulator too), so the client checks every name against the
 * version's resource table before sending. Against the emulator; `emu.stats` shows nothing was sent.
 * (The type-level half, a misspelt literal as a compile error, is in test/types/*.test-d.ts.)
 */
import { BasicAuth, Dhis2Client, QueryValidationError } from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

let emu: RunningEmulator;
let client: Dhis2Client<"v42">;

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", port: 0, seed: "demo" });
  client = await Dhis2Client.open<"v42">({
    baseUrl: emu.url,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
});
afterAll(async () => {
  await client.close();
  await emu.close();
});
beforeEach(() => emu.stats.reset());

/** A fields string the compiler cannot see (as the CLI and MCP pass them). */
const dynamic = (fields: string): string => fields;

describe("misspelt fields", () => {
  it.each([
    ["id,nmae", /dataElements has no property "nmae"; did you mean "name"\?/],
    [
      "id,categoryCombo[id,nmae]",
      /"categoryCombo" \(categoryCombo\) has no property "nmae"; did you mean "name"\?/,
    ],
    ["*,!hreff", /dataElements has no property "hreff"; did you mean "href"\?/],
    ["id,name~renam(label)", /unknown transformer "renam" on "name"; did you mean "rename"\?/],
    [
      "id,categoryCombo[categories[id,nmae]]",
      /"categoryCombo\.categories" \(category\) has no property "nmae"/,
    ],
  ])("%s is a QueryValidationError before any request", async (fields, message) => {
    const err = await client.resources.dataElements
      .list({ fields: dynamic(fields) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryValidationError);
    expect(err).toMatchObject({ option: "fields" });
    expect((err as Error).message).toMatch(message);
    const one = await client.resources.dataElements
      .get(emu.demo!.dataElements[0]!, { fields: dynamic(fields) })
      .catch((e: unknown) => e);
    expect(one).toBeInstanceOf(QueryValidationError);
    expect(emu.stats.count("/api/dataElements*")).toBe(0);
  });

  it("presets, *, exclusions, transformers and nested selections of real names reach DHIS2", async () => {
    const [de] = await client.resources.dataElements.list({
      fields: "id,name~rename(label),categoryCombo[id,name],dataSetElements[dataSet[id]],!code",
      pageSize: 1,
    });
    expect(de).toMatchObject({ id: expect.any(String), label: expect.any(String) });
    await expect(client.resources.dataElements.list({ fields: ":owner", pageSize: 1 })).resolves.toHaveLength(
      1,
    );
    await expect(
      client.resources.organisationUnits.list({ fields: "*,!href", pageSize: 1 }),
    ).resolves.toHaveLength(1);
    await expect(
      client.resources.organisationUnits.list({
        fields: "id,children::size,parent[:identifiable]",
        pageSize: 1,
      }),
    ).resolves.toHaveLength(1);
  });

  it("metadata.export checks each type's fields against that type", async () => {
    const err = await client.metadata
      .export({ types: ["dataElements"], fields: { dataElements: dynamic("id,shortname") } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryValidationError);
    expect((err as Error).message).toMatch(
      /dataElements has no property "shortname"; did you mean "shortName"\?/,
    );
    expect(emu.stats.count("/api/metadata")).toBe(0);
  });
});
