/**
 * The Metadata Gist API for every resource with an endpoint: `/api/{type}/gist`,
 * `/api/{type}/{uid}/gist`, `/api/{type}/{uid}/{property}/gist` (dhis2-core
 * `AbstractGistReadOnlyController`, `DefaultGistService`, `GistBuilder`, `GistPager`,
 * `JsonBuilder`; DHIS2 docs "Metadata Gist API").
 *
 * - Lists default to `auto=S` (references as their id, collections as their size), one object to
 *   `L` (collections as id lists), a collection property to `M`. Default order `id`.
 * - The pager is `{ page, pageSize, total?, pageCount?, prevPage?, nextPage? }`: `total` (and
 *   `pageCount`) only with `totalPages=true` (old name `total=true`; both and contradicting: 400);
 *   without a total, `nextPage` is given whenever the page is full. Links: 2.41 builds them
 *   relative (`/api/{type}/gist?<params>&page=n`), 2.42+ from the request URL (absolute).
 * - `headless=true` answers the bare list; `pageListName` renames the list member.
 * - A single field answers bare values (`fields=name` -> `["a","b"]`, one object -> `"a"`).
 * - Null members and empty arrays are left out (`JsonBuilder.skipNullOrEmpty`).
 * - `apiEndpoints` links each reference to `/api/{type}/{id}/gist` and each collection to
 *   `/api/{type}/{uid}/{property}/gist` (`?absoluteUrls=true` makes them absolute, and adds itself).
 * - `inverse=true` on a collection property lists the objects NOT in it.
 */
import type { ResourceDef, ResourceProperty } from "@dhis2w/client";
import type { EmulatorApp } from "../app.js";
import type { Ctx } from "../ctx.js";
import { HttpError } from "../web-message.js";
import {
  AUTO_TYPES,
  type AutoType,
  fieldName,
  type GistField,
  type GistFilter,
  isIdentifiableReference,
  parseField,
  parseFilter,
  parseOrder,
  planFields,
  REFS_PATH,
  resolveProperty,
  splitList,
} from "./gist-plan.js";
import { type ReadContext, refId } from "./resolve.js";
import type { MetadataRuntime } from "./runtime.js";
import type { JsonObject } from "./schema-index.js";

interface GistRequest {
  read: ReadContext;
  def: ResourceDef;
  fields: GistField[];
  endpointRoot: string;
  absoluteUrls: boolean;
}

const bool = (q: URLSearchParams, name: string, fallback = false): boolean => {
  const v = q.get(name);
  return v === null || v === "" ? fallback : v.toLowerCase() === "true";
};

/** The values a path reaches on an object (collections fan out). */
function valuesAt(read: ReadContext, def: ResourceDef, obj: JsonObject, path: string): unknown[] {
  let current: { def: ResourceDef | undefined; obj: JsonObject }[] = [{ def, obj }];
  const segments = path.split(".");
  let out: unknown[] = [];
  segments.forEach((segment, i) => {
    out = [];
    const next: { def: ResourceDef | undefined; obj: JsonObject }[] = [];
    for (const c of current) {
      const p = c.def?.properties[segment];
      if (!p || !c.def) continue;
      const v = read.value(c.def, c.obj, p);
      const items = p.collection ? (Array.isArray(v) ? v : []) : [v];
      for (const item of items) {
        if (i === segments.length - 1) out.push(item);
        else {
          const d = read.deref(p, item);
          if (d) next.push(d);
        }
      }
    }
    current = next;
  });
  return out;
}

const COMPARE_OPS = new Set(["EQ", "IEQ", "NE", "LT", "LE", "GT", "GE"]);

function compare(a: unknown, b: string): number {
  if (typeof a === "number") return a - Number(b);
  if (typeof a === "boolean") return Number(a) - Number(b === "true");
  const s = String(a);
  return s < b ? -1 : s > b ? 1 : 0;
}

