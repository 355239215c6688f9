/**
 * Runs `d2w` in-process through `run(argv, io)`, the same entry point `bin.ts` calls, with its own
 * streams, environment and working directory: nothing of the machine's profiles is read, and
 * stdout/stderr come back exactly as written (as bytes, so nothing is re-encoded on the way).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { run } from "../../src/program.js";

/** What one run printed and returned. */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  readonly chunks: Buffer[] = [];
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, "utf8"));
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** A temporary HOME/XDG_CONFIG_HOME and project folder for in-process runs. */
export class InProcessCli {
  readonly root = mkdtempSync(path.join(os.tmpdir(), "d2w-inproc-"));
  readonly cwd = path.join(this.root, "project");
  readonly configHome = path.join(this.root, "config");
  /** Variables for every run (e.g. DHIS2_URL, DHIS2_PASSWORD). */
  env: Record<string, string> = {};

  constructor() {
    mkdirSync(this.cwd, { recursive: true });
    mkdirSync(this.configHome, { recursive: true });
  }

  /**
   * Runs `d2w ...argv`; `env` adds to (or overrides) the sandbox's variables; `stdin` is what is
   * piped in (none: no standard input at all).
   */
  async run(
    argv: readonly string[],
    env: Record<string, string> = {},
    options: { stdin?: string } = {},
  ): Promise<InProcessResult> {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await run(argv, {
      stdout,
      stderr,
      ...(options.stdin !== undefined ? { stdin: Readable.from([Buffer.from(options.stdin, "utf8")]) } : {}),
      cwd: this.cwd,
      env: { HOME: this.root, XDG_CONFIG_HOME: this.configHome, ...this.env, ...env },
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
