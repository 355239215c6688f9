/**
 * `fields=*` carries the properties real servers always serialise with their Java default
 * (primitives, initialised fields: `DataSet.version`, `openPeriodsAfterCoEndDate`,
 * `OptionSet.version`, `TrackedEntityType.featureType`, `maxTeiCountToReturn`, ...), from the
 * table `scripts/gen-default-values.ts` derived from dhis2-core's sources. Checked against the
 * real export: import it with every default-valued key left out, read every type back with
 * `fields=*`, and compare each object's scalar keys (and values) with the export's.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createEmulator, DEFAULT_VALUES } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { loadResourceTable } from "../src/generated/registry.gen.js";
import { BasicAuth, Dhis2Client, type MetadataBundle } from "../src/index.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const play = resolve(repoRoot, "../shared/dhis2/play");
type Json = Record<string, unknown>;
const readJson = async <T>(file: string): Promise<T> =>
  JSON.parse(await readFile(resolve(play, file), "utf8"));
const SCALARS = new Set(["BOOLEAN", "INTEGER", "NUMBER", "CONSTANT"]);
/**
 * Not a default-value matter: the schema's `evaluationTime` is `programRuleActionEvaluationTime`
 * in Jackson, and the export (`:owner`) carries neither; the emulator keeps it under the schema
 * name (a required property DHIS2 initialises to ALWAYS).
 */
const WIRE_NAME_QUIRKS = new Set(["programRuleActions.evaluationTime"]);

const CASES = [
  { v: "v42", file: "metadata.json" },
  { v: "v43", file: "metadata-v43.json" },
  { v: "v41", file: "metadata.json" },
] as const;

async function open(v: "v41" | "v42" | "v43", seed: "empty" | "demo" = "empty") {
  const emu = await createEmulator({ version: v, seed });
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    version: v,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  return { emu, client };
}

describe.skipIf(!existsSync(play))("default-valued properties against the real export", () => {
  for (const { v, file } of CASES) {
    it(`${v}: ${file} without its default-valued keys reads back with the export's scalar keys`, async () => {
      const exported = await readJson<Json>(file);
      const table = await loadResourceTable(v);
      const defaults = DEFAULT_VALUES[v];
      const bundle: Record<string, Json[]> = {};
      let stripped = 0;
      for (const [plural, objects] of Object.entries(exported)) {
        if (!Array.isArray(objects) || !table[plural]?.metadata) continue;
        const d = defaults[table[plural].klass] ?? {};
        bundle[plural] = (objects as Json[]).map((o) =>
          Object.fromEntries(
            Object.entries(o).filter(([k, x]) => {
              const drop = k in d && d[k] === x;
              if (drop) stripped++;
              return !drop;
            }),
          ),
        );
      }
      expect(stripped, "default-valued keys left out of the import").toBeGreaterThan(500);
      bundle.organisationUnits = await readJson<Json[]>("organisation_units.json");
      const { emu, client } = await open(v);
      const report = await client.metadata.import(bundle as MetadataBundle, { importReportMode: "ERRORS" });
      expect(report.errors(), "import errors").toEqual([]);

      const problems: string[] = [];
      for (const plural of Object.keys(bundle)) {
        const def = table[plural]!;
        const scalar = Object.values(def.properties)
          .filter((p) => p.persisted && !p.collection && SCALARS.has(p.propertyType))
          .map((p) => p.name)
          .filter((k) => !WIRE_NAME_QUIRKS.has(`${plural}.${k}`));
        const d = defaults[def.klass] ?? {};
        const { [plural]: read = [] } = await client.getRaw<Record<string, Json[]>>(`/api/${plural}`, {
          params: { fields: "*", paging: false },
        });
        const byId = new Map(read.map((o) => [o.id, o]));
        for (const o of (exported[plural] ?? []) as Json[]) {
          const back = byId.get(o.id);
          if (!back) {
            problems.push(`${plural}/${String(o.id)}: not read back`);
            continue;
          }
          // What the export has, plus a default the export's (older) row left null.
          const want = scalar.filter((k) => k in o || k in d).sort();
          const got = scalar.filter((k) => k in back).sort();
          if (want.join() !== got.join()) {
            problems.push(`${plural}/${String(o.id)}: scalar keys ${got.join(",")} != ${want.join(",")}`);
          }
          for (const k of scalar) {
            if (k in o && back[k] !== o[k])
              problems.push(`${plural}/${String(o.id)}.${k}: ${back[k]} != ${o[k]}`);
          }
        }
      }
      expect(problems).toEqual([]);
      await emu.close();
    });
  }
});

describe.each(["v41", "v42", "v43"] as const)("defaults of objects created without them on %s", (v) => {
  it("fields=* shows DataSet.version, OptionSet.version, TrackedEntityType.featureType and maxTeiCountToReturn", async () => {
    const { emu, client } = await open(v, "demo");
    const created = await client.metadata.import({
      dataSets: [{ id: "DefaultsDS1", name: "Defaults", shortName: "Defaults", periodType: "Monthly" }],
      optionSets: [{ id: "DefaultsOS1", name: "Defaults", valueType: "TEXT" }],
      trackedEntityTypes: [{ id: "DefaultsTT1", name: "Defaults", shortName: "Defaults" }],
    } as MetadataBundle);
    expect(created.errors()).toEqual([]);
    const get = (path: string) => client.getRaw<Json>(path, { params: { fields: "*" } });
    expect(await get("/api/dataSets/DefaultsDS1")).toMatchObject({
      version: 0,
      openPeriodsAfterCoEndDate: 0,
      expiryDays: 0,
      timelyDays: 0,
      openFuturePeriods: 0,
      renderAsTabs: false,
    });
    expect((await get("/api/optionSets/DefaultsOS1")).version).toBe(0);
    expect(await get("/api/trackedEntityTypes/DefaultsTT1")).toMatchObject({
      featureType: "NONE",
      maxTeiCountToReturn: 0,
      minAttributesRequiredToSearch: 1,
      allowAuditLog: false,
    });
    // Filters see the stored default too.
    const { dataSets } = await client.getRaw<{ dataSets: Json[] }>("/api/dataSets", {
      params: { filter: ["id:eq:DefaultsDS1", "version:eq:0"], fields: "id" },
    });
    expect(dataSets).toEqual([{ id: "DefaultsDS1" }]);
    await emu.close();
  });
});
