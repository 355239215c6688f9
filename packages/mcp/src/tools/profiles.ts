import { listProfiles, type ProfileOpener, verifyProfile, withoutUserinfo } from "@dhis2w/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as z from "zod";
import { describeError, registerTool, type ToolRuntime } from "../tool.js";

const ProfileRow = z.object({
  name: z.string(),
  scope: z.enum(["global", "project"]),
  auth: z.enum(["pat", "basic", "oauth2"]).optional(),
  baseUrl: z.string().optional(),
  isDefault: z.boolean(),
  shadowed: z.boolean(),
  path: z.string(),
  problem: z.string().optional(),
});

const Verified = z.object({
  ok: z.boolean(),
  name: z.string().optional().describe("Profile name (absent for one built from DHIS2_URL/... variables)"),
  source: z.string().optional(),
  baseUrl: z.string(),
  version: z.string().optional().describe('Server version, e.g. "2.42.4"'),
  user: z.string().optional().describe("The username the credentials log in as"),
  latencyMs: z.number().optional(),
  error: z.string().optional().describe("Why it failed (never holds a credential)"),
});

/** `profiles_list`, `profile_verify`. */
export function registerProfileTools(server: McpServer, runtime: ToolRuntime): void {
  const { connection } = runtime;

  registerTool(server, runtime, {
    name: "profiles_list",
    title: "List DHIS2 profiles",
    description:
      "Lists the DHIS2 connection profiles defined in profiles.toml files (project .dhis2/profiles.toml and the user-global one): name, scope, auth kind (pat/basic/oauth2), server URL, which is the default. Never shows tokens or passwords. `active` is the profile this MCP server uses for every other tool.",
    input: z.object({
      includeShadowed: z
        .boolean()
        .optional()
        .describe("Also list global profiles hidden by a project profile of the same name"),
    }),
    output: z.object({
      profiles: z.array(ProfileRow),
      active: z
        .object({ name: z.string().optional(), baseUrl: z.string(), auth: z.string() })
        .nullable()
        .describe("The profile this server is connected with (null when none could be resolved)"),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args) {
      const rows = await listProfiles({
        ...connection.profileLocation,
        includeShadowed: args.includeShadowed,
      });
      let active: { name?: string; baseUrl: string; auth: string } | null = null;
      try {
        const { profile, name } = connection.resolve();
        active = {
          name,
          baseUrl: withoutUserinfo(profile.baseUrl),
          auth: profile.auth,
        };
      } catch {
        /* no usable profile: the other tools will say why */
      }
      return {
        profiles: rows.map((r) => ({
          name: r.name,
          scope: r.scope,
          auth: r.auth,
          baseUrl: r.baseUrl,
          isDefault: r.isDefault,
          shadowed: r.shadowed,
          path: r.path,
          problem: r.problem,
        })),
        active,
      };
    },
  });

  registerTool(server, runtime, {
    name: "profile_verify",
    title: "Verify a DHIS2 profile",
    description:
      'Connects with a profile and reports the DHIS2 server version and the user the credentials log in as, or exactly why it fails (unreachable, 401, not DHIS2...). Without `name`, checks this server\'s own connection. Example: { name: "staging" }.',
    input: z.object({
      name: z
        .string()
        .min(1)
        .optional()
        .describe("Profile name from profiles_list; omit for the active profile"),
    }),
    output: Verified,
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(args, ctx) {
      if (args.name !== undefined) {
        const r = await verifyProfile(args.name, {
          ...connection.profileLocation,
          openClient: connection.opener as ProfileOpener,
          signal: ctx.signal,
        });
        return { ...r, baseUrl: withoutUserinfo(r.baseUrl) };
      }
      const { profile, name } = connection.resolve();
      const started = performance.now();
      const base = { name, baseUrl: withoutUserinfo(profile.baseUrl) };
      try {
        const client = await ctx.client();
        const me = await client.system.me({ signal: ctx.signal });
        const latencyMs = Math.max(0, Math.round(performance.now() - started));
        return { ok: true, ...base, version: client.rawVersion, user: me.username, latencyMs };
      } catch (error) {
        return { ok: false, ...base, error: describeError(error) };
      }
    },
  });
}
