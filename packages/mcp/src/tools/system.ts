import { generateUids, VERSION_KEYS } from "@dhis2w/client";
import { systemInfo, whoAmI } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as z from "zod";
import { registerTool, type ToolRuntime } from "../tool.js";

const Ref = z.object({ id: z.string(), name: z.string().optional() });
const refOf = (r: { id: string; displayName?: string | undefined; name?: string | undefined }) => {
  const name = r.displayName ?? r.name;
  return { id: r.id, name };
};

/** `system_info`, `whoami`, `uid_generate`. */
export function registerSystemTools(server: McpServer, runtime: ToolRuntime): void {
  registerTool(server, runtime, {
    name: "system_info",
    title: "DHIS2 server info",
    description: `Describes the connected DHIS2 server: version (e.g. "2.42.4"), the toolkit's version key (${VERSION_KEYS.join("/")}, which decides the metadata types available), base URL, server date and time zone, system name and calendar.`,
    input: z.object({}),
    output: z.object({
      baseUrl: z.string(),
      version: z.string(),
      versionKey: z.string().describe(VERSION_KEYS.map((k) => JSON.stringify(k)).join(" | ")),
      revision: z.string().optional(),
      buildTime: z.string().optional(),
      serverDate: z.string().optional(),
      serverTimeZoneId: z.string().optional(),
      contextPath: z.string().optional(),
      systemId: z.string().optional(),
      systemName: z.string().optional(),
      calendar: z.string().optional(),
      dateFormat: z.string().optional(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(_args, ctx) {
      const client = await ctx.client();
      const info = await systemInfo(client);
      const pick = (k: keyof typeof info) => (typeof info[k] === "string" ? { [k]: info[k] as string } : {});
      return {
        baseUrl: client.baseUrl,
        version: info.version,
        versionKey: client.versionKey,
        ...pick("revision"),
        ...pick("buildTime"),
        ...pick("serverDate"),
        ...pick("serverTimeZoneId"),
        ...pick("contextPath"),
        ...pick("systemId"),
        ...pick("systemName"),
        ...pick("calendar"),
        ...pick("dateFormat"),
      };
    },
  });

  registerTool(server, runtime, {
    name: "whoami",
    title: "Current DHIS2 user",
    description:
      "The DHIS2 user this server is logged in as (/api/me): id, username, name, user roles, the org units assigned for data capture and for data view (their UIDs are good `ou` / orgUnit values), and how many authorities the user has (ALL = superuser).",
    input: z.object({}),
    output: z.object({
      id: z.string(),
      username: z.string(),
      displayName: z.string().optional(),
      email: z.string().optional(),
      superuser: z.boolean().describe("Has the ALL authority"),
      authorityCount: z.number(),
      userRoles: z.array(Ref),
      organisationUnits: z.array(Ref).describe("Data capture org units"),
      dataViewOrganisationUnits: z.array(Ref),
      userGroups: z.array(Ref),
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(_args, ctx) {
      const me = await whoAmI(await ctx.client());
      const authorities = me.authorities ?? [];
      return {
        id: me.id,
        username: me.username,
        displayName: me.displayName,
        email: me.email,
        superuser: authorities.includes("ALL"),
        authorityCount: authorities.length,
        userRoles: (me.userRoles ?? []).map(refOf),
        organisationUnits: (me.organisationUnits ?? []).map(refOf),
        dataViewOrganisationUnits: (me.dataViewOrganisationUnits ?? []).map(refOf),
        userGroups: (me.userGroups ?? []).map(refOf),
      };
    },
  });

  registerTool(server, runtime, {
    name: "uid_generate",
    title: "Generate DHIS2 UIDs",
    description:
      'Generates DHIS2 UIDs locally (11 characters, a letter then letters/digits, e.g. "fbfJHSPpUQD"), for ids of metadata or tracker objects you are about to create. No server call.',
    input: z.object({
      count: z.number().int().min(1).max(1000).optional().describe("How many (default 1, at most 1000)"),
    }),
    output: z.object({ uids: z.array(z.string()) }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args) {
      return { uids: generateUids(args.count ?? 1) };
    },
  });
}
