/**
 * The secret-hygiene sweep: register unique random sentinel secrets, feed it everything a user
 * could see (errors with their whole cause chain, trace events, logged lines, service results),
 * then ask which sentinel turned up where. Each secret is also looked for in the encodings it
 * travels in (URL-encoded, and base64 of `user:password` as in a Basic header).
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";

/** Where the sentinels of the last run are written, for `scripts/scan-secrets.ts`. */
export const SENTINELS_FILE = path.join(os.tmpdir(), "dhis2w-secret-sentinels.json");

/** A sentinel found in an observation. */
export interface Leak {
  secret: string;
  where: string;
  excerpt: string;
}

export class SecretSweep {
  /** label -> the forms to look for. */
  readonly #needles = new Map<string, string[]>();
  readonly #seen: { where: string; text: string }[] = [];

  /** A new random secret registered under `label` (prefix makes a failing report readable). */
  secret(label: string, prefix = "S"): string {
    const value = `${prefix}${randomBytes(18).toString("base64url")}`;
    this.register(label, value);
    return value;
  }

  /** Registers an existing secret (a PAT or token the server minted). */
  register(label: string, value: string): void {
    if (value.length < 8) throw new Error(`sentinel ${label} is too short to search for`);
    this.#needles.set(label, [...new Set([value, encodeURIComponent(value)])]);
  }

  /** Also look for the Basic-header form `base64(user:secret)` of a registered password or client secret. */
  registerBasic(label: string, user: string, secret: string): void {
    const b64 = Buffer.from(`${user}:${secret}`, "utf8").toString("base64");
    this.#needles.get(label)?.push(b64);
  }

  /** How many observations were collected (a sweep that saw nothing proves nothing). */
  get observations(): number {
    return this.#seen.length;
  }

  text(where: string, text: string | undefined): void {
    if (text !== undefined) this.#seen.push({ where, text });
  }

  /** Any value: its JSON and its `util.inspect` form. */
  value(where: string, value: unknown): void {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (e) {
      json = `JSON.stringify threw: ${String(e)}`;
    }
    this.text(`${where} (JSON)`, json);
    this.text(`${where} (inspect)`, inspect(value, { depth: 10, showHidden: false, getters: true }));
  }

  /** An error: message, stack, String(), JSON, inspect, and the same for every cause. */
  error(where: string, err: unknown): void {
    let current: unknown = err;
    for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
      const here = depth === 0 ? where : `${where} cause#${depth}`;
      if (current instanceof Error) {
        this.text(`${here} message`, current.message);
        this.text(`${here} stack`, current.stack);
        this.text(`${here} String`, String(current));
        const ownProps: Record<string, unknown> = {};
        for (const key of Object.getOwnPropertyNames(current)) {
          ownProps[key] = (current as unknown as Record<string, unknown>)[key];
        }
        this.value(`${here} own properties`, ownProps);
        // Getters on the prototype (webMessage, token ...) are what a debugger would show too.
        this.text(`${here} inspect`, inspect(current, { depth: 10, getters: true, showHidden: true }));
        this.text(`${here} JSON`, JSON.stringify(current));
        current = current.cause;
      } else {
        this.value(here, current);
        break;
      }
    }
  }

  /** Runs `fn`, which must fail, and sweeps the error; returns it for further checks. */
  async failure(where: string, fn: () => unknown): Promise<unknown> {
    try {
      await fn();
    } catch (err) {
      this.error(where, err);
      return err;
    }
    throw new Error(`${where}: expected a failure, but it succeeded`);
  }

  /** Every sentinel occurrence in everything seen so far. */
  leaks(): Leak[] {
    const out: Leak[] = [];
    for (const { where, text } of this.#seen) {
      for (const [secret, needles] of this.#needles) {
        for (const needle of needles) {
          const at = text.indexOf(needle);
          if (at >= 0) {
            // The excerpt names the secret instead of repeating it, so a failure report is not a leak itself.
            out.push({
              secret,
              where,
              excerpt: this.#mask(text.slice(Math.max(0, at - 60), at + needle.length + 20)),
            });
            break;
          }
        }
      }
    }
    return out;
  }

  /** `text` with every registered secret replaced by its label. */
  #mask(text: string): string {
    let out = text;
    for (const [label, needles] of this.#needles)
      for (const n of needles) out = out.split(n).join(`<${label}>`);
    return out;
  }

  /** Writes the sentinel values (mode 0600) for a scan of the saved test output. */
  writeSentinels(file = SENTINELS_FILE): void {
    // Every form searched for (raw, URL-encoded, Basic-header base64), per label.
    writeFileSync(file, `${JSON.stringify(Object.fromEntries(this.#needles), null, 2)}\n`, { mode: 0o600 });
  }
}
