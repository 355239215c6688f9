/**
 * `client.apps` (`/api/apps`): list, install from a zip (streamed multipart), uninstall, reload.
 * 2.41 answers an install 204 with no body, 2.42 and 2.43 201 with the installed app (dhis2-core
 * `AppController.installApp`); `install` returns the app either way (on 2.41 it reads it back).
 */
import { Dhis2ClientError } from "../errors.js";
import { Dhis2ApiError } from "../http/errors/api-error.js";
import { type CallOptions, enc, type FacadeHttp } from "../http/facade.js";
import { isUploadData, multipartBody, type UploadData } from "../http/multipart.js";

/** An installed app as `/api/apps` describes it (the manifest plus what the server adds). */
export interface App {
  readonly key: string;
  readonly name: string;
  readonly version?: string;
  readonly appType?: string;
  readonly baseUrl?: string;
  readonly launchUrl?: string;
  readonly [key: string]: unknown;
}

/**
 * DHIS2 refused a zip as an app (409), or the zip is not one (checked before sending when the
 * bytes are at hand). The message says what the server wants: a `manifest.webapp` at the root of
 * the zip or inside its one top-level folder.
 *
 * @example
 * ```ts
 * try { await client.apps.install(zip, { filename: "my-app.zip" }); }
 * catch (e) { if (e instanceof AppInstallError) console.error(e.message); }
 * ```
 */
export class AppInstallError extends Dhis2ClientError {
  override readonly name = "AppInstallError" as const;
  constructor(
    message: string,
    readonly file: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const HINT =
  "an app is a zip with a manifest.webapp (JSON with at least a name) at its root or inside its one top-level folder; an app built with the DHIS2 app platform (d2 app scripts build) has one in build/bundle/*.zip";

async function looksLikeZip(data: UploadData): Promise<boolean | undefined> {
  const head =
    data instanceof Uint8Array
      ? data.subarray(0, 4)
      : data instanceof Blob
        ? new Uint8Array(await data.slice(0, 4).arrayBuffer())
        : undefined;
  if (!head) return undefined;
  return head.length === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
}

/**
 * Apps.
 *
 * @example
 * ```ts
 * const app = await client.apps.install(await openAsBlob("my-app.zip"), { filename: "my-app.zip" });
 * await client.apps.uninstall(app.key);
 * ```
 */
export class Apps {
  readonly #http: FacadeHttp;

  constructor(http: FacadeHttp) {
    this.#http = http;
  }

  /** The installed apps. */
  async list(options: CallOptions = {}): Promise<App[]> {
    const raw = await this.#http.request<{ data?: App[] }>("GET", "/api/apps", { signal: options.signal });
    return raw.data ?? [];
  }

  /**
   * Installs (or replaces) an app from a zip: a `Blob`, `Uint8Array` or `ReadableStream`.
   * Returns the installed app; on 2.41, which answers with no body, the app whose key is new in
   * the list (undefined when the install replaced an app of the same key).
   */
  async install(
    zip: UploadData,
    options: CallOptions & { filename?: string } = {},
  ): Promise<App | undefined> {
    const file = options.filename ?? "app.zip";
    if (!isUploadData(zip))
      throw new AppInstallError("install: the zip must be a Blob, a Uint8Array or a ReadableStream", file);
    if ((await looksLikeZip(zip)) === false)
      throw new AppInstallError(`${file} is not a zip file: ${HINT}`, file);
    const before = new Set((await this.list(options)).map((a) => a.key));
    const { body, contentType } = multipartBody("file", zip, {
      filename: file,
      contentType: "application/zip",
    });
    let installed: App | Record<string, unknown>;
    try {
      installed = await this.#http.request("POST", "/api/apps", {
        body,
        headers: contentType ? { "content-type": contentType } : undefined,
        signal: options.signal,
      });
    } catch (err) {
      if (err instanceof Dhis2ApiError && err.statusCode === 409) {
        throw new AppInstallError(`${file} was refused: ${err.serverMessage}; ${HINT}`, file, { cause: err });
      }
      throw err;
    }
    if (typeof installed.key === "string") return installed as App;
    return (await this.list(options)).find((a) => !before.has(a.key));
  }

  /** Uninstalls an app by key (404 when there is none). */
  async uninstall(key: string, options: CallOptions & { deleteAppData?: boolean } = {}): Promise<void> {
    await this.#http.request("DELETE", `/api/apps/${enc(key)}`, {
      params: options.deleteAppData ? { deleteAppData: "true" } : undefined,
      signal: options.signal,
    });
  }

  /** Re-reads the installed apps from storage. */
  async reload(options: CallOptions = {}): Promise<void> {
    await this.#http.request("PUT", "/api/apps", { signal: options.signal });
  }
}