/** One filter (`GistBuilder.createFilterHQL`, in memory). */
function matches(req: GistRequest, obj: JsonObject, f: GistFilter): boolean {
  const { read, def } = req;
  const p = resolveProperty(read.idx, def, f.path);
  const [v0] = f.values;
  if (f.op.startsWith("CAN_")) return true; // the emulator's users see what they can list
  if (p.collection) {
    const items = valuesAt(read, def, obj, f.path);
    const size = items.length;
    if (f.op === "EMPTY") return size === 0;
    if (f.op === "NOT_EMPTY") return size > 0;
    if (["LT", "LE", "GT", "GE"].includes(f.op)) return test(f.op, size - Number(v0));
    const ids = items.map((x) => refId(x) ?? x);
    if (f.op === "IN") return ids.some((x) => f.values.includes(String(x)));
    if (f.op === "NOT_IN") return !ids.some((x) => f.values.includes(String(x)));
    if (f.op === "EQ") return ids.some((x) => String(x) === v0);
    if (f.op === "NE") return !ids.some((x) => String(x) === v0);
    if (f.op === "NULL") return size === 0;
    if (f.op === "NOT_NULL") return size > 0;
    return false;
  }
  let value = valuesAt(read, def, obj, f.path)[0];
  if (isIdentifiableReference(read.idx, p)) value = refId(value);
  if (f.op === "NULL") return value === undefined || value === null;
  if (f.op === "NOT_NULL") return value !== undefined && value !== null;
  const text = value === undefined || value === null ? undefined : String(value);
  // GistLogic.isStringLengthFilter: on text, emptiness and order compares with a number are lengths.
  const isText = p.propertyType === "TEXT" || p.propertyType === "IDENTIFIER";
  if (f.op === "EMPTY" || f.op === "NOT_EMPTY") {
    const empty = text === undefined || text.length === 0;
    return f.op === "EMPTY" ? empty : !empty;
  }
  if (text === undefined) return false;
  if (isText && COMPARE_OPS.has(f.op) && f.values.length === 1 && /^[0-9]+$/.test(v0 ?? "")) {
    return test(f.op, text.length - Number(v0));
  }
  if (f.op === "IEQ") return text.toLowerCase() === (v0 ?? "").toLowerCase();
  if (COMPARE_OPS.has(f.op)) return test(f.op, compare(value, v0 ?? ""));
  if (f.op === "IN") return f.values.includes(text);
  if (f.op === "NOT_IN") return !f.values.includes(text);
  const like = /^(NOT_)?(LIKE|STARTS_LIKE|ENDS_LIKE|ILIKE|STARTS_WITH|ENDS_WITH)$/.exec(f.op);
  if (!like) return false;
  const insensitive = ["ILIKE", "STARTS_WITH", "ENDS_WITH"].includes(like[2]!);
  const hay = insensitive ? text.toLowerCase() : text;
  const needle = insensitive ? (v0 ?? "").toLowerCase() : (v0 ?? "");
  const hit = like[2]!.startsWith("STARTS")
    ? hay.startsWith(needle)
    : like[2]!.startsWith("ENDS")
      ? hay.endsWith(needle)
      : hay.includes(needle);
  return like[1] ? !hit : hit;
}

function test(op: string, c: number): boolean {
  switch (op) {
    case "EQ":
      return c === 0;
    case "NE":
      return c !== 0;
    case "LT":
      return c < 0;
    case "LE":
      return c <= 0;
    case "GT":
      return c > 0;
    default:
      return c >= 0;
  }
}

/** `GistBuilder.createFiltersHQL`: root junction, and groups (`1:name:like:x`) joined the other way. */
function filterPredicate(req: GistRequest, filters: GistFilter[], or: boolean): (o: JsonObject) => boolean {
  const join = (list: GistFilter[], any: boolean) => (o: JsonObject) =>
    any ? list.some((f) => matches(req, o, f)) : list.every((f) => matches(req, o, f));
  if (filters.length <= 1 || !filters.some((f) => f.group >= 0))
    return filters.length === 0 ? () => true : join(filters, or);
  const groups = new Map<number, GistFilter[]>();
  for (const f of filters) groups.set(f.group, [...(groups.get(f.group) ?? []), f]);
  const parts = [...groups].map(([g, list]) => (g >= 0 ? join(list, !or) : join(list, or)));
  return (o) => (or ? parts.some((p) => p(o)) : parts.every((p) => p(o)));
}

