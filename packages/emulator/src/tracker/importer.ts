/**
 * The tracker importer: validate, then (unless `importMode=VALIDATE`) persist, and build the
 * ImportReport `{ status, validationReport, stats, bundleReport: { typeReportMap } }` as the Web API
 * docs show it ("Import summary response", dhis2/dhis2-docs src/developer/web-api/tracker.md).
 * `atomicMode=ALL` (default) saves nothing when any object is invalid; `OBJECT` saves the valid ones.
 */
import type { MetadataStore } from "../metadata-store.js";
import type { EmulatorUser } from "../users.js";
import { type Json, type TrackerStore, type TrackerType, UID_KEY } from "./store.js";
import { type ErrorReport, type FileLookup, flattenBundle, type Item, validateItems } from "./validate.js";

export type ImportStrategy = "CREATE" | "UPDATE" | "CREATE_AND_UPDATE" | "DELETE";
export type ReportMode = "FULL" | "ERRORS" | "WARNINGS";

/** Parameters of one import (the query parameters of `POST /api/tracker`). */
export interface ImportParams {
  importStrategy: ImportStrategy;
  atomicMode: "ALL" | "OBJECT";
  validationMode: "FULL" | "FAIL_FAST" | "SKIP";
  importMode: "COMMIT" | "VALIDATE";
}

interface Stats {
  created: number;
  updated: number;
  deleted: number;
  ignored: number;
  total: number;
}

/** The full report; {@link renderReport} cuts it down to a `reportMode`. */
export interface FullReport {
  status: "OK" | "WARNING" | "ERROR";
  validationReport: { errorReports: ErrorReport[]; warningReports: ErrorReport[] };
  stats: Stats;
  bundleReport: {
    status: "OK" | "ERROR";
    typeReportMap: Record<TrackerType, { trackerType: TrackerType; stats: Stats; objectReports: Json[] }>;
    stats: Stats;
  };
  timingsStats: { timers: Record<string, string> };
}

const TYPES: readonly TrackerType[] = ["TRACKED_ENTITY", "ENROLLMENT", "EVENT", "RELATIONSHIP"];
const zero = (): Stats => ({ created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 });

/** What the importer reads and writes. */
export interface ImportEnv {
  readonly metadata: MetadataStore;
  readonly store: TrackerStore;
  readonly now: () => string;
  readonly user: EmulatorUser | undefined;
  /** Uploaded file resources: FILE_RESOURCE values are checked against them and assigned. */
  readonly files?: FileLookup;
}

/** Runs one import over a parsed payload. */
export function runImport(bundle: Json, params: ImportParams, env: ImportEnv): FullReport {
  const started = Date.now();
  const items = flattenBundle(bundle);
  const errors =
    params.validationMode === "SKIP"
      ? new Map<string, ErrorReport[]>()
      : validateItems(
          items,
          { metadata: env.metadata, store: env.store, strategy: params.importStrategy, files: env.files },
          params.validationMode === "FAIL_FAST",
        );
  for (const item of items) item.action ??= env.store.get(item.type, item.uid) ? "UPDATE" : "CREATE";

  const commit = params.importMode === "COMMIT" && (errors.size === 0 || params.atomicMode === "OBJECT");
  const perType = Object.fromEntries(
    TYPES.map((t) => [t, { trackerType: t, stats: zero(), objectReports: [] as Json[] }]),
  ) as FullReport["bundleReport"]["typeReportMap"];
  const writer = new Writer(env);
  // Deletes go children first so a cascading parent delete does not hide a child's own count.
  const ordered = params.importStrategy === "DELETE" ? [...items].reverse() : items;
  for (const item of ordered) {
    const entry = perType[item.type];
    entry.stats.total += 1;
    if (errors.has(`${item.type}/${item.uid}`) || !commit) {
      entry.stats.ignored += 1;
      continue;
    }
    writer.apply(item);
    // The persister marks an attribute's file resource assigned, owned by the tracked entity.
    for (const a of list(item.obj.attributes)) {
      const f = typeof a.value === "string" ? env.files?.get(a.value) : undefined;
      const type = env.metadata.get("trackedEntityAttributes", String(a.attribute))?.valueType;
      if (f && (type === "FILE_RESOURCE" || type === "IMAGE"))
        Object.assign(f, { assigned: true, owner: item.uid });
    }
    if (item.action === "CREATE") entry.stats.created += 1;
    else if (item.action === "UPDATE") entry.stats.updated += 1;
    else entry.stats.deleted += 1;
    entry.objectReports.push({ trackerType: item.type, uid: item.uid, index: item.index, errorReports: [] });
  }
  if (params.importStrategy === "DELETE") for (const t of TYPES) perType[t].objectReports.reverse();

  const stats = zero();
  for (const t of TYPES)
    for (const k of Object.keys(stats) as (keyof Stats)[]) stats[k] += perType[t].stats[k];
  const errorReports = [...errors.values()].flat();
  const elapsed = `${((Date.now() - started) / 1000).toFixed(3)} sec.`;
  return {
    status: errorReports.length > 0 ? "ERROR" : "OK",
    validationReport: { errorReports, warningReports: [] },
    stats,
    bundleReport: { status: errorReports.length > 0 ? "ERROR" : "OK", typeReportMap: perType, stats },
    timingsStats: {
      timers: { preheat: "0.000 sec.", validation: elapsed, commit: elapsed, totalImport: elapsed },
    },
  };
}

