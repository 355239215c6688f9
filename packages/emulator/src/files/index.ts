/**
 * `/api/fileResources` and the file side of `/api/documents`, as dhis2-core answers them on
 * 2.41-2.43 (`FileResourceController`, `FileResourceUtils.validateFileSize`, `DocumentController`,
 * `DocumentObjectBundleHook`):
 *
 * | request | answer |
 * |---|---|
 * | `POST /api/fileResources?domain=D` (multipart `file`) | 202 WebMessage, `response: { responseType: "FileResource", fileResource }`, `storageStatus` PENDING (stored asynchronously: STORED once the emulator's clock passes `storeDelayMs`); `domain` defaults to DATA_VALUE; a file over `max.file_upload_size` (10,000,000 bytes, `maxUploadBytes` here) is 409 "File size can't be bigger than N, current file size M" |
 * | `GET /api/fileResources/{id}` | the file resource |
 * | `GET /api/fileResources/{id}/data` | the bytes (`Content-Type`, `Content-Length`, `Content-Disposition: filename=...`); DATA_VALUE (and, before 2.43, PUSH_ANALYSIS) files are 403: they are served by the data value / tracker endpoints |
 * | `POST /api/documents` | metadata CRUD; the hook checks `url`: E4000 missing, E4004 not a URL for `external: true`, E4015 no such file resource, E4016 already assigned; a file document marks the file resource DOCUMENT and assigned |
 * | `GET /api/documents/{id}/data` | external: 302 to `url`; else the file resource's bytes; 404 "Document not found for uid: X" |
 *
 * The request body itself is bounded by the emulator's `maxBodyBytes` (the proxy's 413).
 */
