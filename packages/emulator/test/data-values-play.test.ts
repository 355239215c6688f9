/**
 * "Done when": all 188,701 values of the Sierra Leone demo export (`../shared/dhis2/play`) go
 * through `client.dataValues.import` straight from the gzipped file into an emulator holding the
 * real metadata; counts add up, no row is lost, and an export returns the same values.
 *
 * The metadata is put into `state.metadata` directly rather than through `POST /api/metadata`,
 * so this suite does not depend on the metadata import module; admin gets its capture org unit
 * over HTTP (`PATCH /api/users/{id}`), as a user of a real server would do it.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BasicAuth, createDataValues, type DataValue, Dhis2Client } from "@dhis2w/client";
import { dataValuesFromFile, exportDataValuesToFile } from "@dhis2w/client/node";
import { DEMO_USERS, type Emulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const play = path.resolve(root, "../shared/dhis2/play");
const valuesFile = path.join(play, "data_values.json.gz");
const haveData = existsSync(valuesFile) && existsSync(path.join(play, "metadata.json"));
const SIERRA_LEONE = "ImspTQPwCqd";
const TOTAL = 188_701;

async function loadRealMetadata(emu: Emulator): Promise<void> {
  const meta = JSON.parse(readFileSync(path.join(play, "metadata.json"), "utf8")) as Record<string, unknown>;
  for (const plural of [
    "dataElements",
    "categoryOptionCombos",
    "categoryCombos",
    "dataSets",
    "optionSets",
    "options",
  ]) {
    for (const obj of (meta[plural] as { id: string }[] | undefined) ?? [])
      emu.state.metadata.put(plural, obj);
  }
  const ous = JSON.parse(readFileSync(path.join(play, "organisation_units.json"), "utf8")) as {
    id: string;
  }[];
  for (const ou of ous) emu.state.metadata.put("organisationUnits", ou);
  const res = await call(emu, `/api/users/${DEMO_USERS.admin.id}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json-patch+json" },
    body: JSON.stringify([{ op: "replace", path: "/organisationUnits", value: [{ id: SIERRA_LEONE }] }]),
  });
  if (res.status !== 200) throw new Error(`PATCH admin's org units: HTTP ${res.status} ${await res.text()}`);
}

const key = (v: DataValue) =>
  `${v.dataElement}|${v.period}|${v.orgUnit}|${v.categoryOptionCombo ?? ""}|${v.attributeOptionCombo ?? ""}`;

// Skipped when ../shared (the real DHIS2 export, read-only, outside the repo) is absent.
describe.skipIf(!haveData)("the Sierra Leone data values (188,701 rows)", () => {
  const start = useEmulator();
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dhis2w-dv-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function setup() {
    const emu = await start({ version: "v42", seed: "demo" });
    await loadRealMetadata(emu);
    const client = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    return { emu, client, dv: createDataValues(client) };
  }

  it("imports every row from the gzipped file and exports the same values", async () => {
    const { client, dv } = await setup();
    let progressCalls = 0;
    const result = await dv.import(dataValuesFromFile(valuesFile), {
      chunkSize: 10_000,
      concurrency: 2,
      onProgress: () => progressCalls++,
    });
    expect(result.rowsRead).toBe(TOTAL);
    expect(result.failedChunks).toEqual([]);
    expect(result.conflicts).toEqual([]);
    expect(result.importCount.imported + result.importCount.updated).toBe(TOTAL);
    expect(result.balanced).toBe(true);
    expect(progressCalls).toBe(result.chunks);

    const input = new Map<string, string | null | undefined>();
    for await (const v of dataValuesFromFile(valuesFile)) input.set(key(v), v.value);
    const dataSets = JSON.parse(readFileSync(path.join(play, "metadata.json"), "utf8")).dataSets as {
      id: string;
    }[];
    const out = path.join(dir, "export.json.gz");
    await exportDataValuesToFile(client, out, {
      dataSet: dataSets.map((d) => d.id),
      startDate: "2025-01-01",
      endDate: "2025-12-31",
      orgUnit: SIERRA_LEONE,
      children: true,
    });
    let exported = 0;
    for await (const v of dataValuesFromFile(out)) {
      exported++;
      expect(input.get(key(v))).toBe(v.value);
    }
    expect(exported).toBe(input.size);
    await client.close();
  }, 180_000);

  it("names row k when row k of the stream has an unknown org unit; every other row lands", async () => {
    const { client, dv } = await setup();
    const k = 123_457;
    async function* withBadRow() {
      let i = 0;
      for await (const v of dataValuesFromFile(valuesFile)) {
        yield i === k ? { ...v, orgUnit: "NoSuchOrgUn" } : v;
        i++;
      }
    }
    const result = await dv.import(withBadRow(), { chunkSize: 10_000 });
    expect(result.rowsRead).toBe(TOTAL);
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0]).toMatchObject({ errorCode: "E7612", indexes: [k] });
    expect(result.rejectedIndexes).toEqual([k]);
    expect(result.importCount.imported).toBe(TOTAL - 1);
    expect(result.importCount.ignored).toBe(1);
    expect(result.balanced).toBe(true);
    await client.close();
  }, 180_000);
});
