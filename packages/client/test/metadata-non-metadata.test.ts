/**
 * The client's list of DHIS2's non-metadata types (what `metadata.import` skips by default) is
 * exactly the plurals with `metadata: false` in the real `/api/schemas` of 2.41, 2.42 and 2.43,
 * and none of them is a metadata type of any of those versions, so one list serves them all.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadResourceTable } from "../src/generated/registry.gen.js";
import { NON_METADATA_TYPES } from "../src/metadata/non-metadata.js";

const schemasDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/dhis2/schemas");
const VERSIONS = ["v41", "v42", "v43"] as const;

type Schema = { plural?: string; metadata?: boolean };
const schemasOf = (v: string): Schema[] =>
  (JSON.parse(readFileSync(resolve(schemasDir, `${v}.json`), "utf8")) as { schemas: Schema[] }).schemas;

// The real schemas live in ../shared (CI has them); without them there is nothing to compare with.
describe.skipIf(!existsSync(schemasDir))("DHIS2's non-metadata types", () => {
  it("are the schemas' metadata: false plurals of every version, and no version's metadata type", async () => {
    const fromSchemas = new Set<string>();
    for (const v of VERSIONS) {
      for (const s of schemasOf(v)) if (s.plural && s.metadata === false) fromSchemas.add(s.plural);
    }
    expect([...NON_METADATA_TYPES].sort()).toEqual([...fromSchemas].sort());
    for (const v of VERSIONS) {
      const table = await loadResourceTable(v);
      const metadataTypes = Object.values(table)
        .filter((d) => d.metadata)
        .map((d) => d.plural);
      expect(
        NON_METADATA_TYPES.filter((t) => metadataTypes.includes(t)),
        `${v}: metadata types in the list`,
      ).toEqual([]);
    }
  });
});
