/**
 * `client.files` and `client.documents` against the emulator over real HTTP on each version:
 * streamed multipart uploads (a `ReadableStream` is sent as it is read and never retried), the
 * PENDING -> STORED wait, byte-exact downloads, the two size limits as `FileTooLargeError`,
 * documents the two-step way and as links, and a FILE_RESOURCE attribute through a tracker import.
 */
import { createHash } from "node:crypto";
import {
  BasicAuth,
  Dhis2Client,
  FileInputError,
  FileStorageError,
  FileTooLargeError,
  RetryPolicy,
} from "@dhis2w/client";
import { fixedClock, type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";

const auth = () => new BasicAuth({ username: "admin", password: "district" });

/** A stream of `total` pseudo-random bytes produced chunk by chunk, counting the pulls. */
function lazyBytes(total: number, chunk = 64 * 1024) {
  let sent = 0;
  let seed = 7;
  const hash = createHash("md5");
  const stats = { pulls: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      stats.pulls++;
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        bytes[i] = seed >>> 24;
      }
      hash.update(bytes);
      sent += n;
      controller.enqueue(bytes);
    },
  });
  let digest: string | undefined;
  return { stream, stats, md5: () => (digest ??= hash.digest("hex")) };
}

describe.each(["v41", "v42", "v43"] as const)("files on %s", (version) => {
  let emu: RunningEmulator | undefined;
  let client: Dhis2Client | undefined;
  afterEach(async () => {
    await client?.close();
    await emu?.close();
  });
  async function setup(opts: Parameters<typeof startEmulator>[0] = {}, clientOpts = {}) {
    emu = await startEmulator({ version, seed: "demo", ...opts });
    client = await Dhis2Client.open({ baseUrl: emu.url, auth: auth(), ...clientOpts });
    return { emu, client };
  }

  it("streams a ReadableStream upload (multipart built on the fly), waits for STORED, downloads byte-exact", async () => {
    const { emu, client } = await setup();
    const source = lazyBytes(3 * 1024 * 1024 + 17);
    const fr = await client.files.upload(source.stream, {
      name: "big.bin",
      contentType: "application/octet-stream",
      domain: "DOCUMENT",
    });
    expect(source.stats.pulls).toBeGreaterThan(40);
    expect(fr).toMatchObject({
      name: "big.bin",
      contentLength: 3 * 1024 * 1024 + 17,
      storageStatus: "PENDING",
    });
    expect(fr.contentMd5).toBe(source.md5());
    const stored = await client.files.waitUntilStored(fr.id, { intervalMs: 20 });
    expect(stored.storageStatus).toBe("STORED");
    const res = await client.files.download(fr.id);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    const got = createHash("md5")
      .update(new Uint8Array(await res.arrayBuffer()))
      .digest("hex");
    expect(got).toBe(source.md5());
    expect(emu.app.extensions.files!.get(fr.id)!.bytes.byteLength).toBe(3 * 1024 * 1024 + 17);
  });

  it("a Blob upload keeps its type; a stream is never retried, a Blob is", async () => {
    const { emu, client } = await setup(
      {},
      { retryPolicy: new RetryPolicy({ retryNonIdempotent: true, baseDelayMs: 1 }) },
    );
    const blob = new Blob(["a,b\n1,2\n"], { type: "text/csv" });
    emu.faults.add({ path: "/api/fileResources", method: "POST", times: 1, status: 503 });
    const fromBlob = await client.files.upload(blob, { name: "t.csv", domain: "DOCUMENT" });
    expect(fromBlob.contentType).toBe("text/csv");
    expect(emu.stats.count("/api/fileResources", "POST")).toBe(2);

    emu.faults.add({ path: "/api/fileResources", method: "POST", times: 1, status: 503 });
    const err = await client.files
      .upload(new Blob(["x"]).stream(), { name: "s.bin", domain: "DOCUMENT" })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 503 });
    expect(emu.stats.count("/api/fileResources", "POST")).toBe(3);
  });

  it("a stream body is not replayed after a 401 (a Blob is), and a redirect that would resend it is refused", async () => {
    const basic = auth();
    let refreshes = 0;
    const refreshing = {
      kind: "oauth2",
      headers: () => basic.headers(),
      onUnauthorized: async () => {
        refreshes++;
        return true;
      },
    };
    const { emu, client } = await setup({}, { auth: refreshing });
    emu.faults.add({ path: "/api/fileResources", method: "POST", times: 1, status: 401 });
    await client.files.upload(new Blob(["x"]), { name: "b.bin", domain: "DOCUMENT" });
    expect([refreshes, emu.stats.count("/api/fileResources", "POST")]).toEqual([1, 2]);

    emu.faults.add({ path: "/api/fileResources", method: "POST", times: 1, status: 401 });
    const unauthorized = await client.files
      .upload(new Blob(["x"]).stream(), { name: "s.bin", domain: "DOCUMENT" })
      .catch((e: unknown) => e);
    expect(unauthorized).toMatchObject({ statusCode: 401 });
    expect([refreshes, emu.stats.count("/api/fileResources", "POST")]).toEqual([1, 3]);

    emu.faults.add({
      path: "/api/fileResources",
      method: "POST",
      times: 1,
      status: 307,
      headers: { Location: `${emu.url}/api/fileResources` },
    });
    const redirected = await client.files
      .upload(new Blob(["x"]).stream(), { name: "r.bin", domain: "DOCUMENT" })
      .catch((e: unknown) => e);
    expect((redirected as Error).message).toMatch(
      /redirected \(307\) a streamed upload to .*a stream is read once/,
    );
  });

  it("over DHIS2's max.file_upload_size (409) and over the proxy's body limit (413): FileTooLargeError with a hint", async () => {
    const { emu, client } = await setup({ maxBodyBytes: 64 * 1024 });
    emu.app.extensions.files!.maxUploadBytes = 1000;
    const e409 = await client.files
      .upload(new Uint8Array(1001), { name: "scan.pdf", domain: "DOCUMENT" })
      .catch((e: unknown) => e);
    expect(e409).toBeInstanceOf(FileTooLargeError);
    expect(e409).toMatchObject({ limit: 1000, size: 1001, statusCode: 409 });
    expect((e409 as Error).message).toMatch(
      /scan\.pdf \(1001 bytes\) is larger than the server's limit of 1000 bytes \(max\.file_upload_size/,
    );

    const e413 = await client.files
      .upload(lazyBytes(256 * 1024).stream, { name: "huge.bin", domain: "DOCUMENT" })
      .catch((e: unknown) => e);
    expect(e413).toBeInstanceOf(FileTooLargeError);
    expect(e413).toMatchObject({ statusCode: 413 });
    expect((e413 as Error).message).toMatch(
      /huge\.bin is larger than the server accepts \(HTTP 413.*client_max_body_size/,
    );
  });

  it("waitUntilStored times out on the emulator's clock; bad input is refused before any request", async () => {
    const clock = fixedClock(Date.parse("2025-01-01T00:00:00Z"));
    const { emu, client } = await setup(
      { clock },
      { now: () => clock.now(), sleep: async (ms: number) => clock.advance(ms / 100) },
    );
    emu.app.extensions.files!.storeDelayMs = 60_000;
    const fr = await client.files.upload(new Uint8Array([1]), { name: "one.bin", domain: "DOCUMENT" });
    const err = await client.files
      .waitUntilStored(fr.id, { timeoutMs: 50, intervalMs: 1000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileStorageError);
    expect((err as Error).message).toBe(`file resource ${fr.id} (one.bin) is still PENDING after 50 ms`);
    const before = emu.stats.total;
    await expect(client.files.upload("text" as never, { name: "x" })).rejects.toBeInstanceOf(FileInputError);
    await expect(client.files.upload(new Uint8Array(1), { name: " " })).rejects.toThrow(
      /give the file a name/,
    );
    expect(emu.stats.total).toBe(before);
  });

  it("documents: a file (DOCUMENT file resource, then the document) and an external link", async () => {
    const { emu, client } = await setup();
    emu.app.extensions.files!.storeDelayMs = 0;
    const id = await client.documents.create({
      name: "Guide",
      file: new Blob(["# Guide\n"], { type: "text/markdown" }),
      filename: "guide.md",
    });
    const doc = emu.state.metadata.get("documents", id)!;
    expect(doc).toMatchObject({ name: "Guide", external: false, contentType: "text/markdown" });
    expect(emu.app.extensions.files!.get(String(doc.url))).toMatchObject({
      domain: "DOCUMENT",
      assigned: true,
    });
    expect(await (await client.documents.download(id)).text()).toBe("# Guide\n");

    const target = `${emu.url}/api/system/ping`;
    const link = await client.documents.create({ name: "Ping", url: target });
    const res = await client.documents.download(link);
    expect(res.url).toBe(target);
    await res.body?.cancel();
    await expect(client.documents.create({ name: "Bad", url: "ftp://x" })).rejects.toBeInstanceOf(
      FileInputError,
    );
  });

  it("a FILE_RESOURCE tracked entity attribute round-trips through a tracker import", async () => {
    const { emu, client } = await setup();
    const attribute = emu.app.extensions.toolkitDemo!.fileAttribute;
    const md = emu.app.extensions.metadataDemo!;
    const fr = await client.files.upload(new Blob(["signed"], { type: "application/pdf" }), {
      name: "consent.pdf",
    });
    expect(fr.domain).toBe("DATA_VALUE");
    const report = await client.tracker.import(
      {
        trackedEntities: [
          {
            trackedEntity: "TeConsent01",
            trackedEntityType: md.trackedEntityType,
            orgUnit: emu.demo!.facilities[0]!,
            attributes: [{ attribute, value: fr.id }],
          },
        ],
      },
      { async: false },
    );
    expect(report.status).toBe("OK");
    const te = (await client.getRaw("/api/tracker/trackedEntities/TeConsent01", {
      params: { fields: "attributes" },
    })) as {
      attributes: { attribute: string; value: string }[];
    };
    expect(te.attributes.find((a) => a.attribute === attribute)?.value).toBe(fr.id);
    expect((await client.files.get(fr.id)).assigned).toBe(true);
  });
});
