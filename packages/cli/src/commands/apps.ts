/** `d2w apps list|install|uninstall`: installed apps; `install ZIP` streams the zip from disk. */
import { appsInstall, appsList, appsUninstall } from "@dhis2w/core";
import { defineCommand, defineGroup } from "../define.js";

const list = defineCommand({
  meta: {
    name: "list",
    description: "List the installed apps",
    examples: ["d2w apps list", "d2w --json apps list"],
  },
  args: {},
  async run(_args, ctx) {
    const apps = await appsList(await ctx.resolve(), ctx.clientOptions());
    ctx.printRows(
      apps,
      [
        { header: "KEY", value: (a) => a.key },
        { header: "NAME", value: (a) => a.name },
        { header: "VERSION", value: (a) => a.version },
        { header: "URL", value: (a) => a.launchUrl ?? a.baseUrl },
      ],
      "(no apps)",
    );
  },
});

const install = defineCommand({
  meta: {
    name: "install",
    description: "Install (or replace) an app from a zip",
    examples: ["d2w apps install build/bundle/my-app-1.0.0.zip"],
  },
  args: { zip: { type: "positional", description: "the app's zip file", required: true } },
  async run(args, ctx) {
    const app = await appsInstall(await ctx.resolve(), args.zip, ctx.clientOptions());
    if (ctx.json) return ctx.printJson(app ?? { installed: args.zip });
    ctx.out(app ? `installed ${app.key} ${app.version ?? ""}`.trimEnd() : `installed ${args.zip}`);
  },
});

const uninstall = defineCommand({
  meta: {
    name: "uninstall",
    description: "Uninstall an app by key",
    examples: ["d2w apps uninstall My-App"],
  },
  args: { key: { type: "positional", description: "the app's key (see apps list)", required: true } },
  async run(args, ctx) {
    await appsUninstall(await ctx.resolve(), args.key, ctx.clientOptions());
    if (ctx.json) return ctx.printJson({ key: args.key, uninstalled: true });
    ctx.out(`uninstalled ${args.key}`);
  },
});

export default defineGroup({
  meta: { name: "apps", description: "List, install and uninstall apps" },
  subCommands: [list, install, uninstall],
});
