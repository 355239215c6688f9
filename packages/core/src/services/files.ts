/**
 * File resource services for the CLI (`d2w files upload|download`): paths in, streams between
 * disk and DHIS2 (never a whole file in memory).
 */
import type { FileResource, FileResourceDomain } from "@dhis2w/client";
import { fileSource, saveResponseTo } from "@dhis2w/client/node";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/** Options of {@link fileUpload}. */
export interface FileUploadInput {
  readonly domain?: FileResourceDomain;
  /** Overrides the file's base name. */
  readonly name?: string;
  readonly contentType?: string;
  /** Wait until the server has stored the file (default true). */
  readonly wait?: boolean;
}

/**
 * Uploads a file from disk (streamed) and, unless `wait: false`, waits until it is STORED.
 *
 * @example
 * ```ts
 * const fr = await fileUpload(resolveProfile(), "scan.pdf", { domain: "DOCUMENT" });
 * ```
 */
export function fileUpload(
  target: ServiceTarget,
  file: string,
  input: FileUploadInput = {},
  options?: ServiceOptions,
): Promise<FileResource> {
  return withClient(
    target,
    async (client) => {
      const src = await fileSource(file);
      const fr = await client.files.upload(src.data, {
        name: input.name ?? src.name,
        contentType: input.contentType ?? src.contentType,
        ...(input.domain ? { domain: input.domain } : {}),
      });
      return input.wait === false ? fr : client.files.waitUntilStored(fr.id);
    },
    options,
  );
}

/**
 * Streams a file resource's bytes to `write` (a file path, or a callback taking the `Response`).
 *
 * @example
 * ```ts
 * await fileDownload(resolveProfile(), "Ab1cD2eF3gH", "scan.pdf");
 * ```
 */
export function fileDownload(
  target: ServiceTarget,
  id: string,
  write: string | ((res: Response) => Promise<void>),
  options?: ServiceOptions,
): Promise<{ bytes?: number; contentType: string | null; name: string | undefined }> {
  return withClient(
    target,
    async (client) => {
      const res = await client.files.download(id);
      const disposition = res.headers.get("content-disposition") ?? "";
      const name = /filename="?([^";]+)"?/.exec(disposition)?.[1];
      const contentType = res.headers.get("content-type");
      if (typeof write === "string") return { bytes: await saveResponseTo(res, write), contentType, name };
      await write(res);
      return { contentType, name };
    },
    options,
  );
}
