/**
 * `@dhis2w/cli`: the `d2w` command. Run it in-process with {@link run}, or add commands with
 * {@link defineCommand} / {@link defineGroup}.
 */
export { CliContext, type CliIO, type GlobalOptions, ProgressLine } from "./context.js";
export {
  type AnyCommandDef,
  type ArgDef,
  type ArgsDef,
  type CommandDef,
  type CommandMeta,
  defineCommand,
  defineGroup,
  type GroupDef,
  type ParsedArgs,
} from "./define.js";
export { EXIT, exitCodeOf, UsageError, UserError } from "./errors.js";
export { cliVersion, GROUPS, invokedGroup, processIO, run } from "./program.js";
