import { assignUserOrganisationUnits, getSharing, listUsers, orgUnitLevels, orgUnitTree } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { registerTool, type ToolRuntime } from "../tool.js";

/** Most users one `users_list` answer carries, and most org units one `org_unit_tree` answer. */
export const MAX_USERS = 200;
export const MAX_TREE_UNITS = 200;

const uid = z.string().regex(/^[A-Za-z][A-Za-z0-9]{10}$/, "a DHIS2 UID: 11 characters, a letter first");
const uids = (what: string) => z.array(uid).optional().describe(`${what} org unit UIDs`);
const user = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string().optional(),
  disabled: z.boolean(),
  organisationUnits: z.array(z.string()).describe("Data capture org units (the capture scope)"),
  dataViewOrganisationUnits: z.array(z.string()),
  teiSearchOrganisationUnits: z.array(z.string()),
  userGroups: z.array(z.string()),
});
const access = z
  .string()
  .describe('8-character access string, e.g. "rw------" (metadata r/w, data r/w, "----")');
const unit = z.looseObject({ id: z.string(), level: z.number(), name: z.string().optional() });

/** `users_list`, `user_assign_org_units`, `sharing_get`, `org_unit_tree`. */
export function registerUserTools(server: McpServer, runtime: ToolRuntime): void {
  registerTool(server, runtime, {
    name: "users_list",
    title: "List DHIS2 users",
    description: `Lists DHIS2 user accounts ordered by username, each with its org units (organisationUnits = where it may enter data) and user groups, as UIDs (at most ${MAX_USERS}; truncated says if more matched). Examples: {}; { query: "traore" } (part of a name, username or e-mail); { filter: ["disabled:eq:true"] }.`,
    input: z.object({
      query: z.string().optional().describe("Part of a name, username or e-mail"),
      filter: z.array(z.string()).optional().describe('Metadata filters, e.g. ["disabled:eq:true"]'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(MAX_USERS)
        .optional()
        .describe(`Users at most (default ${MAX_USERS})`),
    }),
    output: z.object({ users: z.array(user), truncated: z.boolean() }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const { users, truncated } = await listUsers(client, {
        query: args.query,
        filters: args.filter,
        limit: args.limit ?? MAX_USERS,
      });
      const list = (v: readonly string[]) => [...v];
      return {
        users: users.map((u) => ({
          ...u,
          organisationUnits: list(u.organisationUnits),
          dataViewOrganisationUnits: list(u.dataViewOrganisationUnits),
          teiSearchOrganisationUnits: list(u.teiSearchOrganisationUnits),
          userGroups: list(u.userGroups),
        })),
        truncated,
      };
    },
  });

  registerTool(server, runtime, {
    name: "user_assign_org_units",
    title: "WRITE a DHIS2 user's org units",
    description:
      'WRITES a user\'s org units: capture (where the user may enter data), view (data output/analytics) and search (tracker search). Adds the given UIDs to each list unless replace: true, which makes each given list exactly that; lists left out are not touched. Changes what the user may do: only call it when the user asked. Example: { user: "admin", capture: ["ImspTQPwCqd"] } lets admin enter data anywhere under that org unit at once (on an empty server, data imports need this first). user is a username or a UID.',
    input: z.object({
      user: z.string().min(1).describe("Username or user UID"),
      capture: uids("Data capture"),
      view: uids("Data view (analytics)"),
      search: uids("Tracker search"),
      replace: z.boolean().optional().describe("true: each list given becomes exactly that (default: add)"),
    }),
    output: z.object({
      user: z.string(),
      username: z.string(),
      capture: z.array(z.string()),
      view: z.array(z.string()),
      search: z.array(z.string()),
      changed: z.array(z.enum(["capture", "view", "search"])).describe("The lists that changed"),
      cacheCleared: z
        .boolean()
        .describe("true when the server's caches were cleared so the new capture scope applies at once"),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const units = {
        capture: args.capture,
        view: args.view,
        search: args.search,
      };
      const done = await assignUserOrganisationUnits(client, args.user, units, {
        replace: args.replace ?? false,
      });
      return {
        user: done.user,
        username: done.username,
        capture: [...done.capture],
        view: [...done.view],
        search: [...done.search],
        changed: [...done.changed],
        cacheCleared: done.cacheCleared,
      };
    },
  });

  registerTool(server, runtime, {
    name: "sharing_get",
    title: "Read a DHIS2 object's sharing",
    description:
      'Reads who may see and change one DHIS2 object (/api/sharing): public access, external access, the owner, and each user\'s and user group\'s access string (8 characters: metadata read "r", metadata write "w", data read "r", data write "w", "-" when not granted, then "----"). Example: { type: "dataSet", id: "BfMAe6Itzgt" }. type is the singular or plural type name; organisation units and a few other types have no sharing.',
    input: z.object({
      type: z.string().min(1).describe('Object type, e.g. "dataSet", "dataElement", "program"'),
      id: uid.describe("The object's UID"),
    }),
    output: z.object({
      public: access,
      external: z.boolean(),
      owner: z.string().optional(),
      users: z.array(z.object({ id: z.string(), access, name: z.string().optional() })),
      userGroups: z.array(z.object({ id: z.string(), access, name: z.string().optional() })),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const s = await getSharing(await ctx.client(), args.type, args.id);
      return { ...s, users: [...s.users], userGroups: [...s.userGroups] };
    },
  });

  registerTool(server, runtime, {
    name: "org_unit_tree",
    title: "Walk the DHIS2 org unit hierarchy",
    description: `Walks the org unit hierarchy: relation "children" (direct children), "ancestors" (root first), "descendants" (everything below, or only on level; at most ${MAX_TREE_UNITS}, truncated says if more), or "levels" (the hierarchy's levels, 1 = the root; no id needed). Examples: { relation: "levels" }; { relation: "children", id: "ImspTQPwCqd" }; { relation: "descendants", id: "ImspTQPwCqd", level: 3 }.`,
    input: z.object({
      relation: z.enum(["children", "ancestors", "descendants", "levels"]),
      id: uid.optional().describe("The org unit's UID (all but levels)"),
      level: z.number().int().min(1).optional().describe("descendants: only this absolute level"),
      limit: z.number().int().min(1).max(MAX_TREE_UNITS).optional(),
    }),
    output: z.object({
      units: z.array(unit).optional(),
      levels: z
        .array(z.object({ id: z.string().optional(), name: z.string(), level: z.number() }))
        .optional(),
      truncated: z.boolean().optional(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      if (args.relation === "levels") {
        return {
          levels: (await orgUnitLevels(client)).map(({ id, name, level }) => ({
            ...(id ? { id } : {}),
            name,
            level,
          })),
        };
      }
      if (args.id === undefined) throw new Error(`org_unit_tree: relation "${args.relation}" needs id`);
      const query =
        args.relation === "descendants"
          ? {
              kind: "descendants" as const,
              limit: args.limit ?? MAX_TREE_UNITS,
              level: args.level,
            }
          : { kind: args.relation };
      const { units, truncated } = await orgUnitTree(client, args.id, query);
      return { units: units.map((u) => ({ ...u })), truncated };
    },
  });
}
