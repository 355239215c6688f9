/**
 * What importing the BUILT client costs a fresh process: `node -e "await import('@dhis2w/client')"`
 * (resolved through the package's `exports` to `dist/`, no `source` condition) against a bare
 * `node -e 0` with the same flags, many interleaved runs, median difference in ms. Also the
 * `@dhis2w/client/v42` subpath (a version's generated types and table) and the time to the first
 * `connect()`, which loads the version's resource table lazily. The aim: the generated code adds
 * under 30 ms to the plain import.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@dhis2w/emulator";
import { type Benchmark, machineNote, today } from "./harness.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = fileURLToPath(new URL("../packages/client/dist/index.js", import.meta.url));
const TSC = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
const RUNS = 30;

/**
 * In-child timings of the connect case, printed as JSON on stdout: the import, loading the v42
 * resource table (what the first `connect()` imports lazily), the connect itself with the table
 * already loaded, a second client's connect, and loading the v42 validators (lazy as well).
 */
const CONNECT_SCRIPT = `
const t0 = performance.now();
const { BasicAuth, Dhis2Client, loadResourceTable } = await import("@dhis2w/client");
const t1 = performance.now();
await loadResourceTable("v42");
const t2 = performance.now();
const auth = new BasicAuth({ username: "admin", password: "district" });
const first = new Dhis2Client({ baseUrl: process.env.DHIS2W_BENCH_URL, auth });
await first.connect();
const t3 = performance.now();
const second = new Dhis2Client({ baseUrl: process.env.DHIS2W_BENCH_URL, auth });
await second.connect();
const t4 = performance.now();
await (await import("@dhis2w/client/v42")).loadValidators();
const t5 = performance.now();
await first.close();
await second.close();
console.log(JSON.stringify({ importMs: t1 - t0, tableMs: t2 - t1, firstConnectMs: t3 - t2, secondConnectMs: t4 - t3, validatorsMs: t5 - t4 }));
`;

type InChild = Record<"importMs" | "tableMs" | "firstConnectMs" | "secondConnectMs" | "validatorsMs", number>;

interface Case {
  readonly name: string;
  readonly code: string;
}

const CASES: readonly Case[] = [
  { name: "node -e 0 (baseline)", code: "0" },
  { name: "import('zod') (the one dependency)", code: `await import("zod")` },
  { name: "import('@dhis2w/client')", code: `await import("@dhis2w/client")` },
  { name: "import('@dhis2w/client/v42')", code: `await import("@dhis2w/client/v42")` },
  { name: "import, 2 connect()s, v42 validators", code: CONNECT_SCRIPT },
];

/** Wall time of one fresh `node` running `code` as an ES module from the repo root. */
function timeProcess(code: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // No --conditions=source: the package's exports resolve to dist/, as for a user.
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (status) => {
      const ms = performance.now() - started;
      if (status !== 0) reject(new Error(`node -e exited ${status}: ${stderr.trim().slice(0, 500)}`));
      else resolve({ ms, stdout });
    });
  });
}

