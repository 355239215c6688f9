/**
 * The org unit hierarchy routes of dhis2-core `OrganisationUnitController` (2.41.8.1, 2.42.4.1,
 * 2.43.0), on top of the generic metadata routes:
 * - `GET /api/organisationUnits/{uid}?includeChildren=true` = `/{uid}/children`: the unit and
 *   its children; `?level=N` = `/{uid}/children?level=N`: the units N levels below it (0: the
 *   unit); `?includeDescendants=true` = `/{uid}/descendants`: the unit and everything below;
 *   `?includeAncestors=true` = `/{uid}/ancestors`: the unit and its ancestors; `/{uid}/parents`:
 *   the ancestors only. Without those parameters `/{uid}` is the generic object read.
 * - each is a list answer (`{ pager, organisationUnits }`, `fields`, `filter`, `order`, paging);
 *   2.41 builds the list in memory and orders it by name, 2.42+ query it with path and level
 *   filters and order ancestors and parents by level (`params.addOrder("level:asc")`).
 * - `GET /api/filledOrganisationUnitLevels` (`FilledOrganisationUnitLevelController`,
 *   `DefaultOrganisationUnitService.getFilledOrganisationUnitLevels`): levels 1 to the deepest
 *   level any org unit has, each the stored `organisationUnitLevels` object of that level or
 *   `{ level, name: "Level N" }`; a bare JSON array, `fields` default `*`.
 */
import type { ResourceDef } from "@dhis2w/client";
import type { EmulatorApp, EmulatorModule, Handler } from "../app.js";
import type { Ctx } from "../ctx.js";
import { parseFields, renderObject, runList } from "../metadata/query.js";
import { intParam, joined, type MetadataRuntime } from "../metadata/runtime.js";
import type { MetadataObject } from "../metadata-store.js";
import { HttpError } from "../web-message.js";

type Pick = (unit: MetadataObject, all: MetadataObject[]) => MetadataObject[];

const pathIds = (o: MetadataObject) =>
  typeof o.path === "string" ? o.path.split("/").filter((s) => s !== "") : [];
const levelOf = (o: MetadataObject) => (typeof o.level === "number" ? o.level : pathIds(o).length);
const under = (o: MetadataObject, uid: string) => pathIds(o).includes(uid);

const children: Pick = (unit, all) =>
  all.filter((o) => o.id === unit.id || (under(o, unit.id) && levelOf(o) === levelOf(unit) + 1));
const descendants: Pick = (unit, all) => all.filter((o) => under(o, unit.id));
const ancestors: Pick = (unit, all) => {
  const ids = new Set(pathIds(unit));
  return all.filter((o) => ids.has(o.id));
};
const parents: Pick = (unit, all) => ancestors(unit, all).filter((o) => o.id !== unit.id);
const atLevel =
  (relative: number): Pick =>
  (unit, all) =>
    all.filter((o) => under(o, unit.id) && levelOf(o) === levelOf(unit) + Math.max(0, relative));

/** Answers one of the hierarchy lists the way the controller's `getObjectList` does. */
function answerList(ctx: Ctx, rt: MetadataRuntime, def: ResourceDef, pick: Pick, byLevel: boolean): void {
  const md = ctx.state.metadata;
  const id = ctx.params.id!;
  const unit = md.get("organisationUnits", id);
  if (!unit) {
    ctx.notFound("OrganisationUnit", id);
    return;
  }
  const q = ctx.query;
  const order = q.getAll("order");
  // 2.42+ add `level:asc` to the ancestor queries; 2.41's in-memory list keeps the default order.
  if (byLevel && ctx.state.behaviour.metadata.ancestorsOrderedByLevel) order.push("level:asc");
  const skip = new Set(["page", "pageSize", "includeChildren", "includeDescendants", "includeAncestors"]);
  const extra = [...q.entries()]
    .filter(([k]) => !skip.has(k))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const result = rt.guard(() =>
    runList(
      rt.read(ctx),
      def,
      pick(unit, [...md.bucket("organisationUnits").values()]),
      {
        filters: q.getAll("filter"),
        rootJunction: q.get("rootJunction") ?? undefined,
        order,
        fields: joined(q, "fields"),
        page: intParam(q, "page"),
        pageSize: intParam(q, "pageSize"),
        paging: q.get("paging")?.toLowerCase() !== "false",
      },
      rt.filter,
      { base: `${ctx.origin}${ctx.path}`, extraParams: extra },
    ),
  );
  ctx.json(200, { ...(result.pager ? { pager: result.pager } : {}), organisationUnits: result.items });
}

function levelParam(ctx: Ctx): number {
  const raw = ctx.query.get("level") ?? "";
  // Spring binds `@RequestParam int level`; text that is no number is a 400 type mismatch.
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new HttpError(400, `Value '${raw}' is not valid for parameter level. It should be of type int`);
  }
  return Number(raw);
}

/** `GET /api/filledOrganisationUnitLevels`. */
function filledLevels(ctx: Ctx, rt: MetadataRuntime): void {
  const md = ctx.state.metadata;
  let depth = 0;
  for (const o of md.bucket("organisationUnits").values()) depth = Math.max(depth, levelOf(o));
  const byLevel = new Map<number, MetadataObject>();
  for (const l of md.bucket("organisationUnitLevels").values()) {
    if (typeof l.level === "number") byLevel.set(l.level, l);
  }
  const def = rt.idx.byPlural("organisationUnitLevels");
  const fields = parseFields(joined(ctx.query, "fields") ?? "*");
  const read = rt.read(ctx);
  const levels: unknown[] = [];
  for (let level = 1; level <= depth; level++) {
    const stored = byLevel.get(level);
    const obj = stored ?? ({ level, name: `Level ${level}` } as unknown as MetadataObject);
    levels.push(def ? renderObject(read, def, obj, fields) : obj);
  }
  ctx.json(200, levels);
}

/** The module (listed in `src/modules.ts`); needs the metadata module installed before it. */
export const orgUnitTreeModule: EmulatorModule = {
  name: "org-unit-tree",
  install(app: EmulatorApp) {
    const rt = app.extensions.metadata;
    const def = rt?.idx.byPlural("organisationUnits");
    if (!rt || !def) return;
    const base = "/api/organisationUnits";
    const generic = app.router.routes.find((r) => r.method === "GET" && r.pattern === `${base}/:id`)
      ?.handler as { handler: Handler } | undefined;
    const list =
      (pick: Pick, byLevel = false) =>
      (ctx: Ctx) =>
        answerList(ctx, rt, def, pick, byLevel);
    app.get(`${base}/:id`, (ctx) => {
      const q = ctx.query;
      // Spring's `params = "includeChildren=true"` / `"level"` pick the mapping.
      if (q.get("includeChildren") === "true") return list(children)(ctx);
      if (q.has("level")) return list(atLevel(levelParam(ctx)))(ctx);
      if (q.get("includeDescendants") === "true") return list(descendants)(ctx);
      if (q.get("includeAncestors") === "true") return list(ancestors, true)(ctx);
      if (!generic) throw new HttpError(404, "Not found");
      return generic.handler(ctx);
    });
    app.get(`${base}/:id/children`, (ctx) =>
      ctx.query.has("level") ? list(atLevel(levelParam(ctx)))(ctx) : list(children)(ctx),
    );
    app.get(`${base}/:id/descendants`, list(descendants));
    app.get(`${base}/:id/ancestors`, list(ancestors, true));
    app.get(`${base}/:id/parents`, list(parents, true));
    app.get("/api/filledOrganisationUnitLevels", (ctx) => filledLevels(ctx, rt));
  },
};
