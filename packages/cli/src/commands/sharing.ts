/**
 * `d2w sharing get|set TYPE UID`: who may see and change an object. Access strings are DHIS2's 8
 * characters (`rw------`: metadata read/write, then data read/write, then `----`); `set` changes
 * only what it is given and prints the sharing as DHIS2 stored it.
 */
import type { AccessString, Sharing, SharingUpdate } from "@dhis2w/client";
import { getSharing, setSharing } from "@dhis2w/core";
import type { CliContext } from "../context.js";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError } from "../errors.js";

const target = {
  type: { type: "positional", description: "object type, e.g. dataSet (or dataSets)", required: true },
  uid: { type: "positional", description: "the object's UID", required: true },
} as const;

function print(ctx: CliContext, type: string, uid: string, s: Sharing): void {
  if (ctx.json) {
    ctx.printJson({ type, id: uid, ...s });
    return;
  }
  ctx.printRecord({ public: s.public, external: s.external, owner: s.owner ?? "(none)" });
  const rows = [
    ...s.users.map((e) => ({ kind: "user", ...e })),
    ...s.userGroups.map((e) => ({ kind: "userGroup", ...e })),
  ];
  ctx.out("");
  ctx.printRows(
    rows,
    [
      { header: "KIND", value: (r) => r.kind },
      { header: "ID", value: (r) => r.id },
      { header: "ACCESS", value: (r) => r.access },
      { header: "NAME", value: (r) => r.name },
    ],
    "(no user or group access)",
  );
}

const get = defineCommand({
  meta: {
    name: "get",
    description: "Show an object's public access, owner and user/group accesses",
    examples: ["d2w sharing get dataSet BfMAe6Itzgt", "d2w sharing get dataElements fbfJHSPpUQD --json"],
  },
  args: target,
  async run(args, ctx) {
    print(
      ctx,
      args.type,
      args.uid,
      await getSharing(await ctx.resolve(), args.type, args.uid, ctx.clientOptions()),
    );
  },
});

/** `UID:ACCESS` (e.g. `wl5cDMuUhmF:rwrw----`); the access string is checked by the client. */
function entries(flag: string, values: readonly string[]): { id: string; access: AccessString }[] {
  return values.map((v) => {
    const at = v.lastIndexOf(":");
    if (at <= 0) throw new UsageError(`${flag} takes UID:ACCESS, e.g. wl5cDMuUhmF:rw------, got "${v}"`);
    return { id: v.slice(0, at), access: v.slice(at + 1) as AccessString };
  });
}

const set = defineCommand({
  meta: {
    name: "set",
    description: "Change an object's sharing (what is not given stays as it is)",
    examples: [
      "d2w sharing set dataSet BfMAe6Itzgt --public r-r-----",
      "d2w sharing set dataSet BfMAe6Itzgt --group wl5cDMuUhmF:rwrw---- --user DXyJmlo9rge:r-r-----",
      "d2w sharing set dataElement fbfJHSPpUQD --clear-users --clear-groups",
    ],
  },
  args: {
    ...target,
    public: { type: "string", description: "public access, e.g. r------- or rw------", valueName: "access" },
    external: { type: "string", description: "external (no login) access", choices: ["true", "false"] },
    user: {
      type: "list",
      description: "a user's access as UID:ACCESS (replaces the users)",
      valueName: "uid:access",
    },
    group: {
      type: "list",
      description: "a user group's access as UID:ACCESS (replaces the groups)",
      valueName: "uid:access",
    },
    clearUsers: { type: "boolean", description: "remove every user's access" },
    clearGroups: { type: "boolean", description: "remove every user group's access" },
  },
  async run(args, ctx) {
    if (args.clearUsers && args.user.length)
      throw new UsageError("sharing set: give --user or --clear-users, not both");
    if (args.clearGroups && args.group.length)
      throw new UsageError("sharing set: give --group or --clear-groups, not both");
    const update: { -readonly [K in keyof SharingUpdate]: SharingUpdate[K] } = {};
    if (args.public !== undefined) update.public = args.public as AccessString;
    if (args.external !== undefined) update.external = args.external === "true";
    if (args.user.length || args.clearUsers) update.users = entries("--user", args.user);
    if (args.group.length || args.clearGroups) update.userGroups = entries("--group", args.group);
    if (Object.keys(update).length === 0) {
      throw new UsageError(
        "sharing set: give --public, --external, --user, --group, --clear-users or --clear-groups",
      );
    }
    print(
      ctx,
      args.type,
      args.uid,
      await setSharing(await ctx.resolve(), args.type, args.uid, update, ctx.clientOptions()),
    );
  },
});

export default defineGroup({
  meta: { name: "sharing", description: "Read and change who may see and edit an object" },
  subCommands: [get, set],
});
