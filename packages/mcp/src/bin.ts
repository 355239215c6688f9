#!/usr/bin/env node
/**
 * `d2w-mcp`: the dhis2w MCP server over stdio. stdout carries only MCP messages, so every log
 * line goes to stderr.
 */
import { withoutUserinfo } from "@dhis2w/core";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { parseArgs, USAGE } from "./args.js";
import { createServer, SERVER_INFO } from "./server.js";
import { describeError } from "./tool.js";

const log = (line: string) => process.stderr.write(`d2w-mcp: ${line}\n`);

async function main(): Promise<number | undefined> {
  const command = parseArgs(process.argv.slice(2));
  if (command.kind === "help") {
    process.stderr.write(USAGE);
    return 0;
  }
  if (command.kind === "version") {
    process.stderr.write(`${SERVER_INFO.version}\n`);
    return 0;
  }
  if (command.kind === "error") {
    log(command.message);
    process.stderr.write(USAGE);
    return 2;
  }

  const server = createServer({ profileName: command.profileName });
  try {
    const { profile, name } = server.connection.resolve();
    log(
      `using ${name !== undefined ? `profile "${name}"` : "the DHIS2_* environment variables"} (${withoutUserinfo(profile.baseUrl)})`,
    );
  } catch (error) {
    // Still serve: profiles_list and uid_generate work without a server, and the rest say why.
    log(`no usable DHIS2 profile yet: ${describeError(error)}`);
  }

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${why})`);
    try {
      await server.close();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.stdin.on("end", () => void stop("stdin closed"));

  await server.connect(new StdioServerTransport());
  log("ready on stdio");
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    log(`fatal: ${describeError(error)}`);
    process.exitCode = 1;
  },
);
