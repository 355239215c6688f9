import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Connection, type ConnectionOptions } from "./connection.js";
import type { ToolRuntime } from "./tool.js";
import { registerAnalyticsTools } from "./tools/analytics.js";
import { registerDataStoreTools } from "./tools/data-store.js";
import { registerDataValueTools } from "./tools/data-values.js";
import { registerMaintenanceTools } from "./tools/maintenance.js";
import { registerMetadataTools } from "./tools/metadata.js";
import { registerProfileTools } from "./tools/profiles.js";
import { registerSystemTools } from "./tools/system.js";
import { registerToolkitTools } from "./tools/toolkit.js";
import { registerTrackerTools } from "./tools/tracker.js";
import { registerUserTools } from "./tools/users.js";
import { registerValidationTools } from "./tools/validation.js";

/** The server's name and version as MCP clients see them. */
export const SERVER_INFO = { name: "d2w-mcp", version: "0.1.0" } as const;

/** Every tool `createServer` registers. */
export const TOOL_NAMES = [
  "profiles_list",
  "profile_verify",
  "system_info",
  "whoami",
  "metadata_list",
  "metadata_get",
  "metadata_schema",
  "analytics_query",
  "data_values_get",
  "data_value_set",
  "tracker_list",
  "maintenance_refresh_analytics",
  "integrity_issues",
  "uid_generate",
  "datastore_get",
  "datastore_set",
  "datastore_list",
  "users_list",
  "user_assign_org_units",
  "sharing_get",
  "org_unit_tree",
  "validation_run",
  "sql_view_run",
  "messaging_list",
  "messaging_send",
] as const;

/** Options of {@link createServer}. */
export interface CreateServerOptions extends ConnectionOptions {
  /** Poll interval while a tool waits for a DHIS2 job (default 1000 ms). */
  pollIntervalMs?: number;
}

const INSTRUCTIONS = `Tools for one DHIS2 server (the health information system). Start with whoami or system_info; discover metadata types with metadata_schema, then page through them with metadata_list (filters like "name:ilike:malaria"). analytics_query answers aggregated numbers (dx/pe/ou dimensions); data_values_get reads raw aggregate values; tracker_list reads individual-level data. datastore_list and datastore_get read the data store (JSON that apps keep on the server). users_list, sharing_get and org_unit_tree read users, sharing and the org unit hierarchy. validation_run runs validation rules; sql_view_run runs a SQL view; messaging_list reads the user's messages. data_value_set, datastore_set, user_assign_org_units, messaging_send and maintenance_refresh_analytics change the server.`;

/** The MCP server of {@link createServer}: closing it also closes its DHIS2 client. */
export class Dhis2McpServer extends McpServer {
  readonly connection: Connection;

  constructor(options: CreateServerOptions = {}) {
    super(SERVER_INFO, { instructions: INSTRUCTIONS, capabilities: { tools: {} } });
    this.connection = new Connection(options);
    // A transport that ends on its own (stdin closed) must release the client too.
    this.server.onclose = () => {
      void this.connection.close();
    };
  }

  /** Closes the transport and the DHIS2 client. */
  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      await this.connection.close();
    }
  }
}

/**
 * Builds the d2w MCP server: DHIS2 metadata, analytics, aggregate data, tracker and maintenance
 * as tools with zod input and output schemas. The DHIS2 client opens on the first tool call that
 * needs it (from `profile`, else the named profile, else the usual precedence) and is reused.
 *
 * @example
 * ```ts
 * const server = createServer({ profileName: "dev" });
 * await server.connect(new StdioServerTransport());
 * ```
 */
export function createServer(options: CreateServerOptions = {}): Dhis2McpServer {
  const server = new Dhis2McpServer(options);
  const runtime: ToolRuntime = {
    connection: server.connection,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
  };
  registerProfileTools(server, runtime);
  registerSystemTools(server, runtime);
  registerMetadataTools(server, runtime);
  registerAnalyticsTools(server, runtime);
  registerDataValueTools(server, runtime);
  registerTrackerTools(server, runtime);
  registerMaintenanceTools(server, runtime);
  registerDataStoreTools(server, runtime);
  registerUserTools(server, runtime);
  registerValidationTools(server, runtime);
  registerToolkitTools(server, runtime);
  return server;
}
