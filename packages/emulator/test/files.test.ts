/**
 * `/api/fileResources` and `/api/documents` with dhis2-core's semantics (FileResourceController,
 * FileResourceUtils.validateFileSize, DocumentController, DocumentObjectBundleHook), and a
 * FILE_RESOURCE tracked entity attribute in a tracker import (ValidationUtils E1007 / E1009).
 */
import { createHash } from "node:crypto";
import { type Emulator, fixedClock } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

function upload(emu: Emulator, bytes: Uint8Array, name: string, domain?: string) {
  const form = new FormData();
  form.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "text/plain" }), name);
  return call(emu, `/api/fileResources${domain ? `?domain=${domain}` : ""}`, { method: "POST", body: form });
}
const json = (body: unknown) => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json" },
});

describe.each(["v41", "v42", "v43"] as const)("file resources on %s", (version) => {
  const start = useEmulator();

  it("an upload is 202 PENDING, STORED once the clock passes the storage delay; /data is byte-exact", async () => {
    const clock = fixedClock(Date.parse("2025-01-01T00:00:00Z"));
    const emu = await start({ version, seed: "empty", clock });
    const bytes = new TextEncoder().encode("hello, files\n");
    const res = await upload(emu, bytes, "hello.txt", "DOCUMENT");
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      response: { responseType: string; fileResource: Record<string, unknown> };
    };
    expect(body.response.responseType).toBe("FileResource");
    const fr = body.response.fileResource;
    expect(fr).toMatchObject({
      name: "hello.txt",
      contentType: "text/plain",
      contentLength: bytes.length,
      contentMd5: createHash("md5").update(bytes).digest("hex"),
      domain: "DOCUMENT",
      storageStatus: "PENDING",
    });
    const early = await call(emu, `/api/fileResources/${fr.id}/data`);
    expect(early.status).toBe(500);
    clock.advance(1000);
    const got = (await (await call(emu, `/api/fileResources/${fr.id}`)).json()) as Record<string, unknown>;
    expect(got.storageStatus).toBe("STORED");
    const data = await call(emu, `/api/fileResources/${fr.id}/data`);
    expect(data.headers.get("content-disposition")).toBe("filename=hello.txt");
    expect(new Uint8Array(await data.arrayBuffer())).toEqual(bytes);
  });

  it("the default domain is DATA_VALUE, whose /data is 403; over max.file_upload_size is 409", async () => {
    const emu = await start({ version, seed: "empty" });
    emu.app.extensions.files!.storeDelayMs = 0;
    const res = await upload(emu, new Uint8Array([1, 2, 3]), "v.bin");
    const fr = ((await res.json()) as { response: { fileResource: { id: string; domain: string } } }).response
      .fileResource;
    expect(fr.domain).toBe("DATA_VALUE");
    const refused = await call(emu, `/api/fileResources/${fr.id}/data`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe(
      version === "v43"
        ? `File resource not found or not accessible: ${fr.id}`
        : `You don't have access to fileResource '${fr.id}' or this fileResource is not available from this endpoint`,
    );
    emu.app.extensions.files!.maxUploadBytes = 10;
    const big = await upload(emu, new Uint8Array(11), "big.bin", "DOCUMENT");
    expect(big.status).toBe(409);
    expect(((await big.json()) as { message: string }).message).toBe(
      "File size can't be bigger than 10, current file size 11",
    );
  });

  it("a document takes a DOCUMENT file resource (assigned after), an external one a URL; /data serves or redirects", async () => {
    const emu = await start({ version, seed: "empty" });
    emu.app.extensions.files!.storeDelayMs = 0;
    const up = await upload(emu, new TextEncoder().encode("report"), "report.txt", "DOCUMENT");
    const frId = ((await up.json()) as { response: { fileResource: { id: string } } }).response.fileResource
      .id;
    const created = await call(emu, "/api/documents", json({ name: "Report", url: frId, external: false }));
    expect(created.status).toBe(201);
    const docId = ((await created.json()) as { response: { uid: string } }).response.uid;
    expect(emu.app.extensions.files!.get(frId)).toMatchObject({ assigned: true, domain: "DOCUMENT" });
    const data = await call(emu, `/api/documents/${docId}/data`);
    expect(await data.text()).toBe("report");

    const again = await call(emu, "/api/documents", json({ name: "Again", url: frId }));
    expect(again.status).toBe(409);
    expect(JSON.stringify(await again.json())).toContain("E4016");
    const missing = await call(emu, "/api/documents", json({ name: "Missing", url: "abcdefghijk" }));
    expect(JSON.stringify(await missing.json())).toContain("E4015");
    const badUrl = await call(emu, "/api/documents", json({ name: "Bad", url: "not a url", external: true }));
    expect(JSON.stringify(await badUrl.json())).toContain("E4004");

    const ext = await call(
      emu,
      "/api/documents",
      json({ name: "Site", url: "https://dhis2.org/", external: true }),
    );
    const extId = ((await ext.json()) as { response: { uid: string } }).response.uid;
    const redirect = await call(emu, `/api/documents/${extId}/data`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("https://dhis2.org/");
    const none = await call(emu, "/api/documents/abcdefghijk/data");
    expect(none.status).toBe(404);
  });

  it("a FILE_RESOURCE attribute must name an uploaded file, which the import assigns to the tracked entity", async () => {
    const emu = await start({ version, seed: "demo" });
    emu.app.extensions.files!.storeDelayMs = 0;
    const attribute = emu.app.extensions.toolkitDemo!.fileAttribute;
    const md = emu.app.extensions.metadataDemo!;
    const te = (id: string, value: string) => ({
      trackedEntity: id,
      trackedEntityType: md.trackedEntityType,
      orgUnit: emu.demo!.facilities[0],
      attributes: [{ attribute, value }],
    });
    const missing = await call(
      emu,
      "/api/tracker?async=false",
      json({ trackedEntities: [te("TeFile00001", "abcdefghijk")] }),
    );
    const report = JSON.stringify(await missing.json());
    expect(report).toContain("E1007");
    expect(report).toContain("File resource `abcdefghijk` could not be found.");

    const up = await upload(emu, new TextEncoder().encode("consent"), "consent.pdf");
    const frId = ((await up.json()) as { response: { fileResource: { id: string } } }).response.fileResource
      .id;
    const ok = await call(
      emu,
      "/api/tracker?async=false",
      json({ trackedEntities: [te("TeFile00001", frId)] }),
    );
    expect(((await ok.json()) as { status: string }).status).toBe("OK");
    expect(emu.app.extensions.files!.get(frId)).toMatchObject({ assigned: true, owner: "TeFile00001" });
    const read = (await (
      await call(emu, `/api/tracker/trackedEntities/TeFile00001?fields=attributes`)
    ).json()) as { attributes: { attribute: string; value: string; valueType: string }[] };
    expect(read.attributes).toContainEqual(
      expect.objectContaining({ attribute, value: frId, valueType: "FILE_RESOURCE" }),
    );

    const taken = await call(
      emu,
      "/api/tracker?async=false",
      json({ trackedEntities: [te("TeFile00002", frId)] }),
    );
    expect(JSON.stringify(await taken.json())).toContain("E1009");
  });
});
