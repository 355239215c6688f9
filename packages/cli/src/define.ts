/**
 * A small declarative layer over commander (in the manner of citty's / wrangler's
 * `defineCommand({ meta, args, run })`): a command is data plus a `run` function, so a group's
 * module is nothing but definitions, imported only when that group is invoked.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import type { CliContext } from "./context.js";

/** A positional argument, in declaration order. */
export interface PositionalArg {
  type: "positional";
  description: string;
  required?: boolean;
  variadic?: boolean;
}
/** `--name VALUE`. */
export interface StringArg {
  type: "string";
  description: string;
  required?: boolean;
  default?: string;
  choices?: readonly string[];
  valueName?: string;
  short?: string;
}
/** `--name` (or `--no-name` with `negate`, whose default is then true). */
export interface BooleanArg {
  type: "boolean";
  description: string;
  negate?: boolean;
  short?: string;
}
/** `--name N`: a whole number, checked. */
export interface NumberArg {
  type: "number";
  description: string;
  required?: boolean;
  default?: number;
  min?: number;
  valueName?: string;
  short?: string;
}
/** `--name A --name B` or `--name A,B`: a list. */
export interface ListArg {
  type: "list";
  description: string;
  valueName?: string;
  /** Split each value on commas (default true). */
  split?: boolean;
}
export type ArgDef = PositionalArg | StringArg | BooleanArg | NumberArg | ListArg;
export type ArgsDef = Record<string, ArgDef>;

type ValueOf<A extends ArgDef> = A extends PositionalArg
  ? A["variadic"] extends true
    ? string[]
    : A["required"] extends true
      ? string
      : string | undefined
  : A extends StringArg
    ? A["required"] extends true
      ? string
      : A["default"] extends string
        ? string
        : string | undefined
    : A extends NumberArg
      ? A["required"] extends true
        ? number
        : A["default"] extends number
          ? number
          : number | undefined
      : A extends BooleanArg
        ? boolean
        : string[];

/** The parsed values `run` receives, typed from the definitions. */
export type ParsedArgs<A extends ArgsDef> = { [K in keyof A]: ValueOf<A[K]> };

/** What a command says about itself. */
export interface CommandMeta {
  name: string;
  description: string;
  /** Lines shown under "Examples:" in the help. */
  examples?: readonly string[];
}

/** A runnable command. `run` may resolve to an exit code (a number); anything else means 0. */
export interface CommandDef<A extends ArgsDef = ArgsDef> {
  kind: "command";
  meta: CommandMeta;
  args: A;
  run(args: ParsedArgs<A>, ctx: CliContext): Promise<unknown>;
}

/** A group of commands (`profile`, `maintenance refresh`). */
export interface GroupDef {
  kind: "group";
  meta: CommandMeta;
  subCommands: readonly AnyCommandDef[];
}

export type AnyCommandDef = CommandDef<ArgsDef> | GroupDef;

/**
 * Declares a command.
 *
 * @example
 * ```ts
 * export const show = defineCommand({
 *   meta: { name: "show", description: "Show one profile" },
 *   args: { name: { type: "positional", description: "profile name", required: true } },
 *   async run(args, ctx) { ctx.out(args.name); },
 * });
 * ```
 */
export function defineCommand<const A extends ArgsDef>(def: {
  meta: CommandMeta;
  args?: A;
  run(args: ParsedArgs<A>, ctx: CliContext): Promise<unknown>;
}): CommandDef<ArgsDef> {
  return {
    kind: "command",
    meta: def.meta,
    args: (def.args ?? {}) as A,
    run: def.run,
  } as unknown as CommandDef;
}

/**
 * Declares a group of commands.
 *
 * @example
 * ```ts
 * export default defineGroup({ meta: { name: "profile", description: "Manage profiles" }, subCommands: [add, list] });
 * ```
 */
export function defineGroup(def: { meta: CommandMeta; subCommands: readonly AnyCommandDef[] }): GroupDef {
  return { kind: "group", ...def };
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function parseWhole(flag: string, min: number | undefined) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isInteger(n)) {
      throw new InvalidArgumentError(`${flag} takes a whole number, got "${raw}"`);
    }
    if (min !== undefined && n < min) throw new InvalidArgumentError(`${flag} must be >= ${min}, got ${n}`);
    return n;
  };
}

function optionFor(key: string, def: Exclude<ArgDef, PositionalArg>): Option {
  const flag = `--${kebab(key)}`;
  const short = "short" in def && def.short ? `-${def.short}, ` : "";
  switch (def.type) {
    case "boolean":
      return new Option(`${short}${def.negate ? `--no-${kebab(key)}` : flag}`, def.description);
    case "string": {
      const o = new Option(`${short}${flag} <${def.valueName ?? "value"}>`, def.description);
      if (def.choices) o.choices(def.choices);
      if (def.default !== undefined) o.default(def.default);
      if (def.required) o.makeOptionMandatory();
      return o;
    }
    case "number": {
      const o = new Option(`${short}${flag} <${def.valueName ?? "n"}>`, def.description);
      o.argParser(parseWhole(flag, def.min));
      if (def.default !== undefined) o.default(def.default);
      if (def.required) o.makeOptionMandatory();
      return o;
    }
    case "list": {
      const split = def.split !== false;
      const o = new Option(`${flag} <${def.valueName ?? "value"}>`, `${def.description} (repeatable)`);
      o.argParser((raw: string, prev: string[] | undefined) => [
        ...(prev ?? []),
        ...(split ? raw.split(",").map((s) => s.trim()) : [raw]).filter((s) => s !== ""),
      ]);
      return o;
    }
  }
}

/** Builds the commander command of a definition; `makeContext` receives the merged global options. */
export function toCommander(
  def: AnyCommandDef,
  makeContext: (globals: Record<string, unknown>) => CliContext,
  onResult: (code: number) => void,
): Command {
  const cmd = new Command(def.meta.name).description(def.meta.description);
  if (def.meta.examples?.length) {
    cmd.addHelpText("after", `\nExamples:\n${def.meta.examples.map((e) => `  $ ${e}`).join("\n")}`);
  }
  if (def.kind === "group") {
    for (const sub of def.subCommands) cmd.addCommand(toCommander(sub, makeContext, onResult));
    return cmd;
  }
  const positionals: string[] = [];
  for (const [key, arg] of Object.entries(def.args)) {
    if (arg.type === "positional") {
      positionals.push(key);
      const name = `${kebab(key)}${arg.variadic ? "..." : ""}`;
      cmd.argument(arg.required ? `<${name}>` : `[${name}]`, arg.description);
    } else {
      cmd.addOption(optionFor(key, arg));
    }
  }
  cmd.action(async (...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    const values: Record<string, unknown> = { ...self.opts() };
    positionals.forEach((key, i) => {
      values[key] = params[i];
    });
    for (const [key, arg] of Object.entries(def.args)) {
      if (arg.type === "boolean" && values[key] === undefined) values[key] = false;
      if (arg.type === "list" && values[key] === undefined) values[key] = [];
      if (arg.type === "positional" && arg.variadic && values[key] === undefined) values[key] = [];
    }
    const ctx = makeContext(self.optsWithGlobals());
    const code = await def.run(values as ParsedArgs<ArgsDef>, ctx);
    onResult(typeof code === "number" ? code : 0);
  });
  return cmd;
}
