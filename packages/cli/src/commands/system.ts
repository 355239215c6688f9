/** `d2w system ...`: server info, the current user, client-side UIDs. */
import { generateUids } from "@dhis2w/client";
import { systemInfo, whoAmI } from "@dhis2w/core";
import { defineCommand, defineGroup } from "../define.js";

const info = defineCommand({
  meta: { name: "info", description: "Server version, revision, build time, context path" },
  async run(_args, ctx) {
    const i = await systemInfo(await ctx.resolve(), ctx.clientOptions());
    if (ctx.json) return ctx.printJson(i);
    ctx.printRecord({
      version: i.version,
      revision: i.revision,
      buildTime: i.buildTime,
      serverDate: i.serverDate,
      contextPath: i.contextPath,
      systemName: i.systemName,
    });
  },
});

const me = defineCommand({
  meta: { name: "me", description: "The user the profile logs in as" },
  async run(_args, ctx) {
    const m = await whoAmI(await ctx.resolve(), ctx.clientOptions());
    if (ctx.json) return ctx.printJson(m);
    ctx.printRecord({
      username: m.username,
      name: m.displayName ?? m.name,
      id: m.id,
      email: m.email,
      authorities: Array.isArray(m.authorities) ? `${m.authorities.length} authorities` : undefined,
    });
  },
});

const uid = defineCommand({
  meta: { name: "uid", description: "Generate DHIS2 UIDs locally (no request)" },
  args: { n: { type: "number", short: "n", description: "how many", default: 1, min: 1 } },
  async run(args, ctx) {
    const uids = generateUids(args.n);
    if (ctx.json) return ctx.printJson(uids);
    ctx.out(uids.join("\n"));
  },
});

export default defineGroup({
  meta: { name: "system", description: "Server info, the current user, UIDs" },
  subCommands: [info, me, uid],
});
