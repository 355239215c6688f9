// Run by the pack check with Node, Bun and Deno against the emulator (DHIS2_URL): the built
// `@dhis2w/client` root, installed from its tarball, on each runtime. Prints one JSON line.
import { BasicAuth, Dhis2Client } from "@dhis2w/client";

const baseUrl = globalThis.Deno ? globalThis.Deno.env.get("DHIS2_URL") : globalThis.process.env.DHIS2_URL;
const client = await Dhis2Client.open({
  baseUrl,
  auth: new BasicAuth({ username: "admin", password: "district" }),
});
try {
  const dataElements = await client.resources.dataElements.list({ fields: "id,name", pageSize: 5 });
  let orgUnits = 0;
  for await (const _ of client.resources.organisationUnits.iterate({ fields: "id", pageSize: 50 }))
    orgUnits++;
  const de = dataElements[0].id;
  const ou = (await client.resources.organisationUnits.list({ fields: "id", filters: ["level:eq:1"] }))[0].id;
  const chunks = [];
  const sink = new WritableStream({ write: (c) => void chunks.push(c) });
  const exported = await client.analytics.streamTo(sink, {
    outputFormat: "csv",
    dimensions: [`dx:${de}`, "pe:LAST_12_MONTHS", `ou:${ou}`],
  });
  const failure = await client.getRaw("/api/dataElements/doesNotExist").catch((e) => e);
  console.log(
    JSON.stringify({
      version: client.versionKey,
      dataElements: dataElements.length,
      orgUnits,
      csvBytes: exported.bytes,
      errorName: failure.name,
    }),
  );
} finally {
  await client.close();
}
