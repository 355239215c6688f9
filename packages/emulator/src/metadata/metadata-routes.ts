/**
 * `POST /api/metadata` (import), `GET /api/metadata` (export).
 *
 * Import parameters and report from dhis2-core `MetadataImportParams` /
 * `DefaultMetadataImportService` / `WebMessageUtils.importReport` (status != OK -> 409 with
 * `status: WARNING` and "One or more errors occurred, please see full details in import
 * report."). Export: `?<plural>=true` picks types (none = all), `fields` (default `:owner`),
 * `<plural>:fields=` / `<plural>:filter=` / `<plural>:order=` per type, `defaults=EXCLUDE` drops the
 * built-in "default" category model; QUIRKS: `rootJunction=OR` is ignored here (always AND).
 */
import type { EmulatorApp } from "../app.js";
import type { Ctx } from "../ctx.js";
import { HttpError } from "../web-message.js";
import { startAsyncMetadataImport } from "./async-import.js";
import { type BundleParams, type ImportStrategy, importBundle } from "./bundle.js";
import { isDefaultUid } from "./normalize.js";
import { runList } from "./query.js";
import { joined, type MetadataRuntime } from "./runtime.js";
import { isStandalone, type JsonObject } from "./schema-index.js";

const STRATEGIES = new Set(["CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE"]);

function enumParam<T extends string>(ctx: Ctx, name: string, allowed: readonly T[], fallback: T): T {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return fallback;
  const v = raw.toUpperCase();
  if (name === "importStrategy" && v === "NEW_AND_UPDATES") return "CREATE_AND_UPDATE" as T;
  if (name === "importStrategy" && (v === "NEW" || v === "CREATE")) return "CREATE" as T;
  if (name === "importStrategy" && v === "UPDATES") return "UPDATE" as T;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new HttpError(
      400,
      `Value \`${raw}\` is not valid for parameter ${name}. Valid values are: ${allowed.join(", ")}`,
    );
  }
  return v as T;
}

/** Registers the metadata routes (the schema routes are in `schema-routes.ts`). */
export function installMetadataRoutes(app: EmulatorApp, rt: MetadataRuntime): void {
  const table = rt.idx.table;

  app.post("/api/metadata", async (ctx) => {
    const strategy = enumParam(
      ctx,
      "importStrategy",
      [...STRATEGIES] as ImportStrategy[],
      "CREATE_AND_UPDATE",
    );
    const dryRun = ctx.query.get("dryRun")?.toLowerCase() === "true";
    const params: BundleParams = {
      importStrategy: strategy,
      atomicMode: enumParam<"ALL" | "NONE">(ctx, "atomicMode", ["ALL", "NONE"], "ALL"),
      importMode: dryRun
        ? "VALIDATE"
        : enumParam<"COMMIT" | "VALIDATE">(ctx, "importMode", ["COMMIT", "VALIDATE"], "COMMIT"),
      mergeMode: enumParam<"REPLACE" | "MERGE">(ctx, "mergeMode", ["REPLACE", "MERGE"], "REPLACE"),
      reportMode: ctx.query.get("importReportMode")?.toUpperCase() === "FULL" ? "FULL" : "ERRORS",
    };
    if (ctx.query.get("async")?.toLowerCase() === "true") return startAsyncMetadataImport(ctx, rt, params);
    const body = await ctx.readJson<unknown>();
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new HttpError(400, "The metadata bundle must be a JSON object keyed by type");
    }
    const bundle: Record<string, unknown[]> = {};
    for (const [k, v] of Object.entries(body as JsonObject)) if (Array.isArray(v)) bundle[k] = v;
    const report = importBundle(rt.write(ctx), bundle, params);
    if (report.status === "OK") ctx.webMessage(200, undefined, { response: report });
    else
      ctx.webMessage(409, "One or more errors occurred, please see full details in import report.", {
        status: "WARNING",
        response: report,
      });
  });

  app.get("/api/metadata", (ctx) => {
    const q = ctx.query;
    const exportable = Object.values(table).filter((d) => isStandalone(d));
    const picked = exportable.filter((d) => q.get(d.plural)?.toLowerCase() === "true");
    const types = picked.length > 0 ? picked : exportable;
    const excludeDefaults = q.get("defaults")?.toUpperCase() === "EXCLUDE";
    const read = rt.read(ctx);
    const out: JsonObject = {
      system: {
        id: ctx.state.systemId,
        rev: "",
        version: ctx.state.versionString,
        date: ctx.state.timestamp(),
      },
    };
    for (const def of types) {
      const objects = [...ctx.state.metadata.bucket(def.plural).values()].filter(
        (o) => !(excludeDefaults && (isDefaultUid(o.id) || o.name === "default")),
      );
      if (objects.length === 0 && picked.length === 0) continue;
      const result = rt.guard(() =>
        runList(
          read,
          def,
          objects,
          {
            filters: q.getAll(`${def.plural}:filter`),
            rootJunction: "AND",
            order: q.getAll(`${def.plural}:order`),
            fields: joined(q, `${def.plural}:fields`) ?? joined(q, "fields") ?? ":owner",
            paging: false,
          },
          rt.filter,
          { base: "", extraParams: "" },
        ),
      );
      out[def.plural] = result.items;
    }
    ctx.json(200, out);
  });
}
