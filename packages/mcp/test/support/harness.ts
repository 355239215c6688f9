/** An MCP client wired to `createServer` through the SDK's in-memory transport pair. */
import { type CreateServerOptions, createServer, type Dhis2McpServer } from "@dhis2w/mcp";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { expect } from "vitest";

export interface Harness {
  client: Client;
  server: Dhis2McpServer;
  /** Calls a tool; the raw result (check `isError` yourself). */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Calls a tool that must succeed; its `structuredContent`. */
  ok<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a tool that must fail; the error text. */
  fails(name: string, args?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export const textOf = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

export async function connectHarness(options: CreateServerOptions): Promise<Harness> {
  const server = createServer({ pollIntervalMs: 5, ...options });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "mcp-test", version: "0.0.0" });
  await server.connect(serverSide);
  await client.connect(clientSide);
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  return {
    client,
    server,
    call,
    async ok<T>(name: string, args: Record<string, unknown> = {}) {
      const r = await call(name, args);
      expect(r.isError, `${name} failed: ${textOf(r)}`).toBeFalsy();
      // The text content mirrors the structured content for clients that only read text.
      expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);
      return r.structuredContent as T;
    },
    async fails(name: string, args: Record<string, unknown> = {}) {
      const r = await call(name, args);
      expect(r.isError, `${name} should fail, got ${textOf(r)}`).toBe(true);
      return textOf(r);
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}
