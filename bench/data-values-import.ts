/**
 * `client.dataValues.import(dataValuesFromFile(gz))` of the real Sierra Leone export (188,701
 * values, gzipped JSON) and of a synthetic file 10x that size (the same rows for ten different
 * years), each import in a client process of its own so its peak RSS is the client's alone; the
 * emulator runs in yet another process (`bench/processes.ts`), fresh per import and holding the
 * real metadata (POSTed to `/api/metadata`). Reports values per second and the ratio of the
 * client's peak RSS 10x / 1x: the aim is below 1.5 (memory stays flat as the file grows).
 *
 *   npm run bench -- data-values-import
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { dataValuesFromFile } from "@dhis2w/client/node";
import { type Benchmark, machineNote, today } from "./harness.js";
import {
  assignAdminOrgUnits,
  importPlayMetadata,
  REAL_VALUES as REAL,
  writeScaledValues,
} from "./play-data.js";
import { median, runChild, selfPeakRssMb, spawnEmulator } from "./processes.js";

const SCRIPT = fileURLToPath(import.meta.url);
const CHUNK_SIZE = 10_000;
const CONCURRENCY = 2;
/** Runs per scale, alternating 1x and 10x so drift on the shared machine hits both alike. */
const RUNS = 3;

interface ChildResult {
  rows: number;
  imported: number;
  conflicts: number;
  balanced: boolean;
  ms: number;
  /** RSS once connected, before the import: the process's floor. */
  connectedRssMb: number;
  peakRssMb: number;
}

interface Run extends ChildResult {
  scale: number;
  emulatorPeakRssMb: number;
}