/** One field's value with its transformation; links go into `refs`. */
function fieldValue(req: GistRequest, obj: JsonObject, f: GistField, refs: Record<string, string>): unknown {
  const { read, def } = req;
  const p = resolveProperty(read.idx, def, f.path);
  const suffix = req.absoluteUrls ? "?absoluteUrls=true" : "";
  if (p.name === "href" && !f.path.includes("."))
    return `${req.endpointRoot}${def.endpoint.replace(/^\/api/, "")}/${obj.id}/gist${suffix}`;
  if (p.collection && !f.path.includes(".")) {
    const items = valuesAt(read, def, obj, f.path);
    refs[fieldName(f)] =
      `${req.endpointRoot}${def.endpoint.replace(/^\/api/, "")}/${obj.id}/${p.name}/gist${suffix}`;
    const ids = items.map((x) => refId(x) ?? x);
    switch (f.transform) {
      case "SIZE":
        return items.length;
      case "IS_EMPTY":
        return items.length === 0;
      case "IS_NOT_EMPTY":
        return items.length > 0;
      case "MEMBER":
        return ids.includes(f.arg ?? "");
      case "NOT_MEMBER":
        return !ids.includes(f.arg ?? "");
      case "IDS":
        return ids;
      case "ID_OBJECTS":
        return ids.map((id) => ({ id }));
      case "PLUCK": {
        const prop = f.arg && f.arg !== "" ? f.arg : "id";
        return items.map((x) => read.deref(p, x)?.obj[prop]).filter((x) => x !== undefined);
      }
      default:
        return undefined;
    }
  }
  const value = valuesAt(read, def, obj, f.path)[0];
  if (isIdentifiableReference(read.idx, p)) {
    const id = refId(value);
    const target = read.idx.targetOf(p)!;
    if (id && !f.path.includes("."))
      if (read.idx.isReference(p) || read.idx.isEmbedded(p))
        // Only relations (one-to-many, many-to-many) get a link; element collections are just counted.
        refs[fieldName(f)] =
          `${req.endpointRoot}${target.endpoint.replace(/^\/api/, "")}/${id}/gist${suffix}`;
    if (f.arg) return read.deref(p, value)?.obj[f.arg];
    return f.transform === "ID_OBJECTS" && id ? { id } : id;
  }
  return value;
}

function row(req: GistRequest, obj: JsonObject): unknown {
  const refs: Record<string, string> = {};
  const out: JsonObject = {};
  const put = (name: string, v: unknown) => {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return;
    if (!name.includes(".")) {
      out[name] = v;
      return;
    }
    const [parent, child] = [name.slice(0, name.indexOf(".")), name.slice(name.indexOf(".") + 1)];
    out[parent] ??= {};
    const holder = out[parent] as JsonObject;
    if (typeof holder === "object" && !Array.isArray(holder)) holder[child] = v;
  };
  const values = req.fields.map((f) => (f.path === REFS_PATH ? undefined : fieldValue(req, obj, f, refs)));
  if (req.fields.length === 1) return values[0];
  req.fields.forEach((f, i) => {
    if (f.path === REFS_PATH) put("apiEndpoints", Object.keys(refs).length > 0 ? sortKeys(refs) : undefined);
    else put(fieldName(f), values[i]);
  });
  return out;
}

