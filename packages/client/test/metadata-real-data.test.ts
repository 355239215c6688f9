/**
 * The typed-metadata round trip on real data: the Sierra Leone demo export (plus all 1,332 org
 * units) goes into an EMPTY emulator through `client.metadata.import`, then every object comes
 * back through `client.resources.<plural>` and is checked against that version's generated
 * validator. Real HTTP end to end (client -> emulator), no stubs.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createEmulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { loadResourceTable, loadValidators } from "../src/generated/registry.gen.js";
import {
  type AnyResources,
  BasicAuth,
  Dhis2Client,
  type MetadataBundle,
  QueryValidationError,
  type ResourceTable,
} from "../src/index.js";
import type { VersionKey } from "../src/versions.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const play = resolve(repoRoot, "../shared/dhis2/play");

type Json = Record<string, unknown>;
const readJson = async <T>(file: string): Promise<T> =>
  JSON.parse(await readFile(resolve(play, file), "utf8"));

/**
 * The export carries two keys that are no metadata type of 2.41-2.43: `legends` (Legend has
 * `metadata: false` and no endpoint; legends travel embedded in their legend set) and
 * `interpretations` (`metadata: false`). DHIS2 itself skips such keys on import
 * (dhis2/dhis2-core `DefaultRenderService.fromMetadata`: "Skipping non-metadata property"); the
 * client leaves them out too and lists them in the report's `skippedTypes`, so they are
 * accounted for rather than lost (`nonMetadata: "reject"` refuses them instead).
 */
const NOT_IMPORTABLE = ["interpretations", "legends"];

/** v41 has no export of its own: the 2.42 export is what a 2.41 user would be handed. */
const CASES = [
  { v: "v42", file: "metadata.json" },
  { v: "v43", file: "metadata-v43.json" },
  { v: "v41", file: "metadata.json" },
] as const satisfies readonly { v: VersionKey; file: string }[];

/** Keys of `bundle` the client's import refuses for this table (not a metadata type with an entry). */
function refusedKeys(bundle: Json, table: ResourceTable): string[] {
  return Object.keys(bundle)
    .filter((k) => k !== "system" && !table[k]?.metadata)
    .sort();
}

async function readAll(resources: AnyResources, plural: string): Promise<Json[]> {
  // paging=false with every field: one request per type, the whole object as DHIS2 would send it.
  return (await resources[plural]!.list({ paging: false, fields: "*" })) as Json[];
}

