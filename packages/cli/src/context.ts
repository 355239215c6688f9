/**
 * What a command's `run` gets: the global options, output helpers that never print a secret, and
 * the profile to connect with.
 */
import type { Writable } from "node:stream";
import type { RequestEvent, ResponseEvent } from "@dhis2w/client";
import type { Profile, ProfileLocationOptions, ServiceOptions } from "@dhis2w/core";
import { type Column, formatRecord, formatTable } from "./output.js";
import { SECRET_ENV_KEYS, scrub, secretsOf } from "./redact.js";

/** Where the CLI reads and writes; injected so the CLI runs in-process in tests and examples. */
export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The global options. */
export interface GlobalOptions {
  profile?: string;
  json?: boolean;
  verbose?: boolean;
}

/**
 * One invocation's context. Everything written through it is scrubbed of every secret d2w has
 * seen (profile secrets, secret flags, secret environment variables).
 */
export class CliContext {
  readonly profileName: string | undefined;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly io: CliIO;
  readonly #secrets = new Set<string>();

  constructor(io: CliIO, globals: GlobalOptions) {
    this.io = io;
    this.profileName = globals.profile;
    this.json = globals.json === true;
    this.verbose = globals.verbose === true;
    for (const key of SECRET_ENV_KEYS) {
      const v = io.env[key];
      if (v) this.#secrets.add(v);
    }
  }

  /** Remembers secrets so that nothing printed later can contain them. */
  addSecrets(...values: (string | undefined)[]): void {
    for (const v of values) if (v) this.#secrets.add(v);
  }

  /** Scrubs known secrets out of `text`. */
  scrub(text: string): string {
    return scrub(text, this.#secrets);
  }

  /** Where profile files are looked up: the invocation's cwd and environment. */
  get location(): ProfileLocationOptions {
    return { start: this.io.cwd, env: this.io.env };
  }

  /** A line (or block) on stdout. */
  out(text: string): void {
    this.io.stdout.write(`${this.scrub(text)}\n`);
  }

  /** A line on stderr (progress, notes). */
  err(text: string): void {
    this.io.stderr.write(`${this.scrub(text)}\n`);
  }

  /** A `--verbose` trace line on stderr. */
  debug(text: string): void {
    if (this.verbose) this.io.stderr.write(`d2w: debug: ${this.scrub(text)}\n`);
  }

  /** JSON on stdout (what `--json` prints). */
  printJson(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }

  /** Rows as JSON with `--json`, else as a table (`empty` when there are none). */
  printRows<T>(rows: readonly T[], columns: readonly Column<T>[], empty = "(none)"): void {
    if (this.json) this.printJson(rows);
    else this.out(rows.length === 0 ? empty : formatTable(rows, columns));
  }

  /** One object as JSON with `--json`, else `key: value` lines. */
  printRecord(record: Record<string, unknown>): void {
    if (this.json) this.printJson(record);
    else this.out(formatRecord(record));
  }

  /**
   * The profile to use (`--profile`, else `DHIS2_PROFILE`, raw env, project default, global
   * default); its secrets join the scrub list.
   */
  async resolve(): Promise<Profile> {
    const { explainProfile } = await import("@dhis2w/core");
    // The profile carries its provenance: core's openClient finds an OAuth2 profile's stored token.
    const { profile, name, source } = explainProfile(this.profileName, this.location);
    this.addSecrets(...secretsOf(profile));
    this.debug(`profile ${name ?? "(from env)"} via ${source}: ${profile.auth} ${profile.baseUrl}`);
    return profile;
  }

  /** Client options: the token store found from cwd/env, and with `--verbose` a request trace. */
  clientOptions(): ServiceOptions {
    const opts: ServiceOptions = { start: this.io.cwd, env: this.io.env };
    if (!this.verbose) return opts;
    return {
      ...opts,
      onRequest: (e: RequestEvent) => this.debug(`-> ${e.method} ${e.url} (attempt ${e.attempt})`),
      onResponse: (e: ResponseEvent) =>
        this.debug(`<- ${e.status} ${e.method} ${e.url} in ${Math.round(e.durationMs)} ms`),
    };
  }
}

/** Right-hand part of a progress line: rewritten in place on a terminal, one line per update otherwise. */
export class ProgressLine {
  #last = "";
  constructor(private readonly ctx: CliContext) {}

  update(text: string): void {
    const line = this.ctx.scrub(text);
    if (line === this.#last) return;
    this.#last = line;
    if (this.ctx.io.stderr.isTTY) this.ctx.io.stderr.write(`\r\u001b[2K${line}`);
    else this.ctx.io.stderr.write(`${line}\n`);
  }

  done(): void {
    if (this.ctx.io.stderr.isTTY && this.#last) this.ctx.io.stderr.write("\n");
    this.#last = "";
  }
}
