/**
 * The `fields` parameter of the tracker exporters over stored (flat) objects: nested children
 * (`enrollments`, `events`, `relationships`, `programOwners`) are looked up only when selected.
 * Syntax is the metadata field filter's (`*`, `a,b[c,d]`, `!x`; parsed by the metadata module's
 * `parseFields`), as the Web API docs say ("Field filter responses", dhis2/dhis2-docs
 * src/developer/web-api/tracker.md). Defaults leave out the nested collections, as DHIS2 does.
 */
import { type FieldSpec, parseFields } from "../metadata/fields.js";
import type { Json, TrackerKind, TrackerStore } from "./store.js";

/** Default `fields` of each exporter. */
export const DEFAULT_FIELDS: Readonly<Record<TrackerKind, string>> = {
  trackedEntities: "*,!relationships,!enrollments,!events,!programOwners",
  enrollments: "*,!relationships,!events,!attributes",
  events: "*,!relationships",
  relationships: "*",
};

const ALL: readonly FieldSpec[] = [{ name: "*" }];

/** Which nested kinds hang off each kind, and how to find them. */
interface RenderEnv {
  readonly store: TrackerStore;
  readonly includeDeleted: boolean;
}

function lazyFields(kind: TrackerKind, obj: Json, env: RenderEnv): Record<string, () => unknown> {
  const keep = (xs: Json[]) => (env.includeDeleted ? xs : xs.filter((x) => x.deleted !== true));
  const rels = (uid: unknown) => () => keep(env.store.relationshipsOf(String(uid)));
  if (kind === "trackedEntities") {
    const uid = String(obj.trackedEntity);
    return {
      enrollments: () => keep(env.store.enrollmentsOf(uid)),
      relationships: rels(uid),
      programOwners: () => {
        const seen = new Set<string>();
        const out: Json[] = [];
        for (const en of keep(env.store.enrollmentsOf(uid))) {
          const program = String(en.program);
          if (seen.has(program)) continue;
          seen.add(program);
          out.push({ orgUnit: obj.orgUnit, trackedEntity: uid, program });
        }
        return out;
      },
    };
  }
  if (kind === "enrollments") {
    return {
      events: () => keep(env.store.eventsOf(String(obj.enrollment))),
      relationships: rels(obj.enrollment),
    };
  }
  if (kind === "events") return { relationships: rels(obj.event) };
  return {};
}

const CHILD_KIND: Readonly<Record<string, TrackerKind>> = {
  enrollments: "enrollments",
  events: "events",
  relationships: "relationships",
};

function isAll(spec: FieldSpec): boolean {
  return !spec.exclude && (spec.name === "*" || spec.name === ":all");
}

function selectKeys(
  specs: readonly FieldSpec[],
  plain: readonly string[],
  lazy: readonly string[],
): string[] {
  const excluded = new Set(specs.filter((s) => s.exclude).map((s) => s.name));
  const keys = new Set<string>();
  if (specs.some(isAll)) for (const k of [...plain, ...lazy]) keys.add(k);
  for (const s of specs) if (!s.exclude && !isAll(s)) keys.add(s.name);
  return [...keys].filter((k) => !excluded.has(k));
}

function childSpecs(specs: readonly FieldSpec[], key: string): readonly FieldSpec[] | undefined {
  return specs.find((s) => s.name === key && !s.exclude)?.children;
}

/** Projects a plain (non-tracker) value: attributes, data values, notes, relationship items. */
function projectPlain(value: unknown, specs: readonly FieldSpec[] | undefined): unknown {
  if (!specs || specs.length === 0) return value;
  if (Array.isArray(value)) return value.map((v) => projectPlain(v, specs));
  if (typeof value !== "object" || value === null) return value;
  const obj = value as Json;
  const out: Json = {};
  for (const key of selectKeys(specs, Object.keys(obj), [])) {
    if (obj[key] !== undefined) out[key] = projectPlain(obj[key], childSpecs(specs, key));
  }
  return out;
}

/** Renders one stored tracker object through a parsed field list. */
export function renderTracker(
  kind: TrackerKind,
  obj: Json,
  specs: readonly FieldSpec[],
  env: RenderEnv,
): Json {
  const lazy = lazyFields(kind, obj, env);
  const out: Json = {};
  for (const key of selectKeys(specs, Object.keys(obj), Object.keys(lazy))) {
    const children = childSpecs(specs, key);
    const getter = lazy[key];
    if (getter) {
      const nestedKind = key === "programOwners" ? undefined : CHILD_KIND[key];
      const items = getter() as Json[];
      out[key] = nestedKind
        ? items.map((child) => renderTracker(nestedKind, child, children ?? ALL, env))
        : projectPlain(items, children);
      continue;
    }
    if (obj[key] !== undefined) out[key] = projectPlain(obj[key], children);
  }
  return out;
}

/** Parses `fields` (several parameters are joined), falling back to the exporter's default. */
export function fieldSpecs(kind: TrackerKind, query: URLSearchParams): FieldSpec[] {
  const given = query.getAll("fields").filter((f) => f.trim() !== "");
  return parseFields(given.length > 0 ? given.join(",") : DEFAULT_FIELDS[kind]);
}
