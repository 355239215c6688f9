/**
 * Type-checked by the pack check with `tsc --noEmit` (strict, skipLibCheck off) against the
 * installed tarballs: the published declarations resolve and type real use, every package's
 * root and the client's subpaths. Never run.
 */
import { defineCommand } from "@dhis2w/cli";
import {
  BasicAuth,
  type DataValueSource,
  Dhis2ApiError,
  Dhis2Client,
  dataValuesFromText,
} from "@dhis2w/client";
import { dataValuesFromFile, streamAnalyticsTo } from "@dhis2w/client/node";
import type { DataElement } from "@dhis2w/client/v42";
import { openClient, profileFromEnv } from "@dhis2w/core";
import { startEmulator } from "@dhis2w/emulator";
import { createEmulator } from "@dhis2w/emulator/browser";
import { createServer } from "@dhis2w/mcp";

export async function use(): Promise<void> {
  const emu = await startEmulator({ version: "v42", port: 0, seed: "demo" });
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  const narrowed: { id: string; name?: string }[] = await client.resources.dataElements.list({
    fields: "id,name",
  });
  // @ts-expect-error a misspelt field is a type error, so the types are live (not any)
  await client.resources.dataElements.list({ fields: "id,nmae" });
  const full: DataElement | undefined = undefined;
  const source: DataValueSource = dataValuesFromFile("values.json.gz");
  await client.dataValues.import(source);
  await client.dataValues.import(dataValuesFromText(new Blob(["{}"]), { format: "json" }));
  const written: { path: string; bytes: number } = await streamAnalyticsTo(client, "out.csv", {
    dimensions: ["pe:2024"],
  });
  const error: unknown = undefined;
  if (error instanceof Dhis2ApiError) console.log(error.statusCode satisfies number);
  await using profiled = await openClient(profileFromEnv());
  const browserEmu = await createEmulator({ version: "v43" });
  const server = createServer({});
  const command = defineCommand({ meta: { name: "x", description: "y" }, args: {}, run: async () => 0 });
  console.log(narrowed, full, written, profiled.versionKey, browserEmu.url, server, command);
  await emu.close();
}
