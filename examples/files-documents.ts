/**
 * Files and documents: uploads a file resource (from a stream, as a file on disk would be sent),
 * waits until DHIS2 has stored it, downloads it back; creates a document DHIS2's two-step way
 * (a DOCUMENT file resource, then the document) and one holding an external link.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/files-documents.ts
 */
import { FileTooLargeError, openClient } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);

    const text = "district,cases\nKalamba,12\nTonkoli,7\n";
    const stream = new Blob([text]).stream(); // e.g. fileSource(path).data from @dhis2w/client/node
    const uploaded = await client.files.upload(stream, {
      name: "cases.csv",
      contentType: "text/csv",
      domain: "DOCUMENT",
    });
    console.log(
      `uploaded ${uploaded.name}: ${uploaded.id}, ${uploaded.contentLength} bytes, ${uploaded.storageStatus}`,
    );
    const stored = await client.files.waitUntilStored(uploaded.id);
    console.log(`storage status: ${stored.storageStatus}`);
    const back = await (await client.files.download(uploaded.id)).text();
    console.log(`downloaded back byte for byte: ${back === text}`);

    const doc = await client.documents.create({
      name: "Case summary",
      file: new Blob(["# Cases\nAll districts reported.\n"], { type: "text/markdown" }),
      filename: "summary.md",
    });
    console.log(`document ${doc}: ${JSON.stringify(await (await client.documents.download(doc)).text())}`);
    const link = await client.documents.create({
      name: "DHIS2 documentation",
      url: "https://docs.dhis2.org/",
    });
    console.log(`link document ${link} created`);
    await client.resources.documents.delete(doc);
    await client.resources.documents.delete(link);

    try {
      await client.files.upload(new Uint8Array(11 * 1000 * 1000), {
        name: "too-big.bin",
        domain: "DOCUMENT",
      });
      console.log("the server took an 11 MB file (its max.file_upload_size is larger)");
    } catch (e) {
      if (!(e instanceof FileTooLargeError)) throw e;
      console.log(`refused: ${e.message}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
