import { exportDataValues } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as z from "zod";
import { registerTool, type ToolRuntime } from "../tool.js";

/** Most values one `data_values_get` answer carries. */
export const MAX_DATA_VALUES = 10_000;
const DEFAULT_VALUES = 1000;

const uids = (what: string) => z.array(z.string()).min(1).describe(what);

const DataValueRow = z.object({
  dataElement: z.string(),
  period: z.string(),
  orgUnit: z.string(),
  categoryOptionCombo: z.string().optional(),
  attributeOptionCombo: z.string().optional(),
  value: z.string().nullable().optional(),
  comment: z.string().nullable().optional(),
  storedBy: z.string().optional(),
  lastUpdated: z.string().optional(),
  followup: z.boolean().optional(),
});

/** `data_values_get`, `data_value_set`. */
export function registerDataValueTools(server: McpServer, runtime: ToolRuntime): void {
  registerTool(server, runtime, {
    name: "data_values_get",
    title: "Read DHIS2 aggregate data values",
    description:
      'Exports raw aggregate data values (/api/dataValueSets) for data sets, periods and org units, as stored (not aggregated; for totals use analytics_query). Give dataSet, and period or startDate+endDate, and orgUnit. Example: { dataSet: ["BfMAe6Itzgt"], period: ["202401"], orgUnit: ["DiszpKrYNg8"], children: false }. Periods are ISO: 202401 (monthly), 2024Q1, 2024W5, 2024.',
    input: z.object({
      dataSet: uids("Data set UIDs"),
      period: z.array(z.string()).optional().describe('ISO periods, e.g. ["202401", "202402"]'),
      startDate: z.string().optional().describe("YYYY-MM-DD, with endDate instead of period"),
      endDate: z.string().optional(),
      orgUnit: uids("Org unit UIDs"),
      children: z.boolean().optional().describe("Include every org unit below the given ones"),
      maxValues: z
        .number()
        .int()
        .min(1)
        .max(MAX_DATA_VALUES)
        .optional()
        .describe(`Values returned at most (default ${DEFAULT_VALUES})`),
    }),
    output: z.object({
      dataValues: z.array(DataValueRow),
      count: z.number().describe("Values in the full export"),
      truncated: z.boolean(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const set = await exportDataValues(client, {
        dataSet: args.dataSet,
        orgUnit: args.orgUnit,
        ...(args.period ? { period: args.period } : {}),
        ...(args.startDate ? { startDate: args.startDate } : {}),
        ...(args.endDate ? { endDate: args.endDate } : {}),
        children: args.children,
        signal: ctx.signal,
      });
      const max = args.maxValues ?? DEFAULT_VALUES;
      const rows = set.dataValues.map((dv) => {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(DataValueRow.shape)) if (dv[key] !== undefined) out[key] = dv[key];
        return out as z.infer<typeof DataValueRow>;
      });
      return { dataValues: rows.slice(0, max), count: rows.length, truncated: rows.length > max };
    },
  });

  registerTool(server, runtime, {
    name: "data_value_set",
    title: "WRITE one DHIS2 data value",
    description:
      'WRITES (creates or overwrites) one aggregate data value on the DHIS2 server (POST /api/dataValues), then reads it back. Changes real data: only call it when the user asked to enter or correct a value. Example: { dataElement: "fbfJHSPpUQD", period: "202401", orgUnit: "DiszpKrYNg8", value: "12" }. categoryOptionCombo defaults to the default combo; the period must be open for data entry and the org unit assigned to the user.',
    input: z.object({
      dataElement: z.string().describe("Data element UID"),
      period: z.string().describe('ISO period, e.g. "202401"'),
      orgUnit: z.string().describe("Org unit UID"),
      value: z.union([z.string(), z.number(), z.boolean()]).describe("The value (DHIS2 stores text)"),
      categoryOptionCombo: z.string().optional().describe("Disaggregation UID; default the default combo"),
      attributeCategoryCombo: z
        .string()
        .optional()
        .describe("Attribute category combo UID (with attributeCategoryOptions)"),
      attributeCategoryOptions: z.array(z.string()).optional().describe("Attribute category option UIDs"),
      dataSet: z.string().optional().describe("Data set UID, for servers that check it"),
      comment: z.string().optional(),
    }),
    output: z.object({
      written: z.literal(true),
      dataElement: z.string(),
      period: z.string(),
      orgUnit: z.string(),
      categoryOptionCombo: z.string().optional(),
      value: z.string().nullable().describe("The value as the server now stores it"),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const key = {
        de: args.dataElement,
        pe: args.period,
        ou: args.orgUnit,
        ...(args.categoryOptionCombo ? { co: args.categoryOptionCombo } : {}),
        ...(args.attributeCategoryCombo ? { cc: args.attributeCategoryCombo } : {}),
        ...(args.attributeCategoryOptions ? { cp: args.attributeCategoryOptions.join(";") } : {}),
        ...(args.dataSet ? { ds: args.dataSet } : {}),
        signal: ctx.signal,
      };
      await client.dataValues.set({
        ...key,
        value: args.value,
        ...(args.comment ? { comment: args.comment } : {}),
      });
      const stored = await client.dataValues.get(key);
      return {
        written: true as const,
        dataElement: args.dataElement,
        period: args.period,
        orgUnit: args.orgUnit,
        ...(args.categoryOptionCombo ? { categoryOptionCombo: args.categoryOptionCombo } : {}),
        value: stored ?? null,
      };
    },
  });
}