import type { EmulatorApp, EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import type { ErrorReport } from "../metadata/reports.js";
import { generateUid } from "../uid.js";
import { HttpError } from "../web-message.js";
import { md5Hex } from "./md5.js";

export const FILE_RESOURCE_DOMAINS = [
  "DATA_VALUE",
  "PUSH_ANALYSIS",
  "DOCUMENT",
  "MESSAGE_ATTACHMENT",
  "USER_AVATAR",
  "ORG_UNIT",
  "ICON",
  "JOB_DATA",
] as const;

/** One stored file resource (its metadata as DHIS2 shows it, and the bytes). */
export interface StoredFileResource {
  id: string;
  name: string;
  contentType: string;
  bytes: Uint8Array;
  contentMd5: string;
  domain: string;
  assigned: boolean;
  /** The object that took the file (a tracked entity, a document), once assigned. */
  owner?: string;
  created: string;
  createdBy: string;
  /** Emulator clock time from which `storageStatus` is STORED. */
  storedAt: number;
}

/** The file resources of one emulator; tests can tune the limit and the storage delay. */
export class FileResourceStore {
  readonly files = new Map<string, StoredFileResource>();
  /** `max.file_upload_size` of dhis.conf (DHIS2's default). */
  maxUploadBytes = 10_000_000;
  /** How long after an upload the file is STORED (DHIS2 stores it asynchronously). */
  storeDelayMs = 100;

  get(id: string): StoredFileResource | undefined {
    return this.files.get(id);
  }
}

declare module "../app.js" {
  interface EmulatorExtensions {
    files?: FileResourceStore;
  }
}

/** The app's file resources (created on first use). */
export function fileResourceStore(app: EmulatorApp): FileResourceStore {
  app.extensions.files ??= new FileResourceStore();
  return app.extensions.files;
}

/** A file resource as `GET /api/fileResources/{id}` renders it. */
export function renderFileResource(ctx: Ctx, f: StoredFileResource): Record<string, unknown> {
  return {
    id: f.id,
    name: f.name,
    created: f.created,
    lastUpdated: f.created,
    createdBy: { id: f.createdBy },
    contentType: f.contentType,
    contentLength: f.bytes.byteLength,
    contentMd5: f.contentMd5,
    domain: f.domain,
    assigned: f.assigned,
    storageStatus: ctx.state.clock.now() >= f.storedAt ? "STORED" : "PENDING",
    hasMultipleStorageFiles: false,
    href: `${ctx.origin}/api/fileResources/${f.id}`,
  };
}

function sendFile(ctx: Ctx, f: StoredFileResource): void {
  if (ctx.state.clock.now() < f.storedAt) {
    // Not in the storage backend yet: `JCloudsFileResourceContentStore.copyContent` throws
    // NoSuchElementException, which no advice maps (the generic 500).
    throw new HttpError(500, "An unexpected error has occured. Please contact your system administrator", {
      devMessage: `key '${f.id}' not found.`,
    });
  }
  ctx.bytes(200, f.bytes, f.contentType, {
    "Content-Length": String(f.bytes.byteLength),
    "Content-Disposition": `filename=${f.name}`,
  });
}

const URL_PATTERN = /^https?:\/\/[-a-zA-Z0-9+&@#/%?=~_|!:,.;]*[-a-zA-Z0-9+&@#/%=~_|]$/;

function documentReport(code: string, message: string, args: string[]): ErrorReport {
  return {
    message,
    mainKlass: "org.hisp.dhis.document.Document",
    errorCode: code,
    errorProperties: args,
    errorProperty: "url",
  };
}

/** The file resources module (listed in `src/modules.ts`). */
export const filesModule: EmulatorModule = {
  name: "files",
  install(app) {
    const store = fileResourceStore(app);

    app.post("/api/fileResources", async (ctx) => {
      const domain = ctx.query.get("domain") ?? "DATA_VALUE";
      if (!(FILE_RESOURCE_DOMAINS as readonly string[]).includes(domain)) {
        throw new HttpError(
          400,
          `Value '${domain}' is not valid for parameter domain. Valid values are: [${FILE_RESOURCE_DOMAINS.join(", ")}]`,
        );
      }
      const type = ctx.header("content-type") ?? "";
      if (!/^multipart\/form-data/i.test(type)) {
        throw new HttpError(400, "Current request is not a multipart request");
      }
      const body = await ctx.body();
      let form: FormData;
      try {
        form = await new Response(body as BodyInit, { headers: { "content-type": type } }).formData();
      } catch {
        throw new HttpError(400, "Failed to parse multipart servlet request");
      }
      const file = form.get("file");
      if (!file || typeof file === "string") throw new HttpError(400, "Required part 'file' is not present.");
      if (file.size > store.maxUploadBytes) {
        throw new HttpError(
          409,
          `File size can't be bigger than ${store.maxUploadBytes}, current file size ${file.size}`,
        );
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const uid = ctx.query.get("uid");
      const f: StoredFileResource = {
        id: uid && /^[A-Za-z][A-Za-z0-9]{10}$/.test(uid) ? uid : generateUid(),
        name: file.name || "file",
        contentType: file.type || "application/octet-stream",
        bytes,
        contentMd5: md5Hex(bytes),
        domain,
        assigned: false,
        created: ctx.state.timestamp(),
        createdBy: ctx.user!.id,
        storedAt: ctx.state.clock.now() + store.storeDelayMs,
      };
      store.files.set(f.id, f);
      ctx.webMessage(202, undefined, {
        response: { responseType: "FileResource", fileResource: renderFileResource(ctx, f) },
      });
    });

    app.get("/api/fileResources/:id", (ctx) => {
      const f = store.get(ctx.params.id!);
      if (!f) return ctx.notFound("FileResource", ctx.params.id!);
      ctx.json(200, renderFileResource(ctx, f));
    });

    app.get("/api/fileResources/:id/data", (ctx) => {
      const f = store.get(ctx.params.id!);
      if (!f) return ctx.notFound("FileResource", ctx.params.id!);
      const row = ctx.state.behaviour.fileResources;
      if (row.dataRefusedDomains.includes(f.domain)) throw new HttpError(403, row.dataRefusedMessage(f.id));
      sendFile(ctx, f);
    });

    app.get("/api/documents/:id/data", (ctx) => {
      const doc = ctx.state.metadata.get("documents", ctx.params.id!);
      if (!doc) throw new HttpError(404, `Document not found for uid: ${ctx.params.id}`);
      if (doc.external === true) return ctx.redirect(String(doc.url), 302);
      const f = store.get(String(doc.url));
      if (!f) throw new HttpError(500, "Failed fetching the file from storage");
      sendFile(ctx, f);
    });

    app.extensions.objectHooks ??= [];
    app.extensions.objectHooks.push({
      plural: "documents",
      defaults: { external: false },
      validate(doc, _md, existing) {
        const url = typeof doc.url === "string" ? doc.url : undefined;
        if (url === undefined) return [documentReport("E4000", "Missing required property `url`", ["url"])];
        if (doc.external === true) {
          return URL_PATTERN.test(url)
            ? []
            : [
                documentReport("E4004", `Property \`url\` requires a valid URL, was given \`${url}\``, [
                  "url",
                  url,
                ]),
              ];
        }
        const f = store.get(url);
        if (!f) {
          return [
            documentReport(
              "E4015",
              `Property \`url\` refers to an object that does not exist, could not find \`${url}\``,
              ["url", url],
            ),
          ];
        }
        if (f.assigned && f.owner !== (existing?.id ?? doc.id)) {
          return [
            documentReport(
              "E4016",
              `Object referenced by the \`url\` property is already associated with another object, value: \`${url}\``,
              ["url", url],
            ),
          ];
        }
        return [];
      },
      afterWrite(id, md) {
        const doc = md.get("documents", id);
        if (!doc || doc.external === true) return;
        const f = store.get(String(doc.url));
        if (!f) return;
        f.domain = "DOCUMENT";
        f.assigned = true;
        f.owner = id;
      },
    });
  },
};
