/**
 * Tutorial section "Raw escape hatches": every endpoint is reachable through `getRaw`, `postRaw`,
 * `putRaw`, `patchRaw` and `deleteRaw` (JSON in, a JSON object out; a bare JSON array or value
 * comes back as `{ data }`), and `client.get(path, { schema })` validates an answer with any
 * Standard Schema validator (zod here). Prefer the typed accessors where they exist.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/raw-escape-hatches.ts
 */
import { Dhis2ClientError, generateUid, openClient, WebMessageResponse } from "@dhis2w/client";
import * as z from "zod";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);

    // GET with query parameters (arrays repeat the key).
    const page = await client.getRaw("/api/dataElements", {
      params: { fields: "id,name", pageSize: 2, order: ["name:asc"] },
    });
    console.log(`getRaw /api/dataElements -> keys ${Object.keys(page).join(", ")}`);

    // POST a metadata bundle.
    const id = generateUid();
    const categoryCombo = { id: await client.system.defaultCategoryComboUid() };
    const de = {
      id,
      name: `Raw ${id}`,
      shortName: `Raw ${id}`,
      domainType: "AGGREGATE",
      valueType: "NUMBER",
      aggregationType: "SUM",
      categoryCombo,
    };
    const imported = WebMessageResponse.parse(await client.postRaw("/api/metadata", { dataElements: [de] }));
    console.log(
      `postRaw /api/metadata -> ${imported.status}, created ${imported.importReport()?.stats?.created ?? "?"}`,
    );

    // PUT the whole object back, PATCH one field (RFC 6902), DELETE.
    await client.putRaw(`/api/dataElements/${id}`, { ...de, name: `Raw ${id} (put)` });
    await client.patchRaw(`/api/dataElements/${id}`, [
      { op: "replace", path: "/shortName", value: `P ${id}` },
    ]);
    const after = await client.getRaw(`/api/dataElements/${id}`, { params: { fields: "name,shortName" } });
    console.log(`putRaw + patchRaw -> ${JSON.stringify(after)}`);
    const deleted = await client.deleteRaw(`/api/dataElements/${id}`);
    console.log(`deleteRaw -> ${String(deleted.httpStatusCode ?? JSON.stringify(deleted))}`);

    // A bare JSON array (here /api/me/authorization) comes back wrapped as { data: [...] }.
    const authorities = await client.getRaw<{ data: string[] }>("/api/me/authorization");
    console.log(
      `getRaw /api/me/authorization (a bare array) -> { data: [${authorities.data.slice(0, 3).join(", ")}${authorities.data.length > 3 ? ", ..." : ""}] }`,
    );

    // Typed GET with your own schema: the schema sees the JSON as sent.
    const Pager = z.object({
      pager: z.object({ page: z.number(), pageSize: z.number(), total: z.number() }),
      dataElements: z.array(z.object({ id: z.string(), name: z.string() })),
    });
    const typed = await client.get("/api/dataElements", {
      schema: Pager,
      params: { fields: "id,name", pageSize: 2 },
    });
    console.log(
      `client.get({ schema }) -> total ${typed.pager.total}, first "${typed.dataElements[0]?.name}"`,
    );

    // A mismatch names the path and the issue.
    try {
      await client.get("/api/system/info", { schema: z.object({ version: z.number() }) });
    } catch (error) {
      if (!(error instanceof Dhis2ClientError)) throw error;
      console.log(`schema mismatch -> ${error.message}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
