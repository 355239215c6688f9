/**
 * `d2w org-unit children|ancestors|descendants|levels`: the org unit hierarchy. `descendants`
 * prints units as the pages arrive, so a whole country's tree is never held in memory.
 */
import type { OrganisationUnitNode } from "@dhis2w/client";
import { orgUnitLevels, orgUnitTree, withClient } from "@dhis2w/core";
import type { CliContext } from "../context.js";
import { defineCommand, defineGroup } from "../define.js";
import { type Column, formatTable } from "../output.js";

const unitArg = { uid: { type: "positional", description: "org unit UID", required: true } } as const;
const fieldsArg = {
  fields: {
    type: "string",
    description: "DHIS2 fields (id, level and path are always there)",
    valueName: "fields",
  },
} as const;

const COLUMNS: Column<OrganisationUnitNode>[] = [
  { header: "LEVEL", value: (o) => o.level },
  { header: "ID", value: (o) => o.id },
  { header: "NAME", value: (o) => o.name },
];

function printUnits(ctx: CliContext, units: OrganisationUnitNode[], fields: string | undefined): void {
  if (ctx.json) {
    ctx.printJson(units);
    return;
  }
  if (fields !== undefined) {
    for (const u of units) ctx.out(JSON.stringify(u));
    return;
  }
  ctx.printRows(units, COLUMNS, "(none)");
}

const children = defineCommand({
  meta: {
    name: "children",
    description: "The direct children of an org unit",
    examples: ["d2w org-unit children ImspTQPwCqd"],
  },
  args: { ...unitArg, ...fieldsArg },
  async run(args, ctx) {
    const q = { kind: "children" as const, fields: args.fields };
    printUnits(
      ctx,
      (await orgUnitTree(await ctx.resolve(), args.uid, q, ctx.clientOptions())).units,
      args.fields,
    );
  },
});

const ancestors = defineCommand({
  meta: {
    name: "ancestors",
    description: "The ancestors of an org unit, the root first",
    examples: ["d2w org-unit ancestors DiszpKrYNg8"],
  },
  args: { ...unitArg, ...fieldsArg },
  async run(args, ctx) {
    const q = { kind: "ancestors" as const, fields: args.fields };
    printUnits(
      ctx,
      (await orgUnitTree(await ctx.resolve(), args.uid, q, ctx.clientOptions())).units,
      args.fields,
    );
  },
});

const descendants = defineCommand({
  meta: {
    name: "descendants",
    description: "Every org unit below one (or on --level), parents first, printed as they arrive",
    examples: [
      "d2w org-unit descendants ImspTQPwCqd --level 4",
      "d2w org-unit descendants ImspTQPwCqd --json",
    ],
  },
  args: {
    ...unitArg,
    ...fieldsArg,
    level: { type: "number", description: "only this absolute level (1 = the root)", min: 1, valueName: "n" },
  },
  async run(args, ctx) {
    await withClient(
      await ctx.resolve(),
      async (client) => {
        const stream = client.organisationUnits.descendants(args.uid, {
          level: args.level,
          fields: args.fields,
        });
        let n = 0;
        if (ctx.json) ctx.io.stdout.write("[");
        for await (const u of stream) {
          if (ctx.json) ctx.io.stdout.write(`${n === 0 ? "\n  " : ",\n  "}${JSON.stringify(u)}`);
          else if (args.fields !== undefined) ctx.out(JSON.stringify(u));
          else {
            // One row at a time: the header once, no column widths to wait for.
            if (n === 0) ctx.out(`LEVEL  ${"ID".padEnd(11)}  NAME`);
            ctx.out(`${String(u.level).padEnd(5)}  ${u.id}  ${u.name ?? ""}`);
          }
          n++;
        }
        if (ctx.json) ctx.io.stdout.write(n === 0 ? "]\n" : "\n]\n");
        else if (n === 0) ctx.err("(no descendants)");
      },
      ctx.clientOptions(),
    );
  },
});

const levels = defineCommand({
  meta: {
    name: "levels",
    description: "The levels of the hierarchy (DHIS2 names unnamed ones 'Level N')",
    examples: ["d2w org-unit levels"],
  },
  async run(_args, ctx) {
    const list = await orgUnitLevels(await ctx.resolve(), ctx.clientOptions());
    if (ctx.json) return ctx.printJson(list);
    ctx.out(
      list.length === 0
        ? "(no org units)"
        : formatTable(list, [
            { header: "LEVEL", value: (l) => l.level },
            { header: "NAME", value: (l) => l.name },
            { header: "ID", value: (l) => l.id },
          ]),
    );
  },
});

export default defineGroup({
  meta: { name: "org-unit", description: "The org unit hierarchy: children, ancestors, descendants, levels" },
  subCommands: [children, ancestors, descendants, levels],
});
