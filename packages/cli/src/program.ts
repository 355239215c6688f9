/**
 * The `d2w` program. The top level knows each group's name and description only; the module of
 * the group being invoked is imported when the command line names it, so `d2w --help` (and
 * every other group) never loads the client, core or the other groups.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { CliContext, type CliIO, type GlobalOptions } from "./context.js";
import { type GroupDef, toCommander } from "./define.js";
import { describeError, EXIT, exitCodeOf } from "./errors.js";

/** A command group: loaded on demand. */
export interface GroupEntry {
  name: string;
  description: string;
  load: () => Promise<{ default: GroupDef }>;
}

/** Every group, in the order `d2w --help` lists them. */
export const GROUPS: readonly GroupEntry[] = [
  {
    name: "profile",
    description: "Manage connection profiles (add, list, verify, OAuth2 login, PATs)",
    load: () => import("./commands/profile.js"),
  },
  {
    name: "system",
    description: "Server info, the current user, UIDs",
    load: () => import("./commands/system.js"),
  },
  {
    name: "metadata",
    description: "List, get, export and import metadata",
    load: () => import("./commands/metadata.js"),
  },
  {
    name: "data",
    description: "Import and export data values",
    load: () => import("./commands/data.js"),
  },
  {
    name: "analytics",
    description: "Query analytics (table, JSON, CSV, XML, XLSX)",
    load: () => import("./commands/analytics.js"),
  },
  {
    name: "maintenance",
    description: "Refresh analytics/resource tables/monitoring; data integrity",
    load: () => import("./commands/maintenance.js"),
  },
  {
    name: "tracker",
    description: "List tracked entities, enrollments, events; import tracker bundles",
    load: () => import("./commands/tracker.js"),
  },
  {
    name: "datastore",
    description: "Read and write the data store (--user: your own)",
    load: () => import("./commands/datastore.js"),
  },
  {
    name: "settings",
    description: "Read and write system settings",
    load: () => import("./commands/settings.js"),
  },
  {
    name: "user",
    description: "Users: list, org units, groups, disable/enable",
    load: () => import("./commands/user.js"),
  },
  {
    name: "sharing",
    description: "Read and change who may see and edit an object",
    load: () => import("./commands/sharing.js"),
  },
  {
    name: "org-unit",
    description: "The org unit hierarchy: children, ancestors, descendants, levels",
    load: () => import("./commands/org-unit.js"),
  },
  {
    name: "validation",
    description: "Run validation rules; describe expressions",
    load: () => import("./commands/validation.js"),
  },
  {
    name: "predictors",
    description: "Run predictors",
    load: () => import("./commands/predictors.js"),
  },
  {
    name: "sql-view",
    description: "Run SQL views and ad-hoc SQL",
    load: () => import("./commands/sql-view.js"),
  },
  {
    name: "files",
    description: "Upload and download file resources",
    load: () => import("./commands/files.js"),
  },
  {
    name: "messaging",
    description: "List, send and reply to private messages",
    load: () => import("./commands/messaging.js"),
  },
  {
    name: "apps",
    description: "List, install and uninstall apps",
    load: () => import("./commands/apps.js"),
  },
  {
    name: "dev",
    description: "Developer tools: codegen, the DHIS2 emulator",
    load: () => import("./commands/dev.js"),
  },
];

/** The group an argument list invokes (skipping global options and their values), if any. */
export function invokedGroup(argv: readonly string[]): string | undefined {
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") break;
    if (a === "--profile") {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    positionals.push(a);
    if (positionals.length === 2) break;
  }
  return positionals[0] === "help" ? positionals[1] : positionals[0];
}

function configure(cmd: Command, io: CliIO): void {
  cmd.exitOverride();
  cmd.showSuggestionAfterError(true);
  cmd.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    // Errors are printed once, by run(), as `d2w: <message>`.
    outputError: () => {},
  });
  for (const sub of cmd.commands) configure(sub, io);
}

/**
 * The version of `@dhis2w/cli`, read from its package.json (`../package.json` from both `src/`
 * and `dist/`), so `d2w --version` cannot drift from what was published.
 *
 * @example
 * ```ts
 * console.log(`d2w ${cliVersion()}`);
 * ```
 */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: unknown;
  };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
}

/** The process's own streams, environment and working directory. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Runs `d2w` with `argv` (without `node` and the script) and resolves to the exit code: 0 ok,
 * 1 a problem the user can fix, 2 a usage error, 70 a bug in d2w.
 *
 * @example
 * ```ts
 * process.exitCode = await run(["profile", "list", "--json"]);
 * ```
 */
export async function run(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const program = new Command("d2w")
    .description("dhis2w: the DHIS2 command line")
    .option("--profile <name>", "profile to use (default: DHIS2_PROFILE, raw env, project/global default)")
    .option("--json", "machine-readable JSON on stdout")
    .option("--verbose", "debug trace on stderr (credentials masked) and error causes")
    .addHelpText("after", "\nRun `d2w <group> --help` for a group's commands.");

  let exitCode: number = EXIT.ok;
  let context: CliContext | undefined;
  const makeContext = (globals: Record<string, unknown>) => {
    context = new CliContext(io, globals as GlobalOptions);
    return context;
  };
  const wanted = invokedGroup(argv);
  // Only at the top level: commander would otherwise take `--version` wherever it appears, and
  // `d2w dev emulator --version v41` means the DHIS2 version.
  if (wanted === undefined) program.version(cliVersion(), "-V, --version", "print the d2w version");
  for (const group of GROUPS) {
    if (group.name === wanted) {
      const def = (await group.load()).default;
      program.addCommand(toCommander(def, makeContext, (code) => (exitCode = code)));
    } else {
      program.command(group.name).description(group.description);
    }
  }
  configure(program, io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
      // A group called without a command: commander printed its help to stderr already.
      if (error.code === "commander.help") return EXIT.usage;
    }
    const verbose = context?.verbose ?? argv.includes("--verbose");
    // Printed as raised: the library's errors hold no secret (credentials are masked where they
    // sit: headers, URL user info, secret query parameters), and d2w's own never name one.
    io.stderr.write(`d2w: ${describeError(error, verbose)}\n`);
    return exitCodeOf(error);
  }
}