// Real data lives in ../shared (CI has it); without it there is no real bundle to round-trip.
describe.skipIf(!existsSync(play))("real Sierra Leone metadata round trip through the client", () => {
  for (const { v, file } of CASES) {
    it(`${v}: ${file} + 1,332 org units import into an empty emulator and read back valid and complete`, async () => {
      const exported = await readJson<Json>(file);
      const orgUnits = await readJson<Json[]>("organisation_units.json");
      expect(orgUnits).toHaveLength(1332);

      await using emu = await createEmulator({ version: v, seed: "empty" });
      await using client = await Dhis2Client.open({
        baseUrl: emu.url,
        fetch: emu.fetch,
        version: v,
        auth: new BasicAuth({ username: "admin", password: "district" }),
      });
      const resources = client.resources as unknown as AnyResources;
      const table = await loadResourceTable(v);

      // Types of the export without a `client.resources` accessor, listed rather than skipped:
      // Legend has no endpoint of its own in any version's schemas.
      expect(
        Object.keys(exported).filter((k) => !(k in resources)),
        "types without an accessor",
      ).toEqual(["legends"]);

      // 1. Asked to be strict, the client refuses the raw export, naming every key DHIS2 would
      // drop, before any request.
      const refused = refusedKeys(exported, table);
      expect(refused, "bundle keys that are no metadata type of this version").toEqual(NOT_IMPORTABLE);
      const refusal = await client.metadata
        .import(exported as MetadataBundle, { nonMetadata: "reject" })
        .catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(QueryValidationError);
      // One error names every refused key, so the user fixes the export in one go.
      for (const k of NOT_IMPORTABLE) expect((refusal as Error).message).toContain(`"${k}"`);
      expect(emu.stats.count("/api/metadata", "POST"), "requests sent for a refused bundle").toBe(0);

      // Nothing is lost by leaving them out: every top-level legend also sits in its legend set.
      const legendSets = exported.legendSets as Json[];
      const embeddedLegends = new Set(
        legendSets.flatMap((s) => ((s.legends as Json[] | undefined) ?? []).map((l) => l.id)),
      );
      const strayLegends = (exported.legends as Json[]).filter((l) => !embeddedLegends.has(l.id));
      expect(
        strayLegends.map((l) => l.id),
        "legends outside every legend set",
      ).toEqual([]);

      // 2. Import: the rest of the export and the org units, one bundle.
      const bundle: Record<string, Json[]> = Object.fromEntries(
        Object.entries(exported).filter(([k]) => !NOT_IMPORTABLE.includes(k)),
      ) as Record<string, Json[]>;
      bundle.organisationUnits = orgUnits;
      const types = Object.keys(bundle).sort();

      // Every type in the bundle has an accessor now (refused keys aside); no silent skipping.
      expect(types.filter((t) => !(t in resources))).toEqual([]);

      // An empty DHIS2 already holds the default category model; the export carries it too.
      const baseline = new Map<string, Set<string>>();
      for (const t of types)
        baseline.set(t, new Set((await readAll(resources, t)).map((o) => o.id as string)));
      const inputIds = new Map(types.map((t) => [t, bundle[t]!.map((o) => o.id as string)]));
      const preexisting = (t: string) => inputIds.get(t)!.filter((id) => baseline.get(t)!.has(id)).length;
      const total = types.reduce((n, t) => n + bundle[t]!.length, 0);
      const updates = types.reduce((n, t) => n + preexisting(t), 0);

      // The export as DHIS2 gave it (plus org units), with no option: the keys DHIS2 would drop
      // are left out and listed in the report, so they are accounted for rather than lost.
      const report = await client.metadata.import(
        { ...exported, organisationUnits: orgUnits } as MetadataBundle,
        { importReportMode: "ERRORS" },
      );
      expect(
        [...report.skippedTypes].sort((a, b) => a.type.localeCompare(b.type)),
        "keys skipped by the client",
      ).toEqual(NOT_IMPORTABLE.map((type) => ({ type, count: (exported[type] as Json[]).length })));
      const errors = report
        .errors()
        .map((e) => `${e.type} ${e.uid} ${e.errorCode} ${e.property}: ${e.message}`);
      expect(errors, "import errors").toEqual([]);
      expect(report.status).toBe("OK");
      // Per type first, so a failure names the type; then the report's own totals.
      const stat = (t: string) => ({
        created: bundle[t]!.length - preexisting(t),
        updated: preexisting(t),
        ignored: 0,
        total: bundle[t]!.length,
      });
      const perType = Object.fromEntries(
        report.typeReports.map((tr) => [
          pluralOf(table, tr.klass),
          {
            created: tr.stats?.created,
            updated: tr.stats?.updated,
            ignored: tr.stats?.ignored,
            total: tr.stats?.total,
          },
        ]),
      );
      expect(perType, "import report stats per type").toEqual(
        Object.fromEntries(types.map((t) => [t, stat(t)])),
      );
      expect(report.stats, `import totals (${updates} default objects pre-exist)`).toMatchObject({
        total,
        created: total - updates,
        updated: updates,
        ignored: 0,
      });

      // 3. Read everything back and validate it with this version's generated validators.
      const { resourceValidators } = await loadValidators(v);
      const validators = resourceValidators as unknown as Record<string, z.ZodType | undefined>;
      expect(
        types.filter((t) => !validators[t]),
        "types without a generated validator",
      ).toEqual([]);
      const counts: Record<string, { input: number; read: number; lost: number; invalid: number }> = {};
      const problems: string[] = [];
      for (const t of types) {
        const read = await readAll(resources, t);
        const readIds = new Set(read.map((o) => o.id as string));
        const lost = inputIds.get(t)!.filter((id) => !readIds.has(id));
        let invalid = 0;
        for (const o of read) {
          const r = validators[t]!.safeParse(o);
          if (r.success) continue;
          invalid++;
          const where = r.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`);
          problems.push(`${t}/${String(o.id)}: ${where.join("; ")}`);
        }
        for (const id of lost) problems.push(`${t}/${id}: imported but not read back`);
        counts[t] = {
          input: bundle[t]!.length,
          read: read.length - baseline.get(t)!.size + preexisting(t),
          lost: lost.length,
          invalid,
        };
      }
      const expected = Object.fromEntries(
        types.map((t) => [t, { input: bundle[t]!.length, read: bundle[t]!.length, lost: 0, invalid: 0 }]),
      );
      expect(problems.slice(0, 40), `per type: ${JSON.stringify(counts)}`).toEqual([]);
      expect(counts, "per type: input vs read back, lost ids, validation failures").toEqual(expected);

      // Legends came in through their legend sets: read them back there.
      const sets = (await resources.legendSets!.list({ paging: false, fields: "id,legends[id]" })) as Json[];
      const readLegends = new Set(
        sets.flatMap((s) => ((s.legends as Json[] | undefined) ?? []).map((l) => l.id)),
      );
      expect(
        [...embeddedLegends].filter((id) => !readLegends.has(id)),
        "legends lost",
      ).toEqual([]);
    }, 120_000);
  }
});

describe.skipIf(!existsSync(play))("Real DHIS2 data must go through by default", () => {
  it("metadata.json after the org units imports with client.metadata.import and no extra option", async () => {
    const exported = await readJson<Json>("metadata.json");
    const orgUnits = await readJson<Json[]>("organisation_units.json");
    await using emu = await createEmulator({ version: "v42", seed: "empty" });
    await using client = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    const units = await client.metadata.import({ organisationUnits: orgUnits } as MetadataBundle);
    expect(units.errors(), "org unit import errors").toEqual([]);
    expect(units.status).toBe("OK");

    const report = await client.metadata.import(exported as MetadataBundle);
    expect(report.errors().map((e) => `${e.type} ${e.uid} ${e.errorCode}: ${e.message}`)).toEqual([]);
    expect(report.status).toBe("OK");
    expect(report.skippedTypes).toEqual([
      { type: "legends", count: (exported.legends as Json[]).length },
      { type: "interpretations", count: (exported.interpretations as Json[]).length },
    ]);
    // Everything else is in: every data element of the export reads back.
    const des = (await client.resources.dataElements.list({ paging: false, fields: "id" })) as Json[];
    const stored = new Set(des.map((d) => d.id));
    expect((exported.dataElements as Json[]).filter((d) => !stored.has(d.id))).toEqual([]);
  }, 120_000);
});

/** The plural of a type report's klass (`org.hisp.dhis.dataelement.DataElement` -> `dataElements`). */
function pluralOf(table: ResourceTable, klass: string): string {
  return Object.values(table).find((d) => d.klass === klass)?.plural ?? klass;
}