/** Brings dist/ up to date (`tsc -b` is incremental); keeps an existing dist if the build fails. */
function ensureBuilt(): string {
  const r = spawnSync(process.execPath, [TSC, "-b", "packages/client"], { cwd: ROOT, encoding: "utf8" });
  if (r.status === 0) return "built with `tsc -b packages/client` just before measuring";
  if (existsSync(DIST)) {
    return `\`tsc -b packages/client\` failed (${r.stdout.split("\n")[0]?.slice(0, 160)}); measured the existing dist/`;
  }
  throw new Error(`packages/client/dist is missing and tsc -b failed:\n${r.stdout}${r.stderr}`);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fmt = (ms: number): string => ms.toFixed(1);

export const importTime: Benchmark = {
  id: "import-time",
  title: "Import time of the built client package",
  async run() {
    const build = ensureBuilt();
    await using emu = await startEmulator({ version: "v42", port: 0, seed: "empty" });
    const env = { ...process.env, DHIS2W_BENCH_URL: emu.url, NODE_OPTIONS: "" };

    // Warm the OS file cache for every case, then interleave the cases run by run so that load
    // drift on the shared machine hits all of them alike; differences are paired per run.
    for (const c of CASES) await timeProcess(c.code, env);
    const wall = CASES.map(() => [] as number[]);
    const diffs = CASES.map(() => [] as number[]);
    const inChild: InChild[] = [];
    for (let run = 0; run < RUNS; run++) {
      const times: number[] = [];
      for (const [i, c] of CASES.entries()) {
        const { ms, stdout } = await timeProcess(c.code, env);
        times.push(ms);
        wall[i]!.push(ms);
        if (c.code === CONNECT_SCRIPT) inChild.push(JSON.parse(stdout.trim()));
      }
      for (const [i, ms] of times.entries()) diffs[i]!.push(ms - times[0]!);
    }

    const addedBy = (name: string) => median(diffs[CASES.findIndex((c) => c.name.startsWith(name))]!);
    const zodMs = addedBy("import('zod')");
    const clientMs = addedBy("import('@dhis2w/client')");
    const v42Ms = addedBy("import('@dhis2w/client/v42')");
    const child = (k: keyof InChild) => median(inChild.map((x) => x[k]));
    const tableMs = child("tableMs");
    // The generated code a plain import pulls in is the registry (a switch over lazy imports) and,
    // for the ./v42 subpath, the version's enums; the tables and validators load on first use.
    const generatedMs = Math.max(v42Ms, tableMs);
    const verdict = generatedMs < 30 ? "meets the under-30 ms aim" : "over the 30 ms aim";
    const rows = CASES.map(
      (c, i) => `| ${c.name} | ${fmt(median(wall[i]!))} | ${i === 0 ? "—" : `+${fmt(median(diffs[i]!))}`} |`,
    );
    const childRow = (what: string, k: keyof InChild) => `| ${what} | ${fmt(child(k))} |`;
    return {
      lines: [
        ...CASES.map(
          (c, i) => `${c.name.padEnd(36)} ${fmt(median(wall[i]!))} ms (+${fmt(median(diffs[i]!))})`,
        ),
        `in-process: import ${fmt(child("importMs"))} ms, v42 table ${fmt(tableMs)} ms, first connect() ${fmt(child("firstConnectMs"))} ms, second ${fmt(child("secondConnectMs"))} ms, v42 validators ${fmt(child("validatorsMs"))} ms`,
        `client import adds ${fmt(clientMs)} ms, zod alone ${fmt(zodMs)} ms; generated code: ./v42 +${fmt(v42Ms)} ms, v42 table ${fmt(tableMs)} ms (${verdict})`,
        build,
      ],
      markdown: [
        "Fresh `node --input-type=module -e ...` processes from the repo root, importing the BUILT package",
        "(`exports` resolve to `packages/client/dist`, no `source` condition), against the same command",
        `running \`0\`. ${RUNS} runs per case after one warm-up each, the cases interleaved run by run;`,
        '"added" is the median of the per-run differences to the baseline. The connect case connects to',
        "a v42 emulator on loopback (twice: two clients) and loads the v42 validators, timing each step.",
        "",
        "| case | wall ms (median) | added ms (median) |",
        "|---|---|---|",
        ...rows,
        "",
        "Inside the connect process (`performance.now()` around each step, medians):",
        "",
        "| step | ms |",
        "|---|---|",
        childRow('`await import("@dhis2w/client")`', "importMs"),
        childRow('`loadResourceTable("v42")` (what the first `connect()` imports)', "tableMs"),
        childRow("first `connect()`, table already loaded (first `fetch` warms undici)", "firstConnectMs"),
        childRow("a second client's `connect()`", "secondConnectMs"),
        childRow('`(await import("@dhis2w/client/v42")).loadValidators()`', "validatorsMs"),
        "",
        `**The client import adds ${fmt(clientMs)} ms, of which ${fmt(zodMs)} ms is importing zod.** The generated`,
        `code on the import path is the registry (lazy imports only) and, for \`@dhis2w/client/v42\`, that`,
        `version's enums (+${fmt(v42Ms)} ms); the v42 resource table loads on the first \`connect()\` in`,
        `${fmt(tableMs)} ms (${verdict}). Time to a first connected client: ${fmt(clientMs)} ms import +`,
        `${fmt(tableMs + child("firstConnectMs"))} ms to connect.`,
        "",
        `Measured ${today()} on ${machineNote()}; dist ${build}.`,
      ].join("\n"),
    };
  },
};
