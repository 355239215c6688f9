import type { TrackerListOptions } from "@dhis2w/client";
import { listTracked } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as z from "zod";
import { registerTool, type ToolRuntime } from "../tool.js";

/** Largest page `tracker_list` asks for. */
export const MAX_TRACKER_PAGE_SIZE = 200;
const DEFAULT_PAGE_SIZE = 50;

/** `tracker_list`. */
export function registerTrackerTools(server: McpServer, runtime: ToolRuntime): void {
  registerTool(server, runtime, {
    name: "tracker_list",
    title: "List DHIS2 tracker data",
    description: `Lists one page of DHIS2 tracker data (/api/tracker/{kind}): trackedEntities (people, cases), enrollments (a tracked entity in a program) or events (one visit / program stage form; also single-event programs). Give a program and an org unit (orgUnitMode DESCENDANTS to include everything below it). trackedEntities also need program or trackedEntityType. Examples: { kind: "events", program: "eBAyeGv0exc", orgUnit: "DiszpKrYNg8", orgUnitMode: "DESCENDANTS", occurredAfter: "2024-01-01" }; { kind: "trackedEntities", program: "IpHINAT79UW", orgUnit: "ImspTQPwCqd", orgUnitMode: "DESCENDANTS", filter: ["w75KJ2mc4zz:like:john"] }. Use metadata_list type "programs" to find program UIDs. pageSize is at most ${MAX_TRACKER_PAGE_SIZE}.`,
    input: z.object({
      kind: z.enum(["trackedEntities", "enrollments", "events"]),
      program: z.string().optional().describe("Program UID"),
      orgUnit: z.string().optional().describe("Org unit UID"),
      orgUnitMode: z
        .enum(["SELECTED", "CHILDREN", "DESCENDANTS", "ACCESSIBLE", "CAPTURE", "ALL"])
        .optional()
        .describe("Which org units relative to orgUnit (default SELECTED when orgUnit is given)"),
      trackedEntityType: z.string().optional().describe("trackedEntities: type UID, instead of program"),
      trackedEntity: z.string().optional().describe("enrollments/events of one tracked entity (UID)"),
      programStage: z.string().optional().describe("events: program stage UID"),
      status: z
        .string()
        .optional()
        .describe(
          "enrollments/trackedEntities: ACTIVE, COMPLETED, CANCELLED; events: ACTIVE, COMPLETED, SCHEDULE, OVERDUE, SKIPPED",
        ),
      occurredAfter: z.string().optional().describe("events (and trackedEntities by event date): YYYY-MM-DD"),
      occurredBefore: z.string().optional(),
      updatedAfter: z.string().optional().describe("YYYY-MM-DD or ISO timestamp"),
      filter: z
        .array(z.string())
        .optional()
        .describe(
          'trackedEntities: attribute filters "attrUid:op:value"; events: data element filters "deUid:op:value"',
        ),
      fields: z
        .string()
        .optional()
        .describe('Field selection, e.g. "trackedEntity,attributes[attribute,value]"'),
      order: z.string().optional().describe('e.g. "createdAt:desc"'),
      page: z.number().int().min(1).optional(),
      pageSize: z
        .number()
        .int()
        .min(1)
        .max(MAX_TRACKER_PAGE_SIZE)
        .optional()
        .describe(`Default ${DEFAULT_PAGE_SIZE}`),
    }),
    output: z.object({
      kind: z.string(),
      items: z.array(z.record(z.string(), z.unknown())),
      pager: z.object({
        page: z.number(),
        pageSize: z.number(),
        total: z.number().optional(),
        pageCount: z.number().optional(),
      }),
      hasMore: z.boolean(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      const client = await ctx.client();
      const { kind, orgUnit, filter, occurredAfter, occurredBefore, status, ...rest } = args;
      const page = args.page ?? 1;
      const pageSize = args.pageSize ?? DEFAULT_PAGE_SIZE;
      const options: TrackerListOptions & Record<string, unknown> = {
        ...rest,
        page,
        pageSize,
        ...(orgUnit !== undefined ? { orgUnits: [orgUnit] } : {}),
        status,
        ...(kind !== "enrollments" && filter ? { filter } : {}),
        ...(kind !== "enrollments" && occurredAfter ? { occurredAfter } : {}),
        ...(kind !== "enrollments" && occurredBefore ? { occurredBefore } : {}),
        signal: ctx.signal,
      };
      // Options a kind does not know are left out above.
      const result = await listTracked(client, kind, options);
      const { pager } = result;
      const hasMore =
        pager.pageCount !== undefined ? pager.page < pager.pageCount : result.items.length >= pager.pageSize;
      return {
        kind,
        items: result.items,
        pager: {
          page: pager.page,
          pageSize: pager.pageSize,
          ...(typeof pager.total === "number" ? { total: pager.total } : {}),
          ...(typeof pager.pageCount === "number" ? { pageCount: pager.pageCount } : {}),
        },
        hasMore,
      };
    },
  });
}
