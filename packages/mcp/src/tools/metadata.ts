import { type Dhis2Client, Dhis2ClientError, type ResourceAccessor } from "@dhis2w/client";
import { getMetadata, listMetadata, resourceAccessor } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as z from "zod";
import { registerTool, type ToolRuntime } from "../tool.js";

/** Largest page `metadata_list` asks for: an agent must page, never pull a whole table at once. */
export const MAX_METADATA_PAGE_SIZE = 200;
const DEFAULT_PAGE_SIZE = 50;

const Item = z.record(z.string(), z.unknown());
const Pager = z.object({
  page: z.number(),
  pageSize: z.number(),
  total: z.number().optional(),
  pageCount: z.number().optional(),
});

/** The accessor of a plural resource of the connected version, or a clear error with close names. */
export function accessorFor(client: Dhis2Client, type: string): ResourceAccessor<Record<string, unknown>> {
  return resourceAccessor(client, type, { moreHelp: "metadata_schema without a type lists them all" });
}

const typeArg = z
  .string()
  .min(1)
  .describe(
    'Plural DHIS2 metadata type, e.g. "dataElements", "organisationUnits", "dataSets", "indicators", "programs"',
  );

/** `metadata_list`, `metadata_get`, `metadata_schema`. */
export function registerMetadataTools(server: McpServer, runtime: ToolRuntime): void {
  registerTool(server, runtime, {
    name: "metadata_list",
    title: "List DHIS2 metadata",
    description: `Lists one page of a DHIS2 metadata type (/api/{type}) with DHIS2 filters, field selection and order. Filters are "property:operator:value" strings, combined with AND unless rootJunction is OR. Operators: eq, !eq, ieq, like, ilike (case-insensitive contains), !ilike, $ilike (starts with), ilike$ (ends with), in:[a,b], !in, gt, ge, lt, le, null, !null, empty, token. Paths may be nested: "parent.id:eq:ImspTQPwCqd", "dataSetElements.dataSet.id:eq:BfMAe6Itzgt". Examples: type "dataElements", filters ["name:ilike:malaria", "domainType:eq:AGGREGATE"], fields "id,name,valueType,categoryCombo[id,name]"; type "organisationUnits", filters ["level:eq:2"], order "name:asc". Property names come from metadata_schema. pageSize is at most ${MAX_METADATA_PAGE_SIZE}: page through with "page" (hasMore tells when to stop).`,
    input: z.object({
      type: typeArg,
      filters: z.array(z.string()).optional().describe('e.g. ["name:ilike:anc", "valueType:eq:NUMBER"]'),
      rootJunction: z.enum(["AND", "OR"]).optional().describe("How filters combine (default AND)"),
      fields: z
        .string()
        .optional()
        .describe('DHIS2 field selection, e.g. "id,name,code" or ":owner"; default id,displayName'),
      order: z.string().optional().describe('e.g. "name:asc" or "level:asc,name:asc"'),
      page: z.number().int().min(1).optional().describe("1-based page (default 1)"),
      pageSize: z
        .number()
        .int()
        .min(1)
        .max(MAX_METADATA_PAGE_SIZE)
        .optional()
        .describe(`Items per page (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_METADATA_PAGE_SIZE})`),
    }),
    output: z.object({
      type: z.string(),
      items: z.array(Item),
      pager: Pager,
      hasMore: z.boolean().describe("Another page follows"),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      accessorFor(client, args.type); // first, for its "did you mean" on a singular or a typo
      const page = args.page ?? 1;
      const pageSize = args.pageSize ?? DEFAULT_PAGE_SIZE;
      const listed = await listMetadata(client, args.type, {
        page,
        pageSize,
        ...(args.filters ? { filters: args.filters } : {}),
        ...(args.rootJunction ? { rootJunction: args.rootJunction } : {}),
        ...(args.fields ? { fields: args.fields } : {}),
        ...(args.order ? { order: args.order } : {}),
        signal: ctx.signal,
      });
      const { items } = listed;
      const p = (listed.pager ?? {}) as Partial<Record<string, unknown>>;
      const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
      const pager = {
        page: num(p.page) ?? page,
        pageSize: num(p.pageSize) ?? pageSize,
        ...(num(p.total) !== undefined ? { total: num(p.total) } : {}),
        ...(num(p.pageCount) !== undefined ? { pageCount: num(p.pageCount) } : {}),
      };
      const hasMore =
        pager.pageCount !== undefined ? pager.page < pager.pageCount : items.length >= pager.pageSize;
      return { type: args.type, items, pager, hasMore };
    },
  });

  registerTool(server, runtime, {
    name: "metadata_get",
    title: "Get one DHIS2 metadata object",
    description:
      'Reads one metadata object by UID (/api/{type}/{id}). Without `fields` DHIS2 returns the whole object; narrow it with e.g. "id,name,valueType,categoryCombo[id,name]". Example: { type: "dataSets", id: "BfMAe6Itzgt", fields: "id,name,periodType,dataSetElements[dataElement[id,name]]" }.',
    input: z.object({
      type: typeArg,
      id: z.string().describe("The object's 11-character UID"),
      fields: z.string().optional().describe("DHIS2 field selection; default everything"),
    }),
    output: z.object({ type: z.string(), object: Item }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      accessorFor(client, args.type);
      const object = await getMetadata(client, args.type, args.id, {
        ...(args.fields ? { fields: args.fields } : {}),
        signal: ctx.signal,
      });
      return { type: args.type, object };
    },
  });

  registerTool(server, runtime, {
    name: "metadata_schema",
    title: "DHIS2 metadata type schema",
    description:
      'Describes a metadata type of the connected DHIS2 version: its properties (wire names to use in filters, fields and order), their types (TEXT, NUMBER, REFERENCE, COLLECTION, CONSTANT...), reference targets, required/writable flags and allowed constant values. Without `type`, lists every metadata type (plural names, as metadata_list takes them). Example: { type: "dataElements" }.',
    input: z.object({ type: typeArg.optional() }),
    output: z.object({
      versionKey: z.string(),
      types: z
        .array(z.object({ plural: z.string(), singular: z.string() }))
        .optional()
        .describe("Every type (when no type was given)"),
      type: z.string().optional(),
      singular: z.string().optional(),
      endpoint: z.string().optional(),
      metadata: z.boolean().optional().describe("Takes part in /api/metadata import/export"),
      properties: z
        .array(
          z.object({
            name: z.string(),
            propertyType: z.string(),
            itemPropertyType: z.string().optional(),
            target: z.string().optional().describe("Referenced type (singular), for references"),
            collection: z.boolean().optional(),
            required: z.boolean().optional(),
            writable: z.boolean().optional(),
            unique: z.boolean().optional(),
            constants: z.array(z.string()).optional().describe("Allowed values"),
          }),
        )
        .optional(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args, ctx) {
      const client = await ctx.client();
      if (args.type === undefined) {
        const resources = client.resources as unknown as Record<string, ResourceAccessor<unknown>>;
        const types = Object.keys(resources)
          .sort()
          .map((plural) => ({ plural, singular: resources[plural]?.def?.singular ?? plural }));
        return { versionKey: client.versionKey, types };
      }
      const def = accessorFor(client, args.type).def;
      if (!def) throw new Dhis2ClientError(`no schema is known for "${args.type}" on ${client.versionKey}`);
      const properties = Object.values(def.properties)
        .map((p) => ({
          name: p.name,
          propertyType: p.propertyType,
          itemPropertyType: p.itemPropertyType,
          target: p.target,
          collection: p.collection,
          required: p.required,
          writable: p.writable,
          unique: p.unique,
          ...(p.constants !== undefined ? { constants: [...p.constants] } : {}),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      return {
        versionKey: client.versionKey,
        type: def.plural,
        singular: def.singular,
        endpoint: def.endpoint,
        metadata: def.metadata,
        properties,
      };
    },
  });
}
