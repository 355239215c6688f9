/**
 * Filters of the tracker exporters (`GET /api/tracker/trackedEntities|enrollments|events|
 * relationships`), after the parameter tables of the Web API docs, "Tracker export"
 * (dhis2/dhis2-docs src/developer/web-api/tracker.md): org unit scope (`orgUnits` + `orgUnitMode`,
 * DESCENDANTS through the org unit `path`), program, dates, statuses, UID lists, attribute / data
 * element filters (`uid:op:value`, `/` escapes), `order`, `includeDeleted`.
 */
import type { Ctx } from "../ctx.js";
import type { MetadataStore } from "../metadata-store.js";
import { HttpError } from "../web-message.js";
import type { Json, TrackerKind, TrackerStore } from "./store.js";

/** Values of a parameter: repeated keys and comma-separated lists, flattened. */
export function multi(query: URLSearchParams, ...names: string[]): string[] {
  const out: string[] = [];
  for (const name of names)
    for (const v of query.getAll(name))
      out.push(
        ...v
          .split(/[,;]/)
          .map((s) => s.trim())
          .filter(Boolean),
      );
  return out;
}

/** Milliseconds of a DHIS2 date; zone-less values are read as UTC on both sides so they compare. */
export function toMs(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(value) || !value.includes("T") ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

function dateParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  const ms = toMs(raw);
  if (ms === undefined) throw new HttpError(400, `${name} is not a valid date: ${raw}`);
  return ms;
}

type Pred = (obj: Json) => boolean;

function dateRange(query: URLSearchParams, after: string, before: string, field: string): Pred[] {
  const a = dateParam(query, after);
  const b = dateParam(query, before);
  const preds: Pred[] = [];
  if (a !== undefined) preds.push((o) => (toMs(o[field]) ?? Number.NEGATIVE_INFINITY) >= a);
  if (b !== undefined) preds.push((o) => (toMs(o[field]) ?? Number.POSITIVE_INFINITY) <= b);
  return preds;
}

/** Splits on `sep` not escaped by `/` ("Tracked entity attribute filtering"). */
function splitEscaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === "/" && i + 1 < s.length) {
      cur += s[++i];
      continue;
    }
    if (ch === sep) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const BINARY = new Set([
  "eq",
  "ieq",
  "ge",
  "gt",
  "le",
  "lt",
  "ne",
  "neq",
  "nieq",
  "in",
  "like",
  "ilike",
  "nlike",
  "nilike",
  "sw",
  "ew",
]);

function compareOp(op: string, actual: string | undefined, wanted: string): boolean {
  if (op === "null") return actual === undefined || actual === "";
  if (op === "!null") return actual !== undefined && actual !== "";
  if (actual === undefined)
    return op === "ne" || op === "neq" || op === "nieq" || op === "nlike" || op === "nilike";
  const a = actual.toLowerCase();
  const w = wanted.toLowerCase();
  const an = Number(actual);
  const wn = Number(wanted);
  const numeric = actual.trim() !== "" && wanted.trim() !== "" && Number.isFinite(an) && Number.isFinite(wn);
  const cmp = numeric ? an - wn : a < w ? -1 : a > w ? 1 : 0;
  switch (op) {
    case "eq":
    case "ieq":
      return cmp === 0;
    case "ne":
    case "neq":
    case "nieq":
      return cmp !== 0;
    case "gt":
      return cmp > 0;
    case "ge":
      return cmp >= 0;
    case "lt":
      return cmp < 0;
    case "le":
      return cmp <= 0;
    case "in":
      return wanted.split(";").some((v) => compareOp("eq", actual, v));
    case "like":
    case "ilike":
      return a.includes(w);
    case "nlike":
    case "nilike":
      return !a.includes(w);
    case "sw":
      return a.startsWith(w);
    case "ew":
      return a.endsWith(w);
    default:
      return false;
  }
}

/** `uid:op:value[:op:value]` filters over a value list (`attributes` / `dataValues`). */
function valueFilters(query: URLSearchParams, param: string, listKey: string, idKey: string): Pred[] {
  const preds: Pred[] = [];
  for (const raw of query.getAll(param)) {
    for (const expr of splitEscaped(raw, ",").filter((s) => s.trim() !== "")) {
      const [uid, ...rest] = splitEscaped(expr, ":");
      if (!uid) throw new HttpError(400, `Invalid filter: ${expr}`);
      const conds: [string, string][] = [];
      for (let i = 0; i < rest.length; ) {
        const op = (rest[i] ?? "").toLowerCase();
        if (op === "null" || op === "!null") {
          conds.push([op, ""]);
          i += 1;
        } else if (BINARY.has(op) && i + 1 < rest.length) {
          conds.push([op, rest[i + 1] ?? ""]);
          i += 2;
        } else throw new HttpError(400, `Query item or filter is invalid: ${expr}`);
      }
      if (conds.length === 0) conds.push(["!null", ""]);
      preds.push((o) => {
        const values = Array.isArray(o[listKey]) ? (o[listKey] as Json[]) : [];
        const v = values.find((x) => x[idKey] === uid)?.value;
        return conds.every(([op, w]) =>
          compareOp(op, typeof v === "string" ? v : v == null ? undefined : String(v), w),
        );
      });
    }
  }
  return preds;
}

