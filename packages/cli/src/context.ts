/**
 * What a command's `run` gets: the global options, output helpers, and the profile to connect
 * with. Output is written exactly as given: what DHIS2 sent is printed byte for byte. Secrets stay
 * out by position instead: the client masks credentials in its errors and traces, profile views
 * mask secret fields, and d2w never puts a secret field or a URL's user info into a message.
 */
import type { Writable } from "node:stream";
import type { Dhis2Client, Profile, RequestEvent, ResponseEvent } from "@dhis2w/client";
import type { ProfileLocationOptions, ServiceOptions } from "@dhis2w/core";
import { type Column, formatRecord, formatTable } from "./output.js";
import { sameBaseUrl, withoutUserinfo } from "./urls.js";

/** Where the CLI reads and writes; injected so the CLI runs in-process in tests and examples. */
export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Where `d2w datastore set` reads a value piped in (absent: nothing can be piped). */
  stdin?: AsyncIterable<Buffer | string> & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The global options. */
export interface GlobalOptions {
  profile?: string;
  json?: boolean;
  verbose?: boolean;
}

/** One invocation's context. */
export class CliContext {
  readonly profileName: string | undefined;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly io: CliIO;

  constructor(io: CliIO, globals: GlobalOptions) {
    this.io = io;
    this.profileName = globals.profile;
    this.json = globals.json === true;
    this.verbose = globals.verbose === true;
  }

  /** Where profile files are looked up: the invocation's cwd and environment. */
  get location(): ProfileLocationOptions {
    return { start: this.io.cwd, env: this.io.env };
  }

  /** A line (or block) on stdout. */
  out(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** A line on stderr (progress, notes). */
  err(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /** A `--verbose` trace line on stderr. */
  debug(text: string): void {
    if (this.verbose) this.io.stderr.write(`d2w: debug: ${text}\n`);
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
   * default).
   */
  async resolve(): Promise<Profile> {
    const { explainProfile } = await import("@dhis2w/core");
    // The profile carries its provenance: core's openClient finds an OAuth2 profile's stored token.
    const { profile, name, source } = explainProfile(this.profileName, this.location);
    this.debug(
      `profile ${name ?? "(from env)"} via ${source}: ${profile.auth} ${withoutUserinfo(profile.baseUrl)}`,
    );
    return profile;
  }

  /**
   * Client options: the token store found from cwd/env, and with `--verbose` a request trace and
   * a line when the client settled on another base URL than the profile's (a redirect on connect).
   */
  clientOptions(): ServiceOptions {
    const opts: ServiceOptions = { start: this.io.cwd, env: this.io.env };
    if (!this.verbose) return opts;
    return {
      ...opts,
      onRequest: (e: RequestEvent) => this.debug(`-> ${e.method} ${e.url} (attempt ${e.attempt})`),
      onResponse: (e: ResponseEvent) =>
        this.debug(`<- ${e.status} ${e.method} ${e.url} in ${Math.round(e.durationMs)} ms`),
      onConnected: (client: Dhis2Client, profile: Profile) => {
        if (sameBaseUrl(client.baseUrl, profile.baseUrl)) return;
        this.debug(
          `connected to ${withoutUserinfo(client.baseUrl)} (the profile says ${withoutUserinfo(profile.baseUrl)})`,
        );
      },
    };
  }
}

/** Right-hand part of a progress line: rewritten in place on a terminal, one line per update otherwise. */
export class ProgressLine {
  #last = "";
  constructor(private readonly ctx: CliContext) {}

  update(line: string): void {
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