const sortKeys = (o: Record<string, string>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Pager links: 2.41 relative to `/api/{type}/gist` with the request's parameters, 2.42+ the request URL. */
function pageLink(
  ctx: Ctx,
  query0: URLSearchParams,
  endpointRoot: string,
  basePath: string,
  page: number,
): string {
  const q = new URLSearchParams(query0);
  q.delete("page");
  q.append("page", String(page));
  const query = decodeURIComponent(q.toString().replace(/\+/g, "%20"));
  return ctx.state.behaviour.metadata.gistPageLinks === "relative"
    ? `${endpointRoot}${basePath}?${query}`
    : `${ctx.origin}${ctx.rawPath.split("?")[0]}?${query}`;
}

/** Null last, numbers by value, the rest as text (PostgreSQL's order for one column). */
function orderValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const [sa, sb] = [String(a), String(b)];
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function answer(
  ctx: Ctx,
  q: URLSearchParams,
  rt: MetadataRuntime,
  def: ResourceDef,
  auto: AutoType,
  pool: () => Iterable<JsonObject>,
  listName: string | undefined,
  basePath: string,
  extraFilters: string[] = [],
): void {
  if (q.get("auto") && !(q.get("auto")!.toUpperCase() in AUTO_TYPES)) {
    throw new HttpError(400, `Value ${q.get("auto")} is not valid for parameter auto`);
  }
  if (bool(q, "describe")) {
    // DHIS2 answers the planned HQL query and its parameters; the emulator has no HQL to show.
    throw new HttpError(400, "describe=true is not emulated: it describes DHIS2's HQL query plan");
  }
  const autoType = (q.get("auto")?.toUpperCase() as AutoType | undefined) ?? auto;
  const absoluteUrls = bool(q, "absoluteUrls");
  const endpointRoot = absoluteUrls ? `${ctx.origin}/api` : "/api";
  const read = rt.read(ctx);
  const requested = splitList(q.getAll("fields").join(",")).map(parseField);
  const fields = planFields(
    { idx: rt.idx, def, auto: autoType, references: bool(q, "references", true) },
    requested,
  );
  const req: GistRequest = { read, def, fields, endpointRoot, absoluteUrls };
  const filters = [...extraFilters, ...splitList(q.getAll("filter").join(","))].map(parseFilter);
  const or = (q.get("rootJunction") ?? "AND").toUpperCase() === "OR";
  const pred = filterPredicate(req, filters, or);
  const orders = splitList(q.get("order") ?? "").map(parseOrder);
  for (const o of orders) resolveProperty(rt.idx, def, o.path);
  const matched = [...pool()].filter(pred);
  const keys = orders.length > 0 ? orders : [{ path: "id", desc: false }];
  matched.sort((a, b) => {
    for (const k of keys) {
      const va = valuesAt(read, def, a, k.path)[0];
      const vb = valuesAt(read, def, b, k.path)[0];
      const c = orderValues(va, vb);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
  if (listName === undefined) {
    // one object
    const obj = matched[0];
    if (!obj) {
      ctx.notFound(def.klass.slice(def.klass.lastIndexOf(".") + 1), ctx.params.id ?? "");
      return;
    }
    ctx.json(200, row(req, obj));
    return;
  }
  const totalPages = q.get("totalPages");
  const totalOld = q.get("total");
  if (totalPages !== null && totalOld !== null && bool(q, "totalPages") !== bool(q, "total")) {
    throw new HttpError(400, "totalPages and total request parameters are contradicting each other");
  }
  const countTotal = totalPages !== null ? bool(q, "totalPages") : bool(q, "total");
  const pageSize = Math.min(1000, Math.abs(Number(q.get("pageSize") ?? 50) || 50));
  const page = Math.max(1, Math.abs(Number(q.get("page") ?? 1) || 1));
  const offset = (page - 1) * pageSize;
  const slice = matched.slice(offset, offset + pageSize);
  const rows = slice.map((o) => row(req, o));
  if (bool(q, "headless")) {
    ctx.json(200, rows);
    return;
  }
  const total = countTotal ? matched.length : undefined;
  const pager: JsonObject = { page, pageSize };
  if (total !== undefined) pager.total = total;
  if (page > 1) pager.prevPage = pageLink(ctx, q, endpointRoot, basePath, page - 1);
  if (
    (total !== undefined && offset + slice.length < total) ||
    (total === undefined && slice.length === pageSize)
  ) {
    pager.nextPage = pageLink(ctx, q, endpointRoot, basePath, page + 1);
  }
  if (total !== undefined) pager.pageCount = Math.ceil(total / pageSize);
  ctx.json(200, { pager, [q.get("pageListName") ?? listName]: rows });
}

/** Registers the three Gist routes of one resource. */
export function installGistRoutes(app: EmulatorApp, rt: MetadataRuntime, def: ResourceDef): void {
  const base = def.endpoint;
  const rel = base.replace(/^\/api/, "");
  const store = (ctx: Ctx) => ctx.state.metadata;
  app.get(`${base}/gist`, (ctx) =>
    answer(
      ctx,
      ctx.query,
      rt,
      def,
      "S",
      () => store(ctx).bucket(def.plural).values(),
      def.plural,
      `${rel}/gist`,
    ),
  );
  app.get(`${base}/:id/gist`, (ctx) =>
    answer(
      ctx,
      ctx.query,
      rt,
      def,
      "L",
      () => {
        const o = store(ctx).get(def.plural, ctx.params.id!);
        return o ? [o] : [];
      },
      undefined,
      "",
    ),
  );
  app.get(`${base}/:id/:property/gist`, (ctx) => {
    const name = ctx.params.property!;
    const p: ResourceProperty | undefined = def.properties[name];
    if (!p) throw new HttpError(400, `No such property: ${name}`);
    const target = rt.idx.targetOf(p);
    const owner = store(ctx).get(def.plural, ctx.params.id!);
    if (!p.collection || !target || !rt.idx.isReference(p)) {
      // a plain property: the object's gist with that one field
      const q = new URLSearchParams(ctx.query);
      q.set("fields", name);
      return answer(ctx, q, rt, def, "L", () => (owner ? [owner] : []), undefined, "");
    }
    const members = new Set(
      owner ? ((rt.read(ctx).value(def, owner, p) as unknown[] | undefined) ?? []).map((x) => refId(x)) : [],
    );
    const inverse = bool(ctx.query, "inverse");
    answer(
      ctx,
      ctx.query,
      rt,
      target,
      "M",
      () => [...store(ctx).bucket(target.plural).values()].filter((o) => members.has(o.id) !== inverse),
      target.plural,
      `${rel}/${ctx.params.id}/${name}/gist`,
    );
  });
}