/** The org unit test of a request: `orgUnits` + `orgUnitMode` ("Organisation unit scopes"). */
export function orgUnitPredicate(
  ctx: Ctx,
  kind: TrackerKind,
  legacyNames: boolean,
): ((ou: unknown) => boolean) | undefined {
  const q = ctx.query;
  const names =
    kind === "events" ? ["orgUnit", "orgUnits"] : legacyNames ? ["orgUnits", "orgUnit"] : ["orgUnits"];
  const selected = multi(q, ...names);
  const rawMode = (q.get("orgUnitMode") ?? (legacyNames ? q.get("ouMode") : null) ?? "").toUpperCase();
  const mode = rawMode || (selected.length > 0 ? "SELECTED" : "ACCESSIBLE");
  const md: MetadataStore = ctx.state.metadata;
  for (const ou of selected)
    if (!md.has("organisationUnits", ou)) throw new HttpError(400, `Organisation unit does not exist: ${ou}`);
  const descendantsOf = (roots: readonly string[]) => {
    const cache = new Map<string, boolean>();
    return (ou: unknown) => {
      if (typeof ou !== "string") return false;
      let hit = cache.get(ou);
      if (hit === undefined) {
        const path = md.get("organisationUnits", ou)?.path;
        const parts = typeof path === "string" ? path.split("/") : [ou];
        hit = roots.some((r) => parts.includes(r));
        cache.set(ou, hit);
      }
      return hit;
    };
  };
  switch (mode) {
    case "ALL":
      return undefined;
    case "SELECTED":
    case "CHILDREN":
    case "DESCENDANTS": {
      if (selected.length === 0)
        throw new HttpError(400, `At least one org unit is required for orgUnitMode: ${mode}`);
      const set = new Set(selected);
      if (mode === "SELECTED") return (ou) => typeof ou === "string" && set.has(ou);
      if (mode === "CHILDREN") {
        return (ou) => {
          if (typeof ou !== "string") return false;
          const parent = md.get("organisationUnits", ou)?.parent as Json | undefined;
          return set.has(ou) || (typeof parent?.id === "string" && set.has(parent.id));
        };
      }
      return descendantsOf(selected);
    }
    case "ACCESSIBLE":
    case "CAPTURE": {
      if (selected.length > 0)
        throw new HttpError(
          400,
          `orgUnitMode ${mode} cannot be used with orgUnits. Please remove the orgUnits parameter and try again.`,
        );
      const user = ctx.user;
      // Emulator simplification: a superuser (authority ALL) sees every org unit, so real data
      // imported outside the demo hierarchy stays readable without editing users.
      if (!user || user.authorities.includes("ALL")) return undefined;
      const roots =
        mode === "CAPTURE"
          ? user.organisationUnits
          : [...user.organisationUnits, ...user.teiSearchOrganisationUnits];
      return descendantsOf(roots);
    }
    default:
      throw new HttpError(400, `Invalid orgUnitMode: ${rawMode}`);
  }
}

function bool(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name);
  return v === null || v === "" ? undefined : v.toLowerCase() === "true";
}

