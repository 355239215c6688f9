import type { Dhis2Client } from "@dhis2w/client";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { Connection } from "./connection.js";

/** What every tool handler gets besides its arguments. */
export interface ToolContext {
  /** The server's shared client (opened on first use). */
  client(): Promise<Dhis2Client>;
  readonly connection: Connection;
  /** Aborted when the MCP client cancels the call. */
  readonly signal: AbortSignal;
  /** Poll interval of job waits (maintenance tools). */
  readonly pollIntervalMs: number;
}

/** One tool: name, agent-facing description, zod input and output object schemas, handler. */
export interface ToolSpec<I extends z.ZodObject, O extends z.ZodObject> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly annotations?: ToolAnnotations;
  run(args: z.output<I>, ctx: ToolContext): Promise<z.input<O>>;
}

/** Settings every tool shares. */
export interface ToolRuntime {
  readonly connection: Connection;
  readonly pollIntervalMs: number;
}

/** `Name: message (cause: ...)`: the cause chain matters (fetch hides ECONNREFUSED in it). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 4; depth++) {
    if (current instanceof Error) {
      const plain = current.name === "Error" || current.message.startsWith(`${current.name}:`);
      parts.push(plain ? current.message : `${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(" (cause: ") + ")".repeat(Math.max(0, parts.length - 1));
}

/**
 * An MCP tool error (`isError: true`) carrying the error's message as raised: the library's
 * errors hold no credential (masked where it sits: headers, URL user info, secret query
 * parameters), and the message is never rewritten, so the DHIS2 data it quotes stays exact.
 */
export function toolError(error: unknown): CallToolResult {
  return { isError: true, content: [{ type: "text", text: describeError(error) }] };
}

/**
 * Registers a tool whose handler returns structured data: it goes out as `structuredContent`
 * (validated against the output schema by the SDK) and as JSON text for clients that only read
 * `content`. Any throw becomes an `isError` result carrying its message.
 */
export function registerTool<I extends z.ZodObject, O extends z.ZodObject>(
  server: McpServer,
  runtime: ToolRuntime,
  spec: ToolSpec<I, O>,
): void {
  const { connection, pollIntervalMs } = runtime;
  server.registerTool(
    spec.name,
    {
      title: spec.title,
      description: spec.description,
      inputSchema: spec.input,
      outputSchema: spec.output,
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
    },
    // The SDK validates `args` against `spec.input` before calling; its generic type cannot see that.
    (async (args: z.output<I>, extra: { signal: AbortSignal }): Promise<CallToolResult> => {
      const ctx: ToolContext = {
        client: () => connection.client(),
        connection,
        signal: extra.signal,
        pollIntervalMs,
      };
      try {
        const out = (await spec.run(args, ctx)) as Record<string, unknown>;
        return { content: [{ type: "text", text: JSON.stringify(out) }], structuredContent: out };
      } catch (error) {
        return toolError(error);
      }
    }) as never,
  );
}
