/**
 * `d2w user ...`: users by username or UID. `assign-org-units` is what an empty server needs
 * first: `d2w user assign-org-units admin --capture <root>` lets admin's data imports land (the
 * server's cached capture scope is cleared when the connected user's own changes).
 */
import {
  addUserToGroup,
  assignUserOrganisationUnits,
  listUsers,
  removeUserFromGroup,
  setUserDisabled,
} from "@dhis2w/core";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError } from "../errors.js";

const list = defineCommand({
  meta: {
    name: "list",
    description: "List users with their org units and groups",
    examples: [
      "d2w user list",
      "d2w user list --query traore",
      "d2w user list --filter disabled:eq:true --json",
    ],
  },
  args: {
    query: { type: "string", description: "part of a name, username or e-mail", valueName: "text" },
    filter: {
      type: "list",
      description: "metadata filter, e.g. disabled:eq:true",
      valueName: "f",
      split: false,
    },
    limit: { type: "number", description: "at most N users", min: 1, valueName: "n" },
  },
  async run(args, ctx) {
    const { users, truncated } = await listUsers(
      await ctx.resolve(),
      {
        query: args.query,
        ...(args.filter.length ? { filters: args.filter } : {}),
        limit: args.limit,
      },
      ctx.clientOptions(),
    );
    ctx.printRows(
      users,
      [
        { header: "USERNAME", value: (u) => u.username },
        { header: "ID", value: (u) => u.id },
        { header: "NAME", value: (u) => u.name },
        { header: "DISABLED", value: (u) => (u.disabled ? "yes" : "") },
        { header: "CAPTURE", value: (u) => u.organisationUnits },
        { header: "VIEW", value: (u) => u.dataViewOrganisationUnits },
        { header: "GROUPS", value: (u) => u.userGroups.length },
      ],
      "(no users)",
    );
    if (truncated) ctx.err(`(first ${users.length} users; raise --limit for more)`);
  },
});

const assign = defineCommand({
  meta: {
    name: "assign-org-units",
    description:
      "Give a user org units for data capture, data view and tracker search (added unless --replace)",
    examples: [
      "d2w user assign-org-units admin --capture ImspTQPwCqd",
      "d2w user assign-org-units district --capture O6uvpzGd5pu --view ImspTQPwCqd",
      "d2w user assign-org-units DXyJmlo9rge --capture fdc6uOvgoji,jUb8gELQApl --replace",
    ],
  },
  args: {
    user: { type: "positional", description: "username or user UID", required: true },
    capture: { type: "list", description: "data capture org unit UIDs", valueName: "uid" },
    view: { type: "list", description: "data view (analytics) org unit UIDs", valueName: "uid" },
    search: { type: "list", description: "tracker search org unit UIDs", valueName: "uid" },
    replace: { type: "boolean", description: "make each list given exactly that (default: add)" },
    clearCache: {
      type: "boolean",
      negate: true,
      description: "do not clear the server's caches after changing your own capture scope",
    },
  },
  async run(args, ctx) {
    const units = {
      ...(args.capture.length ? { capture: args.capture } : {}),
      ...(args.view.length ? { view: args.view } : {}),
      ...(args.search.length ? { search: args.search } : {}),
    };
    if (Object.keys(units).length === 0) {
      throw new UsageError("user assign-org-units: give --capture, --view or --search");
    }
    const done = await assignUserOrganisationUnits(
      await ctx.resolve(),
      args.user,
      units,
      { replace: args.replace, ...(args.clearCache ? {} : { clearCache: false }) },
      ctx.clientOptions(),
    );
    if (ctx.json) return ctx.printJson(done);
    const lists = { capture: done.capture, view: done.view, search: done.search };
    for (const [name, ids] of Object.entries(lists)) {
      const mark = done.changed.includes(name as "capture") ? " (changed)" : "";
      ctx.out(`${name}: ${ids.length ? ids.join(", ") : "(none)"}${mark}`);
    }
    if (done.changed.length === 0) ctx.err(`${done.username} had these org units already; nothing changed`);
    if (done.cacheCleared)
      ctx.err("server caches cleared: the new capture scope applies to your next data write");
  },
});

const membership = (name: "add-to-group" | "remove-from-group") =>
  defineCommand({
    meta: {
      name,
      description: name === "add-to-group" ? "Add a user to a user group" : "Remove a user from a user group",
      examples: [`d2w user ${name} district "Data managers"`, `d2w user ${name} DXyJmlo9rge wl5cDMuUhmF`],
    },
    args: {
      user: { type: "positional", description: "username or user UID", required: true },
      group: { type: "positional", description: "user group UID or name", required: true },
    },
    async run(args, ctx) {
      const run = name === "add-to-group" ? addUserToGroup : removeUserFromGroup;
      const done = await run(await ctx.resolve(), args.user, args.group, ctx.clientOptions());
      if (ctx.json) return ctx.printJson(done);
      const verb = name === "add-to-group" ? "added to" : "removed from";
      ctx.out(
        done.changed
          ? `${args.user} ${verb} group ${done.group}`
          : `${args.user} was ${name === "add-to-group" ? "already a member of" : "no member of"} group ${done.group}; nothing changed`,
      );
    },
  });

const toggle = (name: "disable" | "enable") =>
  defineCommand({
    meta: {
      name,
      description:
        name === "disable"
          ? "Disable a user account (it can no longer log in)"
          : "Enable a disabled user account",
      examples: [`d2w user ${name} district`],
    },
    args: { user: { type: "positional", description: "username or user UID", required: true } },
    async run(args, ctx) {
      const done = await setUserDisabled(
        await ctx.resolve(),
        args.user,
        name === "disable",
        ctx.clientOptions(),
      );
      if (ctx.json) return ctx.printJson({ ...done, disabled: name === "disable" });
      ctx.out(`${done.username} ${done.changed ? `${name}d` : `was ${name}d already`}`);
    },
  });

export default defineGroup({
  meta: { name: "user", description: "Users: list, org units, groups, disable/enable" },
  subCommands: [
    list,
    assign,
    membership("add-to-group"),
    membership("remove-from-group"),
    toggle("disable"),
    toggle("enable"),
  ],
});
