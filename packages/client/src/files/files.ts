/**
 * `client.files` (`/api/fileResources`) and `client.documents` (`/api/documents`). Uploads are
 * multipart, streamed from a `Blob` or a `ReadableStream` (see `http/multipart.ts`); downloads
 * hand back the `Response`, body unread. DHIS2 stores an upload asynchronously: it answers 202
 * with `storageStatus: "PENDING"` and the file can be read once it is `STORED`
 * (`waitUntilStored`). Same on 2.41-2.43 (dhis2-core `FileResourceController`,
 * `DocumentController`, `DocumentObjectBundleHook`).
 */
import { Dhis2ClientError } from "../errors.js";
import { Dhis2ApiError } from "../http/errors/api-error.js";
import { type CallOptions, enc, type FacadeHttp } from "../http/facade.js";
import { isUploadData, multipartBody, type UploadData } from "../http/multipart.js";
import type { SleepLike } from "../http/pipeline.js";

/** `FileResourceDomain`: what a file is for (DHIS2's default is DATA_VALUE). */
export type FileResourceDomain =
  | "DATA_VALUE"
  | "PUSH_ANALYSIS"
  | "DOCUMENT"
  | "MESSAGE_ATTACHMENT"
  | "USER_AVATAR"
  | "ORG_UNIT"
  | "ICON"
  | "JOB_DATA";

/** A file resource as DHIS2 describes it. */
export interface FileResource {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly contentLength: number;
  readonly contentMd5?: string;
  readonly domain: FileResourceDomain;
  /** PENDING while the server moves it to its store, then STORED (FAILED when that failed). */
  readonly storageStatus: "NONE" | "PENDING" | "FAILED" | "STORED";
  readonly assigned?: boolean;
  readonly created?: string;
  readonly lastUpdated?: string;
  readonly [key: string]: unknown;
}

/** Options of {@link Files.upload}. */
export interface UploadOptions extends CallOptions {
  /** The file name DHIS2 keeps (and serves in `Content-Disposition`). */
  readonly name: string;
  /** Default: the Blob's type, else `application/octet-stream`. */
  readonly contentType?: string;
  /** Default DATA_VALUE, as DHIS2's; such files are served only through the data they belong to. */
  readonly domain?: FileResourceDomain;
}

/**
 * An upload the server (or its proxy) refused for its size: DHIS2's own limit
 * (`max.file_upload_size` in dhis.conf, 10 MB by default: 409 "File size can't be bigger
 * than ...") or the proxy's / servlet container's (413). `limit` is the server's number when it
 * said it.
 *
 * @example
 * ```ts
 * try { await client.files.upload(blob, { name: "scan.pdf" }); }
 * catch (e) { if (e instanceof FileTooLargeError) console.error(e.message); }
 * ```
 */
export class FileTooLargeError extends Dhis2ClientError {
  override readonly name = "FileTooLargeError" as const;
  readonly statusCode: number;
  constructor(
    message: string,
    readonly file: string,
    readonly limit: number | undefined,
    readonly size: number | undefined,
    options: { cause: Dhis2ApiError },
  ) {
    super(message, options);
    this.statusCode = options.cause.statusCode;
  }
}