/** Filters one exporter's objects; `legacyNames` accepts 2.40 spellings (2.41 still did). */
export function filterObjects(
  ctx: Ctx,
  kind: TrackerKind,
  store: TrackerStore,
  legacyNames: boolean,
): Json[] {
  const q = ctx.query;
  const preds: Pred[] = [];
  const includeDeleted = bool(q, "includeDeleted") === true;
  if (!includeDeleted) preds.push((o) => o.deleted !== true);
  preds.push(...dateRange(q, "updatedAfter", "updatedBefore", "updatedAt"));
  const program = q.get("program") || undefined;
  let source: Iterable<Json>;

  if (kind === "trackedEntities") {
    const uids = multi(q, "trackedEntities", ...(legacyNames ? ["trackedEntity"] : []));
    const tet = q.get("trackedEntityType") || undefined;
    if (!program && !tet && uids.length === 0) {
      throw new HttpError(
        400,
        "Either `program`, `trackedEntityType` or `trackedEntities` should be specified",
      );
    }
    const ou = orgUnitPredicate(ctx, kind, legacyNames);
    if (ou) preds.push((o) => ou(o.orgUnit));
    if (tet) preds.push((o) => o.trackedEntityType === tet);
    if (uids.length > 0) preds.push((o) => uids.includes(String(o.trackedEntity)));
    const pd = bool(q, "potentialDuplicate");
    if (pd !== undefined) preds.push((o) => (o.potentialDuplicate === true) === pd);
    preds.push(...valueFilters(q, "filter", "attributes", "attribute"));
    if (program) {
      const enPreds: Pred[] = [(e) => e.program === program && (includeDeleted || e.deleted !== true)];
      const status = q.get("enrollmentStatus") || q.get("programStatus");
      if (status) enPreds.push((e) => e.status === status);
      const followUp = bool(q, "followUp");
      if (followUp !== undefined) enPreds.push((e) => (e.followUp === true) === followUp);
      enPreds.push(...dateRange(q, "enrollmentEnrolledAfter", "enrollmentEnrolledBefore", "enrolledAt"));
      enPreds.push(...dateRange(q, "enrollmentOccurredAfter", "enrollmentOccurredBefore", "occurredAt"));
      const evPreds: Pred[] = [(e) => e.deleted !== true];
      const stage = q.get("programStage");
      if (stage) evPreds.push((e) => e.programStage === stage);
      const evStatus = q.get("eventStatus");
      if (evStatus) evPreds.push((e) => e.status === evStatus);
      evPreds.push(...dateRange(q, "eventOccurredAfter", "eventOccurredBefore", "occurredAt"));
      const needEvents = evPreds.length > 1;
      const matched = new Set<string>();
      for (const en of store.enrollmentsInProgram(program)) {
        if (!enPreds.every((p) => p(en))) continue;
        if (needEvents && !store.eventsOf(String(en.enrollment)).some((ev) => evPreds.every((p) => p(ev))))
          continue;
        matched.add(String(en.trackedEntity));
      }
      source = [...store.trackedEntities.values()].filter((te) => matched.has(String(te.trackedEntity)));
    } else source = store.trackedEntities.values();
  } else if (kind === "enrollments") {
    const ou = orgUnitPredicate(ctx, kind, legacyNames);
    if (ou) preds.push((o) => ou(o.orgUnit));
    const uids = multi(q, "enrollments", ...(legacyNames ? ["enrollment"] : []));
    if (uids.length > 0) preds.push((o) => uids.includes(String(o.enrollment)));
    const te = q.get("trackedEntity");
    if (te) preds.push((o) => o.trackedEntity === te);
    const status = q.get("status") || q.get("programStatus");
    if (status) preds.push((o) => o.status === status);
    const followUp = bool(q, "followUp");
    if (followUp !== undefined) preds.push((o) => (o.followUp === true) === followUp);
    preds.push(...dateRange(q, "enrolledAfter", "enrolledBefore", "enrolledAt"));
    source = program ? store.enrollmentsInProgram(program) : store.enrollments.values();
  } else if (kind === "events") {
    const ou = orgUnitPredicate(ctx, kind, legacyNames);
    if (ou) preds.push((o) => ou(o.orgUnit));
    const uids = multi(q, "events", ...(legacyNames ? ["event"] : []));
    if (uids.length > 0) preds.push((o) => uids.includes(String(o.event)));
    const enrollments = multi(q, "enrollments");
    if (enrollments.length > 0) preds.push((o) => enrollments.includes(String(o.enrollment)));
    for (const name of ["programStage", "trackedEntity", "status", "attributeOptionCombo"]) {
      const v = q.get(name);
      if (v) preds.push((o) => o[name] === v);
    }
    const enStatus = q.get("enrollmentStatus") || q.get("programStatus");
    if (enStatus) preds.push((o) => store.get("ENROLLMENT", String(o.enrollment))?.status === enStatus);
    preds.push(...dateRange(q, "occurredAfter", "occurredBefore", "occurredAt"));
    preds.push(...dateRange(q, "scheduledAfter", "scheduledBefore", "scheduledAt"));
    preds.push(...valueFilters(q, "filter", "dataValues", "dataElement"));
    source = program ? store.eventsInProgram(program) : store.events.values();
  } else {
    const anchors = ["trackedEntity", "enrollment", "event"]
      .map((n) => q.get(n))
      .filter((v): v is string => !!v);
    if (anchors.length !== 1) {
      throw new HttpError(
        400,
        "Only one parameter of 'trackedEntity', 'enrollment' or 'event' must be specified. Got none or more than one.",
      );
    }
    source = store.relationshipsOf(anchors[0] as string);
  }
  const out: Json[] = [];
  for (const obj of source) if (preds.every((p) => p(obj))) out.push(obj);
  return out;
}

/**
 * Sorts by `order=field:dir,...`; without it newest first ("Entities are ordered by newest
 * (internal ID descending) by default").
 */
export function orderObjects(objs: Json[], query: URLSearchParams): Json[] {
  const newestFirst = objs.reverse();
  const order = multi(query, "order").map((o) => {
    const [field = "", dir = "asc"] = o.split(":");
    return { field, desc: dir.toLowerCase() === "desc" };
  });
  if (order.length === 0) return newestFirst;
  const pos = new Map(newestFirst.map((o, i) => [o, i]));
  return [...newestFirst].sort((x, y) => {
    for (const { field, desc } of order) {
      const a = x[field];
      const b = y[field];
      if (a === b) continue;
      if (a === undefined || a === null) return 1;
      if (b === undefined || b === null) return -1;
      const c = String(a) < String(b) ? -1 : 1;
      return desc ? -c : c;
    }
    return (pos.get(x) ?? 0) - (pos.get(y) ?? 0);
  });
}
