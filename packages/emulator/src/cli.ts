#!/usr/bin/env node
/**
 * `dhis2w-emulator`: runs the emulator as a process.
 *
 *   dhis2w-emulator [--port 8080] [--host 127.0.0.1] [--version v42] [--seed demo|empty]
 *                   [--version-string 2.42.4.1] [--cors ORIGIN]...
 *
 * Prints the base URL alone on the first stdout line (easy to capture in scripts), details on
 * stderr; stops on SIGINT/SIGTERM. Users (and their capture org units) are managed over HTTP,
 * as on DHIS2: `PATCH /api/users/{id}` or `POST /api/users/{id}/organisationUnits/{ou}` (README).
 * `--cors` (repeatable) seeds the CORS allowlist, as `/api/configuration/corsWhitelist` holds it
 * on DHIS2 (an origin such as `http://localhost:3000`, or a glob such as `http://localhost:*`).
 */
import { parseArgs } from "node:util";
import { VERSION_KEYS } from "@dhis2w/client";
import { emulatedVersion } from "./create.js";
import { DEMO_USERS } from "./seed/users.js";
import { startEmulator } from "./server.js";

const USAGE = `Usage: dhis2w-emulator [--port N] [--host H] [--version ${VERSION_KEYS.join("|")}] [--seed demo|empty] [--version-string S] [--cors ORIGIN]...`;

/**
 * A CORS allowlist entry is matched against the whole `Origin` header (scheme://host[:port], no
 * path), so an entry without a scheme or with a path never matches: refuse those typos here.
 */
function corsOrigin(value: string): string {
  const looksLikeOrigin =
    /^([a-z][a-z0-9+.-]*|\*):\/\/[^/?#\s]+$/i.test(value) || /^\*[^/?#\s]*$/.test(value);
  if (!looksLikeOrigin) {
    throw new Error(
      `--cors takes an origin as browsers send it, such as http://localhost:3000 (scheme://host[:port], no path; * and ? are wildcards), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: "8080" },
      host: { type: "string", default: "127.0.0.1" },
      version: { type: "string", default: "v42" },
      seed: { type: "string", default: "demo" },
      "version-string": { type: "string" },
      cors: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer between 0 and 65535, got ${JSON.stringify(values.port)}`);
  }
  const seed = values.seed;
  if (seed !== "demo" && seed !== "empty")
    throw new Error(`--seed must be "demo" or "empty", got ${JSON.stringify(seed)}`);
  const emu = await startEmulator({
    port,
    host: values.host,
    version: emulatedVersion(values.version),
    seed,
    allowedOrigins: values.cors.map(corsOrigin),
    ...(values["version-string"] !== undefined ? { versionString: values["version-string"] } : {}),
  });
  process.stdout.write(emu.url + "\n");
  process.stderr.write(
    `DHIS2 emulator ${emu.version} (${emu.state.versionString}, seed ${seed}) listening on ${emu.url}\n` +
      (values.cors.length > 0 ? `CORS allowed for: ${values.cors.join(", ")}\n` : "") +
      `Users: ${DEMO_USERS.admin.username} (superuser), ${DEMO_USERS.district.username} (data entry); ` +
      `both with the demo password. Ctrl-C stops it.\n`,
  );
  const stop = () => {
    void emu.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`dhis2w-emulator: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
  process.exit(2);
});
