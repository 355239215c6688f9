/**
 * Filters, order, paging (tutorial section "Filters, order, paging"): DHIS2's native
 * `property:operator:value` filters (checked before any request), `rootJunction: "OR"`, ordering,
 * server-side pages, `paging: false`, the `pager` block from `listRaw`, and `iterate` over every page.
 *
 *   npx tsx --conditions=source examples/filters-order-paging.ts
 */
import { type Dhis2Client, openClient, QueryValidationError } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(client?: Dhis2Client): Promise<void> {
  if (!client) {
    const target = await exampleTarget();
    try {
      await using own = await openClient(target.profile);
      return await main(own);
    } finally {
      await target.close();
    }
  }
  const { resources } = client;

  // Single filter
  const penta = await resources.dataElements.list({ filters: ["name:like:Penta"], fields: "id,name" });
  console.log(`name like Penta: ${penta.map((d) => d.name).join(", ") || "(none)"}`);

  // Several filters, ORed
  const matches = await resources.dataElements.list({
    filters: ["name:like:Penta", "code:eq:DE_PENTA1", "name:like:ANC"],
    rootJunction: "OR",
    fields: "code",
  });
  console.log(`OR matches: ${matches.map((d) => d.code).join(", ") || "(none)"}`);

  // Server-side paging + ordering
  const page = await resources.organisationUnits.list({
    order: ["level:asc", "name:asc"],
    pageSize: 5,
    page: 2,
    fields: "name,level",
  });
  console.log(
    `org units, page 2 of 5 by level then name: ${page.map((o) => `${o.name} (L${o.level})`).join("; ")}`,
  );

  // Everything in one request
  const everything = await resources.indicators.list({ paging: false, fields: ":identifiable" });
  console.log(`indicators (paging=false): ${everything.length}`);

  // Or one page with its pager block
  const envelope = await resources.dataElements.listRaw({ pageSize: 50, page: 1 });
  const { pager } = envelope;
  console.log(`pager: page ${pager?.page}/${pager?.pageCount}, total ${pager?.total}`);

  // Or walk every page
  let count = 0;
  for await (const ou of resources.organisationUnits.iterate({
    pageSize: 10,
    fields: "id",
    filters: "level:le:3",
  })) {
    if (ou.id) count++;
  }
  console.log(`org units at level <= 3 (iterated 10 per page): ${count}`);

  // Mistakes are caught before any request
  try {
    await resources.dataElements.list({ filters: ["name:likes:Penta"] });
  } catch (error) {
    if (!(error instanceof QueryValidationError)) throw error;
    console.log(`rejected before sending: ${error.message}`);
  }
}

runIfMain(import.meta.url, () => main());
