/**
 * Benchmark: `client.dataValues.import` of the Sierra Leone export (188,701 values, gzipped JSON)
 * and of 10x that (synthetic: the same rows for ten different years), each run in its own child
 * process so its peak RSS is its own. The emulator runs in this (parent) process. Reports values
 * per second and the ratio of peak RSS 10x / 1x (the aim: below 1.5, i.e. flat client memory).
 *
 *   npx tsx --conditions=source bench/data-values-import.ts [--chunk-size 10000] [--concurrency 2]
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BasicAuth, createDataValues, type DataValue, Dhis2Client } from "@dhis2w/client";
import { startEmulator } from "@dhis2w/emulator";
import { dataValuesFromFile } from "../packages/client/src/node/data-values-files.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const play = path.resolve(here, "../../shared/dhis2/play");
const valuesFile = path.join(play, "data_values.json.gz");

interface ChildResult {
  scale: number;
  rows: number;
  ms: number;
  maxRssMb: number;
  balanced: boolean;
  conflicts: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function* scaled(scale: number): AsyncGenerator<DataValue> {
  for (let rep = 0; rep < scale; rep++) {
    for await (const v of dataValuesFromFile(valuesFile)) {
      // Shift the year so each repetition is a new set of values (2025 -> 2015..2024 for 10x).
      yield rep === 0 ? v : { ...v, period: `${Number(v.period.slice(0, 4)) - rep}${v.period.slice(4)}` };
    }
  }
}

/** Child: imports and prints one JSON line with its own peak RSS. */
async function child(url: string, scale: number): Promise<void> {
  const client = await Dhis2Client.open({
    baseUrl: url,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  const started = performance.now();
  const result = await createDataValues(client).import(
    scale === 1 ? dataValuesFromFile(valuesFile) : scaled(scale),
    {
      chunkSize: arg("--chunk-size", 10_000),
      concurrency: arg("--concurrency", 2),
    },
  );
  const ms = performance.now() - started;
  await client.close();
  const out: ChildResult = {
    scale,
    rows: result.rowsRead,
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    balanced: result.balanced,
    conflicts: result.conflicts.length,
  };
  console.log(JSON.stringify(out));
}

function runChild(url: string, scale: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const args = [
      "--import",
      "tsx",
      "--conditions=source",
      fileURLToPath(import.meta.url),
      "--child",
      url,
      String(scale),
      ...process.argv.slice(2),
    ];
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    proc.stdout.on("data", (d) => {
      stdout += d;
    });
    proc.on("error", reject);
    proc.on("close", (code) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0) reject(new Error(`child (scale ${scale}) exited with ${code}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}

export async function main(): Promise<void> {
  if (!existsSync(valuesFile)) {
    console.log(`skipped: ${valuesFile} is absent (it lives in ../shared, outside the repository)`);
    return;
  }
  const emu = await startEmulator({ version: "v42", port: 0, seed: "demo", maxBodyBytes: 512 * 1024 * 1024 });
  try {
    const meta = JSON.parse(readFileSync(path.join(play, "metadata.json"), "utf8")) as Record<
      string,
      { id: string }[]
    >;
    for (const plural of ["dataElements", "categoryOptionCombos", "categoryCombos", "dataSets"]) {
      for (const obj of meta[plural] ?? []) emu.state.metadata.put(plural, obj);
    }
    const ous = JSON.parse(readFileSync(path.join(play, "organisation_units.json"), "utf8")) as {
      id: string;
    }[];
    for (const ou of ous) emu.state.metadata.put("organisationUnits", ou);
    const admin = emu.state.users.byUsername("admin");
    if (admin) admin.organisationUnits = ["ImspTQPwCqd"];

    const results: ChildResult[] = [];
    for (const scale of [1, 10]) {
      const r = await runChild(emu.url, scale);
      results.push(r);
      console.log(
        `${scale}x: ${r.rows.toLocaleString("en")} values in ${(r.ms / 1000).toFixed(1)} s = ` +
          `${Math.round(r.rows / (r.ms / 1000)).toLocaleString("en")} values/s; client peak RSS ${r.maxRssMb.toFixed(0)} MB; ` +
          `balanced=${r.balanced} conflicts=${r.conflicts}`,
      );
    }
    const [one, ten] = results;
    if (one && ten) {
      const ratio = ten.maxRssMb / one.maxRssMb;
      console.log(`peak RSS 10x / 1x = ${ratio.toFixed(2)} (aim < 1.5): ${ratio < 1.5 ? "flat" : "GROWS"}`);
      console.log(
        `emulator process RSS after both runs: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`,
      );
    }
  } finally {
    await emu.close();
  }
}

const entry = process.argv[1];
if (process.argv.includes("--child")) {
  const i = process.argv.indexOf("--child");
  child(process.argv[i + 1] ?? "", Number(process.argv[i + 2] ?? 1)).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
} else if (entry && pathToFileURL(entry).href === import.meta.url) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
