/**
 * `GET/POST /api/{plural}`, `GET/PUT/PATCH/DELETE /api/{plural}/{id}`, `GET
 * /api/{plural}/{id}/{property}` and `POST/DELETE /api/{plural}/{id}/{collection}/{itemId}` for
 * every resource of the version's table. Responses follow dhis2-core `AbstractCrudController`
 * and `WebMessageUtils`: create = 201 `ObjectReport` with `Location`; update/delete = 200
 * `ObjectReport`; validation failure = 409 with `status: ERROR` and the report's `errorReports`;
 * collection items = 200 `TypeReport` (all of 2.41-2.43 annotate `@ResponseStatus(OK)`).
 */
import type { ResourceDef } from "@dhis2w/client";
import type { EmulatorApp, Handler } from "../app.js";
import type { Ctx } from "../ctx.js";
import type { MetadataObject } from "../metadata-store.js";
import type { Method } from "../router.js";
import { HttpError } from "../web-message.js";
import { type ImportReport, importBundle } from "./bundle.js";
import { parseFields, renderObject } from "./fields.js";
import { applyJsonPatch, JsonPatchError } from "./json-patch.js";
import { runList } from "./query.js";
import { emptyStats } from "./reports.js";
import { refId } from "./resolve.js";
import { intParam, joined, type MetadataRuntime } from "./runtime.js";
import { type JsonObject, SchemaIndex } from "./schema-index.js";
import { syncAccounts } from "./users.js";

const ERRORS_MESSAGE = "One or more errors occurred, please see full details in import report.";

/** Answers the first object report of an import the way the CRUD controller does. */
function answerObjectReport(ctx: Ctx, def: ResourceDef, report: ImportReport, okStatus: number): void {
  const tr = report.typeReports[0];
  const or = tr?.objectReports[0];
  const response = {
    responseType: "ObjectReport",
    uid: or?.uid,
    klass: def.klass,
    errorReports: or?.errorReports ?? [],
  };
  if (report.status === "OK") {
    const headers: Record<string, string> | undefined =
      okStatus === 201 && or?.uid
        ? { Location: `${def.endpoint.replace(/^\/api/, "")}/${or.uid}` }
        : undefined;
    ctx.webMessage(okStatus, undefined, { response }, headers);
  } else {
    ctx.webMessage(409, ERRORS_MESSAGE, { status: "ERROR", response });
  }
}

function requireObject(ctx: Ctx, def: ResourceDef, id: string): MetadataObject | undefined {
  const obj = ctx.state.metadata.get(def.plural, id);
  if (!obj) ctx.notFound(SchemaIndex.simpleName(def), id);
  return obj;
}

async function readObjectBody(ctx: Ctx): Promise<JsonObject> {
  const body = await ctx.readJson<unknown>();
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(400, "The request body must be a JSON object");
  }
  return body as JsonObject;
}

const shape = (pattern: string) => pattern.replace(/\/:[^/]+/g, "/:");

/**
 * Registers the CRUD routes of one resource, leaving alone any method + path another module
 * registered before (the core's `/api/apiToken` stays the core's).
 */