/** A file upload or document that cannot be sent as given, refused before any request. */
export class FileInputError extends Dhis2ClientError {
  override readonly name = "FileInputError" as const;
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** `waitUntilStored` ran out of time, or the server could not store the file. */
export class FileStorageError extends Dhis2ClientError {
  override readonly name = "FileStorageError" as const;
  constructor(
    message: string,
    readonly file: string,
    readonly storageStatus: string,
  ) {
    super(message);
  }
}

function sizeOf(data: UploadData): number | undefined {
  return data instanceof Blob ? data.size : data instanceof Uint8Array ? data.byteLength : undefined;
}

function tooLarge(name: string, data: UploadData, err: Dhis2ApiError): FileTooLargeError | undefined {
  const m = /File size can't be bigger than (\d+), current file size (\d+)/.exec(err.serverMessage);
  if (err.statusCode === 413) {
    const size = sizeOf(data);
    return new FileTooLargeError(
      `${name}${size === undefined ? "" : ` (${size} bytes)`} is larger than the server accepts (HTTP 413 from DHIS2's proxy or servlet container). Raise the proxy's limit (nginx: client_max_body_size; Apache: LimitRequestBody) and DHIS2's max.file_upload_size in dhis.conf, or upload a smaller file.`,
      name,
      undefined,
      size,
      { cause: err },
    );
  }
  if (err.statusCode === 409 && m) {
    return new FileTooLargeError(
      `${name} (${m[2]} bytes) is larger than the server's limit of ${m[1]} bytes (max.file_upload_size in dhis.conf; 10000000 by default). Ask the administrator to raise it, or upload a smaller file.`,
      name,
      Number(m[1]),
      Number(m[2]),
      { cause: err },
    );
  }
  return undefined;
}

/**
 * File resources.
 *
 * @example
 * ```ts
 * const fr = await client.files.upload(new Blob(["hello"], { type: "text/plain" }), { name: "hello.txt", domain: "DOCUMENT" });
 * await client.files.waitUntilStored(fr.id);
 * const text = await (await client.files.download(fr.id)).text();
 * ```
 */
export class Files {
  readonly #http: FacadeHttp;
  readonly #sleep: SleepLike;
  readonly #now: () => number;

  constructor(http: FacadeHttp, options: { sleep: SleepLike; now: () => number }) {
    this.#http = http;
    this.#sleep = options.sleep;
    this.#now = options.now;
  }

  /**
   * Uploads a file: a `Blob`/`File` or `Uint8Array` (a retry may send it again), or a
   * `ReadableStream` of bytes (streamed as it is read, sent once: never retried). The answer is
   * usually still `storageStatus: "PENDING"`.
   */
  async upload(data: UploadData, options: UploadOptions): Promise<FileResource> {
    if (!isUploadData(data)) {
      throw new FileInputError(
        "upload: data must be a Blob, a Uint8Array or a ReadableStream of bytes",
        "data",
      );
    }
    if (typeof options?.name !== "string" || options.name.trim() === "") {
      throw new FileInputError('upload: give the file a name ({ name: "report.pdf" })', "name");
    }
    const { body, contentType } = multipartBody("file", data, {
      filename: options.name,
      contentType: options.contentType,
    });
    let raw: { response?: { fileResource?: FileResource } };
    try {
      raw = await this.#http.request("POST", "/api/fileResources", {
        params: options.domain ? { domain: options.domain } : undefined,
        body,
        headers: contentType ? { "content-type": contentType } : undefined,
        signal: options.signal,
      });
    } catch (err) {
      throw (err instanceof Dhis2ApiError && tooLarge(options.name, data, err)) || err;
    }
    const fr = raw.response?.fileResource;
    if (!fr?.id)
      throw new Dhis2ClientError("POST /api/fileResources: the answer has no response.fileResource");
    return fr;
  }

  /** A file resource's description. */
  get(id: string, options: CallOptions = {}): Promise<FileResource> {
    return this.#http.request<FileResource>("GET", `/api/fileResources/${enc(id)}`, {
      signal: options.signal,
    });
  }

  /**
   * Polls until the file is STORED (`FileStorageError` when it FAILED or after `timeoutMs`).
   *
   * @example
   * ```ts
   * const stored = await client.files.waitUntilStored(fr.id, { timeoutMs: 30_000 });
   * ```
   */
  async waitUntilStored(
    id: string,
    options: CallOptions & { timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<FileResource> {
    const deadline = this.#now() + (options.timeoutMs ?? 60_000);
    for (let delay = options.intervalMs ?? 200; ; delay = Math.min(delay * 2, 2_000)) {
      const fr = await this.get(id, options);
      if (fr.storageStatus === "STORED") return fr;
      if (fr.storageStatus === "FAILED") {
        throw new FileStorageError(
          `file resource ${id} (${fr.name}): the server could not store it (FAILED)`,
          id,
          "FAILED",
        );
      }
      if (this.#now() >= deadline) {
        throw new FileStorageError(
          `file resource ${id} (${fr.name}) is still ${fr.storageStatus} after ${options.timeoutMs ?? 60_000} ms`,
          id,
          fr.storageStatus,
        );
      }
      await this.#sleep(delay, options.signal);
    }
  }

  /**
   * The file's bytes as a `Response` (body unread: stream it, or `await res.arrayBuffer()`).
   * DATA_VALUE files are not served here (403): read them through their data value or tracker
   * attribute.
   */
  download(id: string, options: CallOptions = {}): Promise<Response> {
    return this.#http.fetchResponse("GET", `/api/fileResources/${enc(id)}/data`, {
      signal: options.signal,
      headers: { accept: "*/*" },
    });
  }
}

