/** What `d2w-mcp` was asked to do. */
export type BinCommand =
  | { kind: "serve"; profileName: string | undefined }
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "error"; message: string };

/** Usage text (printed to stderr: stdout belongs to the MCP protocol). */
export const USAGE = `Usage: d2w-mcp [--profile NAME]

Serves DHIS2 tools to an MCP client over stdio.

  --profile NAME   use this profile from profiles.toml
                   (default: DHIS2_PROFILE, then DHIS2_URL + DHIS2_PAT or
                   DHIS2_USERNAME + DHIS2_PASSWORD, then the project default,
                   then the global default)
  --help           show this text
  --version        print the version
`;

/**
 * Parses the command line of `d2w-mcp`.
 *
 * @example
 * ```ts
 * parseArgs(["--profile", "dev"]); // { kind: "serve", profileName: "dev" }
 * ```
 */
export function parseArgs(argv: readonly string[]): BinCommand {
  let profileName: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    if (arg === "--version" || arg === "-V") return { kind: "version" };
    if (arg === "--profile" || arg === "-p") {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("-")) {
        return { kind: "error", message: `${arg} needs a profile name` };
      }
      profileName = value;
      i++;
    } else if (arg.startsWith("--profile=")) {
      profileName = arg.slice("--profile=".length);
      if (!profileName) return { kind: "error", message: "--profile= needs a profile name" };
    } else {
      return { kind: "error", message: `unknown argument "${arg}"` };
    }
  }
  return { kind: "serve", profileName };
}