/**
 * The report for a `reportMode`: ERRORS (default) drops warnings, WARNINGS keeps them, FULL adds
 * `timingsStats` ("Import summary report level").
 */
export function renderReport(report: FullReport, mode: ReportMode): Json {
  const out: Json = {
    status: report.status,
    validationReport: {
      errorReports: report.validationReport.errorReports,
      warningReports: mode === "ERRORS" ? [] : report.validationReport.warningReports,
    },
    stats: report.stats,
    bundleReport: report.bundleReport,
  };
  if (mode === "FULL") out.timingsStats = report.timingsStats;
  return out;
}

/** The one-line summary DHIS2 puts in the job's last notification. */
export function summaryLine(report: FullReport): string {
  const s = report.stats;
  return `Import complete with status ${report.status}, ${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.ignored} ignored`;
}

const list = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter((x): x is Json => typeof x === "object" && x !== null) : [];
const ref = (v: unknown): string | undefined =>
  typeof v === "string"
    ? v
    : typeof v === "object" && v !== null
      ? ((v as Json).id as string | undefined)
      : undefined;

/** Applies one validated item to the store. */
class Writer {
  constructor(private readonly env: ImportEnv) {}

  #stamp(): Json | undefined {
    const u = this.env.user;
    return u ? { uid: u.id, username: u.username, firstName: u.firstName, surname: u.surname } : undefined;
  }

  #values(values: unknown, key: "attribute" | "dataElement", previous: Json[] = []): Json[] {
    const now = this.env.now();
    const byId = new Map(previous.map((v) => [v[key] as string, v]));
    for (const v of list(values)) {
      const id = v[key] as string;
      if (v.value === null || v.value === "") {
        byId.delete(id);
        continue;
      }
      const old = byId.get(id);
      const base: Json = {
        ...v,
        value: v.value === undefined ? undefined : String(v.value),
        createdAt: old?.createdAt ?? now,
        updatedAt: now,
      };
      if (key === "attribute") {
        const meta = this.env.metadata.get("trackedEntityAttributes", id);
        if (meta) {
          base.displayName = meta.displayName ?? meta.name;
          base.valueType = meta.valueType;
          if (meta.code !== undefined) base.code = meta.code;
        }
      } else {
        base.providedElsewhere ??= false;
        const stamp = this.#stamp();
        if (stamp) base.createdBy = old?.createdBy ?? stamp;
        if (stamp) base.updatedBy = stamp;
      }
      byId.set(id, base);
    }
    return [...byId.values()];
  }

  apply(item: Item): void {
    const { store } = this.env;
    const now = this.env.now();
    const stored = store.get(item.type, item.uid);
    if (item.action === "DELETE") {
      if (stored) this.#delete(item.type, item.uid, now);
      return;
    }
    const incoming = item.obj;
    const merged: Json = { ...stored, ...incoming, updatedAt: now, createdAt: stored?.createdAt ?? now };
    const stamp = this.#stamp();
    if (stamp) {
      merged.updatedBy = stamp;
      merged.createdBy = stored?.createdBy ?? stamp;
    }
    if (item.type === "TRACKED_ENTITY") {
      merged.inactive ??= false;
      merged.deleted = false;
      merged.potentialDuplicate ??= false;
      merged.attributes = this.#values(incoming.attributes, "attribute", list(stored?.attributes));
      delete merged.programOwners;
    } else if (item.type === "ENROLLMENT") {
      merged.status ??= "ACTIVE";
      merged.followUp ??= false;
      merged.deleted = false;
      merged.attributes = this.#values(incoming.attributes, "attribute", list(stored?.attributes));
      merged.notes = [...list(stored?.notes), ...this.#notes(incoming.notes)];
      if (merged.status === "COMPLETED") merged.completedAt ??= now;
      this.#touchTe(merged.trackedEntity, now, incoming.attributes);
    } else if (item.type === "EVENT") {
      const stage = this.env.metadata.get("programStages", String(merged.programStage));
      merged.program ??= ref(stage?.program);
      if (merged.enrollment && !merged.trackedEntity) {
        merged.trackedEntity = store.get("ENROLLMENT", String(merged.enrollment))?.trackedEntity;
      }
      merged.status ??= "ACTIVE";
      merged.followUp ??= false;
      merged.deleted = false;
      // Every DHIS2 has these default category UIDs (dhis2-core `CategoryService` defaults).
      merged.attributeOptionCombo ??= "HllvX50cXC0";
      merged.attributeCategoryOptions ??= "xYerKDKCefk";
      merged.dataValues = this.#values(incoming.dataValues, "dataElement", list(stored?.dataValues));
      merged.notes = [...list(stored?.notes), ...this.#notes(incoming.notes)];
      if (merged.status === "COMPLETED") {
        merged.completedAt ??= now;
        merged.completedBy ??= this.env.user?.username;
      }
      this.#touchTe(merged.trackedEntity, now);
    } else {
      const type = this.env.metadata.get("relationshipTypes", String(merged.relationshipType));
      if (type) {
        merged.relationshipName = type.displayName ?? type.name;
        merged.bidirectional = type.bidirectional === true;
      }
      merged.deleted = false;
    }
    merged[UID_KEY[item.type]] = item.uid;
    store.put(item.type, merged);
  }

  #notes(notes: unknown): Json[] {
    const stamp = this.#stamp();
    return list(notes).map((n) => ({
      ...n,
      storedAt: n.storedAt ?? this.env.now(),
      storedBy: n.storedBy ?? this.env.user?.username,
      ...(stamp ? { createdBy: stamp } : {}),
    }));
  }

  /** Enrollment attributes belong to the tracked entity too (one value per attribute). */
  #touchTe(uid: unknown, now: string, attributes?: unknown): void {
    if (typeof uid !== "string") return;
    const te = this.env.store.get("TRACKED_ENTITY", uid);
    if (!te) return;
    const next: Json = { ...te, updatedAt: now };
    if (attributes !== undefined)
      next.attributes = this.#values(attributes, "attribute", list(te.attributes));
    this.env.store.put("TRACKED_ENTITY", next);
  }

  /** Soft delete, cascading from tracked entities to enrollments to events (and their relationships). */
  #delete(type: TrackerType, uid: string, now: string): void {
    const { store } = this.env;
    const obj = store.get(type, uid);
    if (!obj || obj.deleted === true) return;
    store.put(type, { ...obj, deleted: true, updatedAt: now });
    if (type === "TRACKED_ENTITY")
      for (const en of store.enrollmentsOf(uid)) this.#delete("ENROLLMENT", en.enrollment as string, now);
    if (type === "ENROLLMENT")
      for (const ev of store.eventsOf(uid)) this.#delete("EVENT", ev.event as string, now);
    if (type !== "RELATIONSHIP")
      for (const rel of store.relationshipsOf(uid))
        this.#delete("RELATIONSHIP", rel.relationship as string, now);
  }
}
