/** `d2w settings ...`: system settings (`/api/systemSettings`). */
import { setSystemSetting, systemSetting, systemSettings } from "@dhis2w/core";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError, UserError } from "../errors.js";

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

const get = defineCommand({
  meta: {
    name: "get",
    description: "Print one system setting, or all of them",
    examples: ["d2w settings get applicationTitle", "d2w settings get --json"],
  },
  args: { key: { type: "positional", description: "setting key (none: every setting)" } },
  async run(args, ctx) {
    if (args.key === undefined) {
      const all = await systemSettings(await ctx.resolve(), ctx.clientOptions());
      if (ctx.json) return ctx.printJson(all);
      const keys = Object.keys(all).sort();
      const width = Math.max(0, ...keys.map((k) => k.length));
      ctx.out(keys.map((k) => `${`${k}:`.padEnd(width + 1)} ${show(all[k])}`).join("\n"));
      return;
    }
    const value = await systemSetting(await ctx.resolve(), args.key, ctx.clientOptions());
    if (value === undefined) throw new UserError(`the server has no system setting "${args.key}"`);
    if (ctx.json) return ctx.printJson({ [args.key]: value });
    ctx.out(show(value));
  },
});

const set = defineCommand({
  meta: {
    name: "set",
    description: "Set a system setting (DHIS2 checks the value's type); --reset puts back the default",
    examples: [
      "d2w settings set applicationTitle 'Sierra Leone HMIS'",
      "d2w settings set keyEmailPort 2525",
      "d2w settings set applicationTitle --reset",
    ],
  },
  args: {
    key: { type: "positional", description: "setting key", required: true },
    value: { type: "positional", description: "the value, as text" },
    reset: { type: "boolean", description: "delete the setting: back to its default" },
  },
  async run(args, ctx) {
    if (args.reset === (args.value !== undefined))
      throw new UsageError("settings set: give a VALUE or --reset");
    const now = await setSystemSetting(
      await ctx.resolve(),
      args.key,
      args.reset ? null : (args.value as string),
      ctx.clientOptions(),
    );
    if (ctx.json) return ctx.printJson({ [args.key]: now ?? null });
    ctx.out(`${args.key}: ${show(now)}`);
  },
});

export default defineGroup({
  meta: { name: "settings", description: "Read and write system settings" },
  subCommands: [get, set],
});
