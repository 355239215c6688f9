/** `sql_view_run`, `messaging_list`, `messaging_send`. */
import { messagingList, messagingSend, sqlViewRun } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { registerTool, type ToolRuntime } from "../tool.js";

/** Most rows one `sql_view_run` answer carries. */
export const MAX_SQL_VIEW_ROWS = 500;
/** Most conversations one `messaging_list` answer carries. */
export const MAX_CONVERSATIONS = 100;

const uid = z.string().regex(/^[A-Za-z][A-Za-z0-9]{10}$/, "an 11-character DHIS2 UID");
const pairs = (what: string) =>
  z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .describe(what);

/** Registers the SQL view and messaging tools. */
export function registerToolkitTools(server: McpServer, runtime: ToolRuntime): void {
  registerTool(server, runtime, {
    name: "sql_view_run",
    title: "Run a DHIS2 SQL view",
    description: `Runs a DHIS2 SQL view (/api/sqlViews/{uid}/data) and answers its columns and rows (at most ${MAX_SQL_VIEW_ROWS}; truncated says if there were more). QUERY views take variables for their \${name} placeholders (letters, digits, spaces, "_" and "-" only); criteria keep rows whose column equals the value. A VIEW or MATERIALIZED_VIEW must have been created on the server (POST /api/sqlViews/{uid}/execute). Find views with metadata_list on sqlViews. Example: { uid: "qMYMT0iUGkG", variables: { level: "2" } }.`,
    input: z.object({
      uid: uid.describe("The SQL view's UID"),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${name} is DHIS2's SQL view variable syntax
      variables: pairs('Values of the view\'s ${name} variables, e.g. { "level": "2" }'),
      criteria: pairs('Column equality filters, e.g. { "code": "OU_NORT" }'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(MAX_SQL_VIEW_ROWS)
        .optional()
        .describe(`Rows at most (default ${MAX_SQL_VIEW_ROWS})`),
    }),
    output: z.object({
      title: z.string().optional(),
      columns: z.array(z.string()),
      rows: z.array(z.array(z.unknown())),
      height: z.number().describe("Rows the view produced"),
      truncated: z.boolean(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const grid = await sqlViewRun(client, args.uid, {
        ...(args.variables ? { variables: args.variables } : {}),
        ...(args.criteria ? { criteria: args.criteria } : {}),
      });
      const limit = args.limit ?? MAX_SQL_VIEW_ROWS;
      return {
        title: grid.title,
        columns: grid.headers.map((h) => h.name),
        rows: grid.rows.slice(0, limit).map((r) => [...r]),
        height: grid.rows.length,
        truncated: grid.rows.length > limit,
      };
    },
  });

  registerTool(server, runtime, {
    name: "messaging_list",
    title: "List DHIS2 message conversations",
    description: `Lists the logged-in user's private message conversations (/api/messageConversations), newest first: id, subject, read, messageCount, lastMessage (at most ${MAX_CONVERSATIONS}). Example: { unreadOnly: true }.`,
    input: z.object({ unreadOnly: z.boolean().optional().describe("Only conversations not read yet") }),
    output: z.object({
      conversations: z.array(z.looseObject({ id: z.string(), subject: z.string(), read: z.boolean() })),
      truncated: z.boolean(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const all = await messagingList(await ctx.client(), { unreadOnly: args.unreadOnly ?? false });
      return { conversations: all.slice(0, MAX_CONVERSATIONS), truncated: all.length > MAX_CONVERSATIONS };
    },
  });

  registerTool(server, runtime, {
    name: "messaging_send",
    title: "SEND a DHIS2 private message",
    description:
      'SENDS a private message to DHIS2 users (they get it in their inbox, possibly by e-mail): only call it when the user asked to send this message. Recipients: users, userGroups (every member) and organisationUnits (every user assigned there), as UIDs; at least one. Answers the new conversation\'s id. Example: { subject: "Stock-out", text: "Out of BCG", users: ["DXyJmlo9rge"] }.',
    input: z.object({
      subject: z.string().min(1),
      text: z.string(),
      users: z.array(uid).optional(),
      userGroups: z.array(uid).optional(),
      organisationUnits: z.array(uid).optional(),
    }),
    output: z.object({ id: z.string().describe("The new conversation's id") }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run(args, ctx) {
      const id = await messagingSend(await ctx.client(), {
        subject: args.subject,
        text: args.text,
        users: args.users ?? [],
        userGroups: args.userGroups ?? [],
        organisationUnits: args.organisationUnits ?? [],
      });
      return { id };
    },
  });
}