/** What {@link Documents.create} takes: a file to upload, or an external link. */
export type DocumentInput =
  | {
      readonly name: string;
      readonly file: UploadData;
      readonly filename?: string;
      readonly contentType?: string;
      readonly attachment?: boolean;
    }
  | { readonly name: string; readonly url: string };

/**
 * Documents, made DHIS2's two-step way: a DOCUMENT file resource, then the document pointing at
 * it (`url` is the file resource's id); or a document holding an external link.
 *
 * @example
 * ```ts
 * const id = await client.documents.create({ name: "Guide", file: blob, filename: "guide.pdf" });
 * const link = await client.documents.create({ name: "DHIS2", url: "https://dhis2.org" });
 * ```
 */
export class Documents {
  readonly #http: FacadeHttp;
  readonly #files: Files;

  constructor(http: FacadeHttp, files: Files) {
    this.#http = http;
    this.#files = files;
  }

  /** Creates a document and returns its id; a file is uploaded and stored first. */
  async create(input: DocumentInput, options: CallOptions = {}): Promise<string> {
    if (typeof input?.name !== "string" || input.name.trim() === "") {
      throw new FileInputError("documents.create: a document needs a name", "name");
    }
    let body: Record<string, unknown>;
    if ("url" in input && input.url !== undefined) {
      if (!/^https?:\/\//.test(input.url)) {
        throw new FileInputError(`documents.create: url must be an http(s) link, got "${input.url}"`, "url");
      }
      body = { name: input.name, url: input.url, external: true };
    } else if ("file" in input && input.file !== undefined) {
      const fr = await this.#files.upload(input.file, {
        name: input.filename ?? input.name,
        contentType: input.contentType,
        domain: "DOCUMENT",
        signal: options.signal,
      });
      await this.#files.waitUntilStored(fr.id, options);
      body = {
        name: input.name,
        url: fr.id,
        external: false,
        contentType: fr.contentType,
        ...(input.attachment !== undefined ? { attachment: input.attachment } : {}),
      };
    } else {
      throw new FileInputError(
        "documents.create: give either file (to upload) or url (an external link)",
        "file",
      );
    }
    const raw = await this.#http.request<{ response?: { uid?: string } }>("POST", "/api/documents", {
      body,
      signal: options.signal,
    });
    const id = raw.response?.uid;
    if (!id) throw new Dhis2ClientError("POST /api/documents: the answer has no response.uid");
    return id;
  }

  /**
   * The document's content as a `Response` (an external document's redirect is followed; the
   * credentials are not sent to another host).
   */
  download(id: string, options: CallOptions = {}): Promise<Response> {
    return this.#http.fetchResponse("GET", `/api/documents/${enc(id)}/data`, {
      signal: options.signal,
      headers: { accept: "*/*" },
    });
  }
}
