/**
 * Runs the real `d2w` entry point in a child process (through tsx, from the TypeScript sources)
 * with an isolated environment: a temporary HOME/XDG_CONFIG_HOME and working directory, so no
 * real profile or token file is read or written.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
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

  #command(args: readonly string[], opts: { env?: Record<string, string>; traceFile?: string }) {
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
    return { argv: [...nodeArgs, BIN, ...args], env };
  }

  /** Runs `d2w ...args`; `traceFile` records every module the process resolved. */
  run(
    args: readonly string[],
    opts: { env?: Record<string, string>; traceFile?: string } = {},
  ): Promise<CliResult> {
    const { argv, env } = this.#command(args, opts);
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        argv,
        { cwd: this.cwd, env, maxBuffer: 32 * 1024 * 1024, encoding: "utf8" },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== "number") return reject(error);
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
        },
      );
    });
  }

  /**
   * Starts `d2w ...args` and returns at once, for commands a test talks to while they run (a
   * login waiting for its browser, a server waiting for SIGTERM).
   */
  start(args: readonly string[], opts: { env?: Record<string, string> } = {}): RunningCli {
    const { argv, env } = this.#command(args, opts);
    const child = spawn(process.execPath, argv, { cwd: this.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    this.#children.add(child);
    return new RunningCli(child, () => this.#children.delete(child));
  }

  readonly #children = new Set<ChildProcess>();

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  dispose(): void {
    // A test that failed half-way must not leave its d2w process running.
    for (const child of this.#children) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A `d2w` process a test started with {@link CliSandbox.start}. */
export class RunningCli {
  stdout = "";
  stderr = "";
  /** Resolves with the exit code (or the signal's name) and everything printed. */
  readonly exited: Promise<CliResult & { signal: NodeJS.Signals | null }>;
  readonly #waiters = new Set<() => void>();
  #closed = false;

  constructor(
    readonly child: ChildProcess,
    onExit: () => void,
  ) {
    child.stdout?.setEncoding("utf8").on("data", (s: string) => this.#append("stdout", s));
    child.stderr?.setEncoding("utf8").on("data", (s: string) => this.#append("stderr", s));
    this.exited = new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => {
        onExit();
        this.#closed = true;
        for (const wake of this.#waiters) wake();
        resolve({ code: code ?? -1, signal, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  #append(stream: "stdout" | "stderr", text: string): void {
    this[stream] += text;
    for (const wake of this.#waiters) wake();
  }

  /**
   * The first match of `pattern` in what the process printed on `stream`, once it appears;
   * rejects (with everything printed so far) if the process exits first.
   */
  waitFor(stream: "stdout" | "stderr", pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(this[stream]);
        if (m) {
          this.#waiters.delete(check);
          resolve(m);
        } else if (this.#closed) {
          this.#waiters.delete(check);
          reject(
            new Error(
              `d2w exited (${this.child.exitCode ?? this.child.signalCode}) before printing ${pattern} on ${stream}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`,
            ),
          );
        }
      };
      this.#waiters.add(check);
      check();
    });
  }
}
