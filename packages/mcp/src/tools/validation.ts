import { runValidation } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { registerTool, type ToolRuntime } from "../tool.js";

/** Most violations one `validation_run` answer carries by default (DHIS2's own cap is 500). */
export const DEFAULT_VALIDATION_VIOLATIONS = 200;

const uid = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{10}$/)
    .describe(`${what} UID (11 characters)`);
const date = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .describe(`${what} (yyyy-MM-dd)`);

const Violation = z.object({
  validationRule: z.string(),
  validationRuleDescription: z.string().optional(),
  period: z.string(),
  periodName: z.string().optional(),
  orgUnit: z.string(),
  orgUnitName: z.string().optional(),
  orgUnitPath: z.string().optional(),
  attributeOptionCombo: z.string().optional(),
  attributeOptionComboName: z.string().optional(),
  leftSideValue: z.number(),
  operator: z.string().optional(),
  rightSideValue: z.number(),
  importance: z.string(),
});

/** `validation_run`. */
export function registerValidationTools(server: McpServer, runtime: ToolRuntime): void {
  registerTool(server, runtime, {
    name: "validation_run",
    title: "Run DHIS2 validation rules",
    description: `Runs DHIS2 validation rule analysis (POST /api/dataAnalysis/validationRules): evaluates the stored validation rules (or one validation rule group's) over the aggregate data of an org unit and every org unit below it, in the periods between two dates, and returns the violations (rule, period, org unit, left side value, operator, right side value, importance), sorted by period. Example: { orgUnit: "ImspTQPwCqd", startDate: "2024-01-01", endDate: "2024-03-31" }. At most maxResults violations (default ${DEFAULT_VALIDATION_VIOLATIONS}); truncated: true says DHIS2 stopped there. persist: true also STORES them as validation results (a write): only when the user asked for that. Find org units with metadata_list organisationUnits and groups with metadata_list validationRuleGroups.`,
    input: z.object({
      orgUnit: uid("Org unit"),
      startDate: date("First day"),
      endDate: date("Last day"),
      group: uid("Validation rule group").optional().describe("Only this validation rule group's rules"),
      persist: z
        .boolean()
        .optional()
        .describe("Store the violations as validation results (a write; default false)"),
      maxResults: z
        .number()
        .int()
        .min(1)
        .max(500)
        .optional()
        .describe(`Violations at most (default ${DEFAULT_VALIDATION_VIOLATIONS}, at most 500)`),
    }),
    output: z.object({
      violations: z.array(Violation),
      count: z.number().int(),
      maxResults: z.number().int(),
      truncated: z.boolean().describe("true when DHIS2 stopped at maxResults: there may be more"),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const result = await runValidation(client, {
        orgUnit: args.orgUnit,
        startDate: args.startDate,
        endDate: args.endDate,
        group: args.group,
        ...(args.persist ? { persist: true } : {}),
        maxResults: args.maxResults ?? DEFAULT_VALIDATION_VIOLATIONS,
        signal: ctx.signal,
      });
      return { ...result, count: result.violations.length };
    },
  });
}