/** Child: imports one file and prints one JSON line (its own timing and peak RSS). */
async function child(url: string, file: string): Promise<void> {
  const client = await Dhis2Client.open({
    baseUrl: url,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  const connectedRssMb = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  const result = await client.dataValues.import(dataValuesFromFile(file), {
    chunkSize: CHUNK_SIZE,
    concurrency: CONCURRENCY,
  });
  const ms = performance.now() - started;
  await client.close();
  const out: ChildResult = {
    rows: result.rowsRead,
    imported: result.importCount.imported,
    conflicts: result.conflicts.length,
    balanced: result.balanced,
    ms,
    connectedRssMb,
    peakRssMb: selfPeakRssMb(),
  };
  console.log(JSON.stringify(out));
}

async function importOnce(scale: number, file: string): Promise<Run> {
  const emu = await spawnEmulator();
  try {
    await importPlayMetadata(emu.url);
    await assignAdminOrgUnits(emu.url, ["ImspTQPwCqd"]);
    const r = await runChild<ChildResult>(SCRIPT, [emu.url, file]);
    return { ...r, scale, emulatorPeakRssMb: emu.rss()?.peak ?? Number.NaN };
  } finally {
    await emu.stop();
  }
}

const mb = (x: number): string => x.toFixed(0);
const rate = (r: ChildResult): number => r.rows / (r.ms / 1000);
const int = (x: number): string => Math.round(x).toLocaleString("en");

export const dataValuesImport: Benchmark = {
  id: "data-values-import",
  title: "Data values import: values/s and client memory, 1x vs 10x the real export",
  async run() {
    if (!existsSync(REAL)) {
      const why = `skipped: ${REAL} is absent (real data lives in ../shared, outside the repository)`;
      return { lines: [why], markdown: why };
    }
    const dir = await mkdtemp(path.join(tmpdir(), "dhis2w-bench-dv-"));
    try {
      const tenFile = path.join(dir, "data_values_10x.json.gz");
      const realBytes = (await stat(REAL)).size;
      const tenBytes = await writeScaledValues(tenFile, 10);
      const files: Record<number, string> = { 1: REAL, 10: tenFile };
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        for (const scale of i % 2 === 0 ? [1, 10] : [10, 1]) {
          const r = await importOnce(scale, files[scale] as string);
          console.log(
            `   run ${i + 1} ${scale}x: ${int(r.rows)} values in ${(r.ms / 1000).toFixed(1)} s = ${int(rate(r))}/s, client peak RSS ${mb(r.peakRssMb)} MB`,
          );
          runs.push(r);
        }
      }
      const of = (scale: number) => runs.filter((r) => r.scale === scale);
      const summary = (scale: number) => {
        const rs = of(scale);
        return {
          rows: rs[0]?.rows ?? 0,
          imported: median(rs.map((r) => r.imported)),
          conflicts: Math.max(...rs.map((r) => r.conflicts)),
          balanced: rs.every((r) => r.balanced),
          seconds: median(rs.map((r) => r.ms / 1000)),
          rate: median(rs.map(rate)),
          connected: median(rs.map((r) => r.connectedRssMb)),
          peak: Math.max(...rs.map((r) => r.peakRssMb)),
          emulator: Math.max(...rs.map((r) => r.emulatorPeakRssMb)),
        };
      };
      const one = summary(1);
      const ten = summary(10);
      const ratio = ten.peak / one.peak;
      const verdict = ratio < 1.5 ? "meets the < 1.5 aim: flat" : "misses the < 1.5 aim: memory grows";
      const row = (label: string, bytes: number, s: ReturnType<typeof summary>) =>
        `| ${label} | ${(bytes / 1e6).toFixed(1)} MB | ${int(s.rows)} | ${int(s.imported)} | ${s.conflicts} | ${s.balanced} | ${s.seconds.toFixed(1)} | **${int(s.rate)}** | ${mb(s.connected)} | **${mb(s.peak)}** | ${mb(s.emulator)} |`;
      return {
        lines: [
          `1x: ${int(one.rate)} values/s (median of ${RUNS}), client peak RSS ${mb(one.peak)} MB`,
          `10x: ${int(ten.rate)} values/s (median of ${RUNS}), client peak RSS ${mb(ten.peak)} MB`,
          `client peak RSS 10x / 1x = ${ratio.toFixed(2)} (${verdict})`,
        ],
        markdown: [
          "`client.dataValues.import(dataValuesFromFile(file), { chunkSize: " +
            `${String(CHUNK_SIZE).replace(/\B(?=(\d{3})+$)/g, "_")}, concurrency: ${CONCURRENCY} })\` from a gzipped JSON file: the real Sierra Leone`,
          "export (`../shared/dhis2/play/data_values.json.gz`, 188,701 values) and a synthetic file of 10x",
          "those rows (the same values for ten different years, so none collide), generated to a temp",
          "file before measuring. Each import runs in a client process of its own (peak RSS is its",
          "`getrusage` maximum, so the figure is the client's alone), against a fresh v42 emulator in",
          "another process that holds the real metadata (`POST /api/metadata` with `metadata.json` and",
          `the 1,332 org units). ${RUNS} imports per size, alternating 1x and 10x; time and rate are`,
          "medians, peak RSS the largest seen. Time runs from the first read of the file to the last",
          "import summary, so it includes gunzip, parsing, the HTTP round trips and the emulator's",
          "own import work (which shares the machine's two cores with the client).",
          "",
          "| file | size | values | imported | conflicts | balanced | seconds | values/s | client RSS connected MB | client peak RSS MB | emulator peak RSS MB |",
          "|---|---|---|---|---|---|---|---|---|---|---|",
          row("real (1x)", realBytes, one),
          row("synthetic (10x)", tenBytes, ten),
          "",
          `**Client peak RSS 10x / 1x: ${ratio.toFixed(2)}** (${verdict}). Throughput: ${int(one.rate)} values/s at 1x,`,
          `${int(ten.rate)} values/s at 10x. Above the process's floor once connected (tsx, the client, zod:`,
          `${mb(one.connected)} MB) the import itself adds ${mb(one.peak - one.connected)} MB at 1x and ${mb(ten.peak - ten.connected)} MB at 10x`,
          `(ratio ${((ten.peak - ten.connected) / (one.peak - one.connected)).toFixed(2)}).`,
          "",
          `Measured ${today()} on ${machineNote()}. Runner process peak RSS ${mb(selfPeakRssMb())} MB (not part of the figures).`,
        ].join("\n"),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

const entry = process.argv[1];
if (entry && pathToFileURL(entry).href === import.meta.url && process.argv.includes("--child")) {
  const i = process.argv.indexOf("--child");
  child(process.argv[i + 1] ?? "", process.argv[i + 2] ?? "").catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
