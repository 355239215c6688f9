import { dataStoreGet, dataStoreKeys, dataStoreNamespaces, dataStoreQuery, dataStoreSet } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { registerTool, type ToolRuntime } from "../tool.js";

/** Most entries one `datastore_list` answer carries. */
export const MAX_DATASTORE_ENTRIES = 200;

const namespace = z.string().min(1).describe('Data store namespace, e.g. "my-app"');
const key = z.string().min(1).describe('Key in the namespace, e.g. "config"');
const user = z
  .boolean()
  .optional()
  .describe("true: the user data store of the logged-in user (/api/userDataStore) instead of the shared one");

/** `datastore_get`, `datastore_set`, `datastore_list`. */
export function registerDataStoreTools(server: McpServer, runtime: ToolRuntime): void {
  registerTool(server, runtime, {
    name: "datastore_get",
    title: "Read a DHIS2 data store value",
    description:
      'Reads one key of the DHIS2 data store (/api/dataStore/{namespace}/{key}), where apps keep JSON configuration and state. Answers found: false when the key does not exist. Example: { namespace: "my-app", key: "config" }. Use datastore_list first to see namespaces and keys; user: true reads the logged-in user\'s own store.',
    input: z.object({ namespace, key, user }),
    output: z.object({
      namespace: z.string(),
      key: z.string(),
      found: z.boolean(),
      value: z.unknown().optional().describe("The value (any JSON) when found"),
      text: z.string().optional().describe("The value exactly as DHIS2 sent it"),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const entry = await dataStoreGet(client, args.namespace, args.key, { user: args.user ?? false });
      return entry
        ? { namespace: args.namespace, key: args.key, found: true, value: entry.value, text: entry.text }
        : { namespace: args.namespace, key: args.key, found: false };
    },
  });

  registerTool(server, runtime, {
    name: "datastore_set",
    title: "WRITE a DHIS2 data store value",
    description:
      'WRITES (creates or replaces) one key of the DHIS2 data store (/api/dataStore/{namespace}/{key}) with any JSON value. Changes what apps on the server read: only call it when the user asked to store or change this value. Example: { namespace: "my-app", key: "config", value: { theme: "dark" } }. Namespaces of DHIS2 apps (capture, ANDROID_SETTINGS_APP, ...) are protected and answer 403 without their authority.',
    input: z.object({
      namespace,
      key,
      value: z.unknown().describe("The value: any JSON (object, array, string, number, boolean or null)"),
      user,
    }),
    output: z.object({
      written: z.literal(true),
      created: z.boolean().describe("true when the key did not exist before"),
      namespace: z.string(),
      key: z.string(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const { created } = await dataStoreSet(client, args.namespace, args.key, args.value, {
        user: args.user ?? false,
      });
      return { written: true as const, created, namespace: args.namespace, key: args.key };
    },
  });

  registerTool(server, runtime, {
    name: "datastore_list",
    title: "List DHIS2 data store namespaces, keys or entries",
    description: `Lists the DHIS2 data store: without namespace, its namespaces; with a namespace, its keys; with fields or filter too, matching entries through DHIS2's query API as { key, ...fields } (at most ${MAX_DATASTORE_ENTRIES}, truncated says if more matched). Examples: {}; { namespace: "my-app" }; { namespace: "pets", fields: "name,age", filter: ["age:gt:5"], order: "age:nasc" }. fields "." is the whole value; filters are path:operator[:value] with eq, !eq, lt, le, gt, ge, like, ilike, in, null, !null, empty, !empty; "_" is the key.`,
    input: z.object({
      namespace: namespace.optional(),
      fields: z.string().optional().describe('Fields to extract, e.g. "name,age" or "." (the whole value)'),
      filter: z.array(z.string()).optional().describe('Filters, e.g. ["age:gt:5", "name:ilike:cat"]; ANDed'),
      order: z.string().optional().describe('e.g. "age:nasc" (numeric), "name:desc", "_" (the key)'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(MAX_DATASTORE_ENTRIES)
        .optional()
        .describe(`Entries at most (default and maximum ${MAX_DATASTORE_ENTRIES})`),
      user,
    }),
    output: z.object({
      namespaces: z.array(z.string()).optional(),
      keys: z.array(z.string()).optional(),
      entries: z.array(z.looseObject({ key: z.string() })).optional(),
      truncated: z.boolean().optional(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const choice = { user: args.user ?? false };
      if (args.namespace === undefined) return { namespaces: await dataStoreNamespaces(client, choice) };
      if (args.fields === undefined && args.filter === undefined && args.order === undefined) {
        return { keys: await dataStoreKeys(client, args.namespace, choice) };
      }
      const limit = args.limit ?? MAX_DATASTORE_ENTRIES;
      const { entries, truncated } = await dataStoreQuery(client, args.namespace, {
        ...choice,
        limit,
        pageSize: Math.min(limit + 1, 1000),
        fields: args.fields,
        filter: args.filter,
        order: args.order,
        signal: ctx.signal,
      });
      return { entries, truncated };
    },
  });
}