export function installCrudRoutes(app: EmulatorApp, rt: MetadataRuntime, def: ResourceDef): void {
  const base = def.endpoint;
  const typeName = SchemaIndex.simpleName(def);
  const taken = new Set(app.router.routes.map((r) => `${r.method} ${shape(r.pattern)}`));
  const add = (method: Method) => (pattern: string, handler: Handler) => {
    if (!taken.has(`${method} ${shape(pattern)}`)) app.route(method, pattern, handler);
  };
  const guarded = {
    get: add("GET"),
    post: add("POST"),
    put: add("PUT"),
    patch: add("PATCH"),
    delete: add("DELETE"),
  };

  guarded.get(base, (ctx) => {
    const q = ctx.query;
    const read = rt.read(ctx);
    const extra = [...q.entries()]
      .filter(([k]) => k !== "page" && k !== "pageSize")
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    const result = rt.guard(() =>
      runList(
        read,
        def,
        ctx.state.metadata.bucket(def.plural).values(),
        {
          filters: q.getAll("filter"),
          rootJunction: q.get("rootJunction") ?? undefined,
          order: q.getAll("order"),
          fields: joined(q, "fields"),
          page: intParam(q, "page"),
          pageSize: intParam(q, "pageSize"),
          paging: q.get("paging")?.toLowerCase() !== "false",
          query: q.get("query") ?? undefined,
        },
        rt.filter,
        { base: `${ctx.origin}${base}${ctx.ext ? `.${ctx.ext}` : ""}`, extraParams: extra },
      ),
    );
    const body: JsonObject = {};
    if (result.pager) body.pager = result.pager;
    body[def.plural] = result.items;
    ctx.json(200, body);
  });

  guarded.get(`${base}/:id`, (ctx) => {
    const obj = requireObject(ctx, def, ctx.params.id!);
    if (!obj) return;
    const fields = parseFields(joined(ctx.query, "fields") ?? "*");
    ctx.json(200, renderObject(rt.read(ctx), def, obj, fields));
  });

  guarded.get(`${base}/:id/:property`, (ctx) => {
    const obj = requireObject(ctx, def, ctx.params.id!);
    if (!obj) return;
    const prop = ctx.params.property!;
    if (!def.properties[prop]) throw new HttpError(404, `Property \`${prop}\` does not exist on ${typeName}`);
    const fields = parseFields(`${prop}[${joined(ctx.query, "fields") ?? ":all"}]`);
    ctx.json(200, renderObject(rt.read(ctx), def, obj, fields));
  });

  guarded.post(base, async (ctx) => {
    const body = await readObjectBody(ctx);
    const report = importBundle(
      rt.write(ctx),
      { [def.plural]: [body] },
      {
        importStrategy: "CREATE",
        reportMode: "FULL",
      },
    );
    answerObjectReport(ctx, def, report, 201);
  });

  guarded.put(`${base}/:id`, async (ctx) => {
    const id = ctx.params.id!;
    if (!requireObject(ctx, def, id)) return;
    const body = await readObjectBody(ctx);
    const replace = ctx.query.get("mergeMode")?.toUpperCase() === "REPLACE";
    const report = importBundle(
      rt.write(ctx),
      { [def.plural]: [{ ...body, id }] },
      {
        importStrategy: "UPDATE",
        reportMode: "FULL",
        mergeMode: replace ? "REPLACE" : "PUT",
      },
    );
    answerObjectReport(ctx, def, report, 200);
  });

  guarded.patch(`${base}/:id`, async (ctx) => {
    const id = ctx.params.id!;
    const type = ctx.header("content-type") ?? "";
    if (!type.toLowerCase().startsWith("application/json-patch+json")) {
      // Spring's HttpMediaTypeNotSupportedException -> CrudControllerAdvice: 415 WebMessage.
      throw new HttpError(415, `Content-Type '${type || "application/octet-stream"}' is not supported`);
    }
    const stored = requireObject(ctx, def, id);
    if (!stored) return;
    const ops = await ctx.readJson<unknown>();
    let patched: JsonObject;
    try {
      patched = applyJsonPatch(stored as JsonObject, ops);
    } catch (e) {
      if (e instanceof JsonPatchError) throw new HttpError(400, e.message);
      throw e;
    }
    const report = importBundle(
      rt.write(ctx),
      { [def.plural]: [{ ...patched, id }] },
      {
        importStrategy: "UPDATE",
        reportMode: "FULL",
        mergeMode: "REPLACE",
      },
    );
    answerObjectReport(ctx, def, report, 200);
  });

  guarded.delete(`${base}/:id`, (ctx) => {
    const id = ctx.params.id!;
    if (!requireObject(ctx, def, id)) return;
    const report = importBundle(
      rt.write(ctx),
      { [def.plural]: [{ id }] },
      {
        importStrategy: "DELETE",
        reportMode: "FULL",
      },
    );
    answerObjectReport(ctx, def, report, 200);
  });

  const collectionItem = (add: boolean) => (ctx: Ctx) => {
    const id = ctx.params.id!;
    const obj = requireObject(ctx, def, id);
    if (!obj) return;
    const prop = def.properties[ctx.params.property!];
    const target = prop ? rt.idx.targetOf(prop) : undefined;
    if (!prop?.collection || !target || !rt.idx.isReference(prop)) {
      throw new HttpError(409, `Collection \`${ctx.params.property}\` does not exist on ${typeName}`);
    }
    const itemId = ctx.params.itemId!;
    const item = ctx.state.metadata.get(target.plural, itemId);
    const stats = emptyStats();
    const answer = () =>
      ctx.webMessage(200, undefined, {
        response: { responseType: "TypeReport", klass: def.klass, stats, objectReports: [] },
      });
    // dhis2-core `DefaultCollectionService.updateCollectionItems` visits only the items it finds
    // (`manager.getByUid`): a missing one is ignored, 200 with nothing counted (2.41-2.43).
    if (!item) return answer();
    // The owning side stores the association; from the inverse side we write the owner's list.
    const inverse = rt.idx.inverseOf(def, prop);
    const [holder, holderDef, key, memberId] =
      inverse?.kind === "ref" ? [item, target, inverse.sourceProp, id] : [obj, def, prop.name, itemId];
    const holderProp = holderDef.properties[key];
    const list = Array.isArray(holder[key]) ? [...(holder[key] as unknown[])] : [];
    const at = list.findIndex((x) => refId(x) === memberId);
    let changed = false;
    if (add && at < 0) {
      if (holderProp?.collection) list.push({ id: memberId });
      changed = true;
    } else if (!add && at >= 0) {
      list.splice(at, 1);
      changed = true;
    }
    if (changed) {
      const next: MetadataObject = { ...holder, lastUpdated: ctx.state.timestamp() };
      if (holderProp?.collection) next[key] = list;
      else next[key] = add ? { id: memberId } : undefined;
      ctx.state.metadata.put(holderDef.plural, next);
      // `POST /api/users/{id}/organisationUnits/{ou}` changes the capture scope at once.
      syncAccounts(ctx.state, [{ plural: holderDef.plural, id: holder.id, action: "update" }]);
    }
    // Added: `updated`; removed: `deleted`; already (not) there: `ignored` (`incUpdated`,
    // `incDeleted`, `incIgnored` in DefaultCollectionService).
    if (!changed) stats.ignored = 1;
    else if (add) stats.updated = 1;
    else stats.deleted = 1;
    stats.total = 1;
    answer();
  };
  guarded.post(`${base}/:id/:property/:itemId`, collectionItem(true));
  guarded.delete(`${base}/:id/:property/:itemId`, collectionItem(false));
}
