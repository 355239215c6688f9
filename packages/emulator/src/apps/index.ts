/**
 * `/api/apps` as dhis2-core `AppController` and the app storage (`JCloudsAppStorageService`,
 * `ZipFileUtils`) answer it:
 *
 * | request | answer |
 * |---|---|
 * | `GET /api/apps` | the installed apps (`?key=` one, 404 when unknown) |
 * | `POST /api/apps` (multipart `file`, a zip) | v41: 204; v42, v43: 201 with the installed app. The manifest is `manifest.webapp` at the root or under the one folder every entry shares (`getTopLevelFolder`); a file that is not a zip, a zip without it and a manifest that is not JSON all fail reading the manifest: 409 "Manifest file missing from zip file" (`AppStatus.MISSING_MANIFEST`'s i18n text); a manifest without `name` or `short_name`: 409 "App could not be installed on file system" (the emulator's reading: it has no key); a namespace another app owns: 409 "Namespace defined in manifest is already in use" |
 * | `DELETE /api/apps/{key}` | 204; 404 "App does not exist: X" |
 * | `PUT /api/apps` | 204 (reload) |
 *
 * Installing an app with the key of an installed one replaces it (`removePreviousVersions`).
 */
import type { EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import { HttpError } from "../web-message.js";
import { readEntry, ZipError, zipEntries } from "./unzip.js";

const MISSING_MANIFEST = "Manifest file missing from zip file";

/** An installed app: the manifest as read plus what the server adds. */
export type InstalledApp = Record<string, unknown> & { key: string };

declare module "../app.js" {
  interface EmulatorExtensions {
    apps?: Map<string, InstalledApp>;
  }
}

/** `App.getUrlFriendlyName()`: `short_name` (else `name`), trimmed, `[^A-Za-z0-9\s-]` dropped, spaces to `-`. */
export function appKeyOf(manifest: Record<string, unknown>): string | undefined {
  const short = typeof manifest.short_name === "string" ? manifest.short_name : manifest.name;
  if (typeof short !== "string") return undefined;
  return short
    .trim()
    .replace(/[^A-Za-z0-9\s-]/g, "")
    .replace(/\s+/g, "-");
}

/** Finds and parses `manifest.webapp`; undefined when DHIS2 would report MISSING_MANIFEST. */
async function readManifest(zip: Uint8Array): Promise<Record<string, unknown> | undefined> {
  try {
    const entries = zipEntries(zip);
    const first = entries[0]?.name ?? "";
    const top = /^([^/\\]+[/\\])/.exec(first)?.[1];
    const prefix = top && entries.every((e) => e.name.startsWith(top)) ? top : "";
    const entry = entries.find((e) => e.name === `${prefix}manifest.webapp`);
    if (!entry) return undefined;
    const parsed: unknown = JSON.parse(new TextDecoder().decode(await readEntry(zip, entry)));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch (e) {
    if (e instanceof ZipError || e instanceof SyntaxError) return undefined;
    throw e;
  }
}

function namespacesOf(app: Record<string, unknown>): string[] {
  const dhis = (
    app.activities as { dhis?: { namespace?: unknown; additionalNamespaces?: unknown } } | undefined
  )?.dhis;
  const out: string[] = [];
  if (typeof dhis?.namespace === "string" && dhis.namespace) out.push(dhis.namespace);
  if (Array.isArray(dhis?.additionalNamespaces)) {
    for (const ns of dhis.additionalNamespaces) if (typeof ns?.namespace === "string") out.push(ns.namespace);
  }
  return out;
}

async function zipPart(ctx: Ctx): Promise<{ bytes: Uint8Array; filename: string }> {
  const type = ctx.header("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(type))
    throw new HttpError(400, "Current request is not a multipart request");
  let form: FormData;
  try {
    form = await new Response((await ctx.body()) as BodyInit, {
      headers: { "content-type": type },
    }).formData();
  } catch {
    throw new HttpError(400, "Failed to parse multipart servlet request");
  }
  const file = form.get("file");
  if (!file || typeof file === "string") throw new HttpError(400, "Required part 'file' is not present.");
  return { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name || "app.zip" };
}

/** The apps module (listed in `src/modules.ts`). */
export const appsModule: EmulatorModule = {
  name: "apps",
  install(app) {
    app.extensions.apps ??= new Map();
    const apps = app.extensions.apps;

    app.get("/api/apps", (ctx) => {
      const key = ctx.query.get("key");
      if (key !== null) {
        const found = apps.get(key);
        return found ? ctx.json(200, [found]) : ctx.empty(404);
      }
      ctx.json(200, [...apps.values()]);
    });

    app.post("/api/apps", async (ctx) => {
      const { bytes, filename } = await zipPart(ctx);
      const manifest = await readManifest(bytes);
      if (!manifest) throw new HttpError(409, MISSING_MANIFEST);
      const key = appKeyOf(manifest);
      if (!key) throw new HttpError(409, "App could not be installed on file system");
      for (const ns of namespacesOf(manifest)) {
        const owner = [...apps.values()].find((a) => a.key !== key && namespacesOf(a).includes(ns));
        if (owner) throw new HttpError(409, "Namespace defined in manifest is already in use");
      }
      const baseUrl = `${ctx.origin}/api/apps/${key}`;
      const launchPath = typeof manifest.launch_path === "string" ? manifest.launch_path : undefined;
      const installed: InstalledApp = {
        appType: "APP",
        ...manifest,
        key,
        short_name: typeof manifest.short_name === "string" ? manifest.short_name : manifest.name,
        core_app: manifest.core_app === true,
        bundled: false,
        basePath: `/api/apps/${key}`,
        baseUrl,
        ...(launchPath ? { launchUrl: `${baseUrl}/${launchPath.replace(/^\/+/, "")}` } : {}),
        folderName: `apps/${filename.replace(/\.[^.]*$/, "")}`,
        appStorageSource: "JCLOUDS",
        appState: "OK",
        displayName: manifest.name,
      };
      apps.set(key, installed);
      if (ctx.state.behaviour.apps.installStatus === 204) return ctx.empty(204);
      ctx.json(201, installed);
    });

    app.put("/api/apps", (ctx) => ctx.empty(204));

    app.delete("/api/apps/:key", (ctx) => {
      const key = ctx.params.key!;
      if (!apps.delete(key)) throw new HttpError(404, `App does not exist: ${key}`);
      ctx.empty(204);
    });
  },
};
