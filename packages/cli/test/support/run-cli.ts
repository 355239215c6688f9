/**
 * Runs the real `d2w` entry point in a child process (through tsx, from the TypeScript sources)
 * with an isolated environment: a temporary HOME/XDG_CONFIG_HOME and working directory, so no
 * real profile or token file is read or written.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const BIN = path.resolve(here, "../../src/bin.ts");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const TRACE = pathToFileURL(path.join(here, "trace-register.mjs")).href;

/** What a run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A sandbox: its own config folder and project folder. */
export class CliSandbox {
  readonly root = mkdtempSync(path.join(os.tmpdir(), "d2w-cli-test-"));
  readonly cwd = path.join(this.root, "project");
  readonly configHome = path.join(this.root, "config");
  /** Extra variables for every run (e.g. DHIS2_PASSWORD). */
  env: Record<string, string> = {};

  constructor() {
    mkdirSync(this.cwd, { recursive: true });
    mkdirSync(this.configHome, { recursive: true });
  }

  /** Runs `d2w ...args`; `traceFile` records every module the process resolved. */
  run(
    args: readonly string[],
    opts: { env?: Record<string, string>; traceFile?: string } = {},
  ): Promise<CliResult> {
    const nodeArgs = ["--import", TSX, "--conditions=source"];
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: this.root,
      XDG_CONFIG_HOME: this.configHome,
      ...this.env,
      ...opts.env,
    };
    if (opts.traceFile) {
      nodeArgs.push("--import", TRACE);
      env.D2W_TRACE_FILE = opts.traceFile;
    }
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [...nodeArgs, BIN, ...args],
        { cwd: this.cwd, env, maxBuffer: 32 * 1024 * 1024, encoding: "utf8" },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== "number") return reject(error);
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
        },
      );
    });
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
