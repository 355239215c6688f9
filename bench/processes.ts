/**
 * Process plumbing for the benchmarks that measure memory: the emulator runs in a process of its
 * own (this file run with `--serve`), and each measured client run in another (a benchmark file
 * run with `--child`), so a client's peak RSS is its own and not the server's.
 *
 * `spawnFixedServer` runs a node:http server answering pre-serialised bodies in a child, for the
 * benchmarks where only the client's own cost should differ.
 *
 * The emulator child is `startEmulator` with a body limit large enough for the scaled imports
 * (the `dhis2w-emulator` CLI keeps the 64 MiB default). Admin's capture org unit is given over
 * HTTP after the metadata import (`assignAdminOrgUnits` in play-data.ts), as on a real server.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Peak (`VmHWM`) and current (`VmRSS`) resident set of a process, in MB, from /proc (Linux). */
export function procRssMb(pid: number): { peak: number; now: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
    return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * This process's peak RSS in MB: `VmHWM` from /proc/self/status. Not `getrusage`'s `ru_maxrss`:
 * on Linux a spawned child's max RSS starts from what the parent held when it forked (a child
 * reported 422 MB whose true peak was 40 MB). Falls back to `ru_maxrss` where there is no /proc.
 */
export const selfPeakRssMb = (): number =>
  procRssMb(process.pid)?.peak ?? process.resourceUsage().maxRSS / 1024;

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

function tsxNode(script: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=source", script, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
}

/** An emulator running in a child process. */
export interface EmulatorProcess {
  readonly url: string;
  readonly pid: number;
  /** Its RSS now and at peak, in MB (read from /proc). */
  rss(): { peak: number; now: number } | undefined;
  stop(): Promise<void>;
}

/** A child server started by `tsxNode`: its URL (its first stdout line), pid and a stop. */
interface ChildServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Waits for `child` to print its URL on its first stdout line; rejects if it exits first. */
function listening(child: ChildProcess, what: string): Promise<ChildServer> {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      child.stdout?.off("data", onData);
      const exited = new Promise<void>((r) => child.once("close", () => r()));
      resolve({
        url: out.slice(0, nl).trim(),
        pid: child.pid ?? -1,
        async stop() {
          child.kill("SIGTERM");
          await exited;
        },
      });
    };
    child.stdout?.on("data", onData);
    child.once("error", reject);
    child.once("close", (code) => reject(new Error(`${what} exited early with ${code}`)));
  });
}

/** Starts the emulator (seed "empty", v42) in a child process. */
export async function spawnEmulator(): Promise<EmulatorProcess> {
  const server = await listening(tsxNode(fileURLToPath(import.meta.url), ["--serve"]), "emulator process");
  return { ...server, rss: () => procRssMb(server.pid) };
}

/** Runs `script --child ...args` in a fresh process and parses the last stdout line as JSON. */
export function runChild<T>(script: string, args: readonly string[]): Promise<T> {
  const child = tsxNode(script, ["--child", ...args]);
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0)
        reject(new Error(`${path.basename(script)} --child ${args.join(" ")} exited with ${code}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}

/** A fixed-response server running in a child process. */
export type FixedServerProcess = ChildServer;

/**
 * Starts a node:http server in a child process that answers every request from a table of
 * pre-serialised JSON bodies, keyed by path (`/api/system/info`) or by path and page
 * (`/api/organisationUnits?page=3`, any other query parameters ignored). Unknown keys get 404.
 * The server does no work per request beyond a lookup, so what differs between two clients
 * against it is the clients' own cost.
 */
export async function spawnFixedServer(
  bodies: Readonly<Record<string, unknown>>,
): Promise<FixedServerProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), "dhis2w-bench-"));
  const file = path.join(dir, "bodies.json");
  writeFileSync(file, JSON.stringify(bodies));
  try {
    return await listening(tsxNode(fileURLToPath(import.meta.url), ["--fixed", file]), "fixed server");
  } finally {
    // The child has read the table once it prints its URL (or has exited).
    rmSync(dir, { recursive: true, force: true });
  }
}

async function serveFixed(file: string): Promise<void> {
  const { createServer } = await import("node:http");
  const table = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const bodies = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(table)) bodies.set(k, Buffer.from(JSON.stringify(v)));
  const notFound = Buffer.from(
    JSON.stringify({ httpStatusCode: 404, status: "ERROR", message: "not found" }),
  );
  const server = createServer((req, res) => {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const pathname = q < 0 ? raw : raw.slice(0, q);
    const page = q < 0 ? null : /[?&]page=(\d+)/.exec(raw.slice(q))?.[1];
    const body = (page ? bodies.get(`${pathname}?page=${page}`) : undefined) ?? bodies.get(pathname);
    res.writeHead(body ? 200 : 404, {
      "content-type": "application/json;charset=UTF-8",
      "content-length": (body ?? notFound).length,
    });
    res.end(body ?? notFound);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  process.stdout.write(`http://127.0.0.1:${port}\n`);
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

async function serve(argv: string[]): Promise<void> {
  parseArgs({ args: argv, options: { serve: { type: "boolean" } } });
  const { startEmulator } = await import("@dhis2w/emulator");
  const emu = await startEmulator({
    version: "v42",
    port: 0,
    seed: "empty",
    maxBodyBytes: 256 * 1024 * 1024,
  });
  process.stdout.write(`${emu.url}\n`);
  process.once("SIGTERM", () => {
    void emu.close().then(() => process.exit(0));
  });
}

const entry = process.argv[1];
const fixedAt = process.argv.indexOf("--fixed");
if (entry && pathToFileURL(entry).href === import.meta.url && fixedAt > 0) {
  serveFixed(process.argv[fixedAt + 1] ?? "").catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
if (entry && pathToFileURL(entry).href === import.meta.url && process.argv.includes("--serve")) {
  serve(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
