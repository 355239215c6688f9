/**
 * The one write path: a bundle `{ plural: [objects] }` is validated as a whole (references may
 * point at any object of the bundle, in any order), then committed or not according to
 * `atomicMode`. CRUD calls it with a bundle of one, like dhis2-core's `AbstractCrudController`
 * does (it imports a `MetadataObjects` of one object).
 *
 * Flow and statuses follow dhis2-core `DefaultMetadataImportService.importMetadata`: OK; WARNING
 * when `atomicMode=NONE` let some objects through; ERROR (everything ignored) when
 * `atomicMode=ALL` met an error. Checks follow the object bundle validators: `CreationCheck`
 * (E5000), `UpdateCheck` (E5001), `DefaultSchemaValidator` (E4000 required, E4001 length),
 * `UniquenessCheck` (E5003), `ReferencesCheck` (E5002; defaults and user references skipped).
 */
import type { ResourceDef, ResourceProperty } from "@dhis2w/client";
import type { MetadataObject, MetadataStore } from "../metadata-store.js";
import { isValidUid } from "../uid.js";
import {
  applyDefaults,
  deriveHierarchy,
  isDefaultUid,
  mergeForUpdate,
  normalizeObject,
} from "./normalize.js";
import { type ObjectHook, runHooks } from "./object-hooks.js";
import {
  addStats,
  type ErrorReport,
  emptyStats,
  errorReport,
  identifiersWithName,
  type ObjectReport,
  type Stats,
  type TypeReport,
} from "./reports.js";
import { refId } from "./resolve.js";
import { isSimple, type JsonObject, SchemaIndex } from "./schema-index.js";
import { takeUserSecrets, validateUser, type WrittenObject } from "./users.js";

export type ImportStrategy = "CREATE" | "UPDATE" | "CREATE_AND_UPDATE" | "DELETE";

export interface BundleParams {
  readonly importStrategy?: ImportStrategy;
  readonly atomicMode?: "ALL" | "NONE";
  /** `VALIDATE` = dry run. */
  readonly importMode?: "COMMIT" | "VALIDATE";
  /** How updates combine with the stored object (`PUT` = the CRUD rule, see normalize.ts). */
  readonly mergeMode?: "REPLACE" | "MERGE" | "PUT";
  /** `FULL` keeps every object report; `ERRORS` (default) only those with errors. */
  readonly reportMode?: "FULL" | "ERRORS";
}

export interface WriteEnv {
  readonly idx: SchemaIndex;
  readonly store: MetadataStore;
  readonly now: string;
  readonly generateUid: () => string;
  /**
   * Why an object may not be deleted (dhis2-core `DeletionVeto`, answered as E4030), or undefined.
   * Other modules add vetoes through `app.extensions.deleteVetoes` (the data module: stored values).
   */
  readonly vetoDelete?: (plural: string, id: string) => string | undefined;
  /** Told what a commit wrote (the runtime brings `state.users` in line with written users). */
  readonly afterCommit?: (written: readonly WrittenObject[]) => void;
  /** Per schema class, the Java defaults filled in when a body leaves them out (`default-values.gen.ts`). */
  readonly defaults?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Per schema class, checks other modules add (job configurations): [errorCode, args] pairs. */
  readonly checks?: Readonly<
    Record<
      string,
      (
        obj: JsonObject,
        existing: JsonObject | undefined,
        others: Iterable<JsonObject>,
      ) => [string, unknown[]][]
    >
  >;
  /** Other modules' per-type hooks (`object-hooks.ts`). */
  readonly hooks?: readonly ObjectHook[];
}

/** DHIS2's ImportReport (without the WebMessage around it). */
export interface ImportReport {
  responseType: "ImportReport";
  status: "OK" | "WARNING" | "ERROR";
  stats: Stats;
  typeReports: TypeReport[];
}

interface Planned {
  def: ResourceDef;
  index: number;
  obj: JsonObject;
  existing: JsonObject | undefined;
  action: "create" | "update" | "delete";
  errors: ErrorReport[];
  /** A `users` object's new password: held here, never stored in the object or reported. */
  password?: string;
}

const USER_TYPES = new Set(["user", "userGroup", "userRole"]);

/**
 * Imports a bundle.
 *
 * @example
 * const report = importBundle(env, { dataElements: [{ name: "X", shortName: "X", ... }] }, {});
 */
export function importBundle(
  env: WriteEnv,
  bundle: Readonly<Record<string, readonly unknown[]>>,
  params: BundleParams,
): ImportReport {
  const strategy = params.importStrategy ?? "CREATE_AND_UPDATE";
  const { idx, store } = env;
  const plans: Planned[] = [];
  // Every id the bundle brings, per plural: references may point at them.
  const pending = new Map<string, Set<string>>();

  for (const [plural, items] of Object.entries(bundle)) {
    const def = idx.bundleDef(plural);
    if (!def || !Array.isArray(items)) continue;
    const ids = new Set<string>();
    pending.set(plural, ids);
    items.forEach((raw, index) => {
      let input = (raw !== null && typeof raw === "object" ? raw : {}) as JsonObject;
      let password: string | undefined;
      if (plural === "users") ({ input, password } = takeUserSecrets(def, input));
      const errors: ErrorReport[] = [];
      let id = input.id;
      const klass = def.klass;
      if (id !== undefined && !isValidUid(id)) {
        errors.push(errorReport("E4014", klass, [String(id), "id"], { errorProperty: "id" }));
      }
      if (typeof id !== "string" || id === "") id = env.generateUid();
      const existing = store.get(plural, id as string);
      const action =
        strategy === "DELETE" ? "delete" : existing && strategy !== "CREATE" ? "update" : "create";
      const obj = action === "delete" ? { ...input, id } : normalizeObject(idx, def, { ...input, id });
      const label = identifiersWithName(obj, SchemaIndex.simpleName(def));
      if (strategy === "CREATE" && existing) {
        errors.push(errorReport("E5000", klass, ["UID", label], { mainId: id as string }));
      } else if ((strategy === "UPDATE" || strategy === "DELETE") && !existing) {
        errors.push(
          errorReport("E5001", klass, ["UID", label], { mainId: id as string, errorProperty: "id" }),
        );
      }
      if (action === "delete" && existing && errors.length === 0) {
        const veto = env.vetoDelete?.(plural, id as string);
        if (veto) errors.push(errorReport("E4030", klass, [veto], { mainId: id as string }));
      }
      if (action !== "delete") ids.add(id as string);
      plans.push({
        def,
        index,
        obj,
        existing,
        action,
        errors,
        ...(password !== undefined ? { password } : {}),
      });
    });
  }

  const unique = new UniqueIndex(store);
  for (const plan of plans) {
    if (plan.action === "delete" || plan.errors.length > 0) continue;
    if (plan.action === "update") {
      plan.obj = mergeForUpdate(plan.def, plan.existing!, plan.obj, params.mergeMode ?? "REPLACE");
    }
    applyDefaults(idx, plan.def, plan.obj, env.defaults?.[plan.def.klass]);
    plan.errors.push(...runHooks(env.hooks, plan.def.plural, plan.obj, store, plan.existing));
    if (plan.def.plural === "users") {
      plan.errors.push(...validateUser(plan.def, plan.obj, plan.existing, plan.password, store, env.now));
    }
    const check = env.checks?.[plan.def.klass];
    if (check) {
      for (const [code, args] of check(plan.obj, plan.existing, store.bucket(plan.def.plural).values())) {
        plan.errors.push(errorReport(code, plan.def.klass, args, { mainId: plan.obj.id as string }));
      }
    }
    validateSchema(plan);
    validateReferences(env, plan, plan.def, plan.obj, pending, plan.obj);
    unique.check(plan);
  }

  const failed = plans.some((p) => p.errors.length > 0);
  const atomicAll = (params.atomicMode ?? "ALL") === "ALL";
  const commit = params.importMode !== "VALIDATE" && !(failed && atomicAll);
  if (commit) writePlans(env, plans);

  return buildReport(plans, failed ? (atomicAll ? "ERROR" : "WARNING") : "OK", failed && atomicAll, params);
}

function validateSchema(plan: Planned): void {
  const { def, obj } = plan;
  for (const p of Object.values(def.properties)) {
    if (p.persisted !== true || p.owner !== true) continue;
    const v = obj[p.name];
    if (v === undefined || v === null) {
      if (p.required && p.name !== "id" && !p.collection) {
        plan.errors.push(errorReport("E4000", def.klass, [p.name], { errorProperty: p.name }));
      }
      continue;
    }
    if (typeof v === "string" && isSimple(p) && p.propertyType !== "PASSWORD" && p.max !== undefined) {
      if (v.length > p.max) {
        plan.errors.push(
          errorReport("E4001", def.klass, [p.name, p.max, v.length], { errorProperty: p.name }),
        );
      }
    }
  }
}

function validateReferences(
  env: WriteEnv,
  plan: Planned,
  def: ResourceDef,
  obj: JsonObject,
  pending: Map<string, Set<string>>,
  root: JsonObject,
): void {
  const { idx, store } = env;
  for (const p of Object.values(def.properties)) {
    const v = obj[p.name];
    if (v === undefined || v === null || p.owner !== true) continue;
    const target = idx.targetOf(p);
    if (!target) continue;
    if (idx.isEmbedded(p)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        if (item && typeof item === "object")
          validateReferences(env, plan, target, item as JsonObject, pending, root);
      }
      continue;
    }
    if (!idx.isReference(p) || USER_TYPES.has(target.singular)) continue;
    for (const item of Array.isArray(v) ? v : [v]) {
      const id = refId(item);
      if (id === undefined || isDefaultUid(id)) continue;
      if (pending.get(target.plural)?.has(id) || store.has(target.plural, id)) continue;
      const ref = `[${id}] (${SchemaIndex.simpleName(target)})`;
      const label = identifiersWithName(root, SchemaIndex.simpleName(plan.def));
      plan.errors.push(
        errorReport("E5002", plan.def.klass, [ref, label, p.name], {
          errorKlass: target.klass,
          errorProperty: p.name,
          mainId: root.id as string,
        }),
      );
    }
  }
}

/** Values of unique simple properties per type, over the store and the bundle so far. */
class UniqueIndex {
  readonly #maps = new Map<string, Map<string, Map<string, string>>>();
  readonly #store: MetadataStore;

  constructor(store: MetadataStore) {
    this.#store = store;
  }

  #props(def: ResourceDef): ResourceProperty[] {
    return Object.values(def.properties).filter(
      (p) => p.unique === true && p.owner === true && p.persisted === true && isSimple(p) && p.name !== "id",
    );
  }

  #map(def: ResourceDef): Map<string, Map<string, string>> {
    let m = this.#maps.get(def.plural);
    if (!m) {
      m = new Map();
      const props = this.#props(def);
      for (const p of props) m.set(p.name, new Map());
      for (const o of this.#store.bucket(def.plural).values()) {
        for (const p of props) {
          const v = o[p.name];
          if (v !== undefined && v !== null) m.get(p.name)!.set(String(v), o.id);
        }
      }
      this.#maps.set(def.plural, m);
    }
    return m;
  }

  check(plan: Planned): void {
    const m = this.#map(plan.def);
    const id = plan.obj.id as string;
    for (const p of this.#props(plan.def)) {
      const v = plan.obj[p.name];
      if (v === undefined || v === null) continue;
      const values = m.get(p.name)!;
      const holder = values.get(String(v));
      if (holder !== undefined && holder !== id) {
        const label = identifiersWithName(plan.obj, SchemaIndex.simpleName(plan.def));
        plan.errors.push(
          errorReport("E5003", plan.def.klass, [p.name, v, label, holder], {
            mainId: id,
            errorProperty: p.name,
          }),
        );
      } else values.set(String(v), id);
    }
  }
}

/**
 * Drops deleted objects from the owner-side collections that listed them (dhis2-core's deletion
 * handlers do this, e.g. `DataSetDeletionHandler` for a deleted org unit), so the next update of
 * the owner does not trip over a dangling reference. One pass per holding type.
 */
function removeDanglingReferences(env: WriteEnv, deleted: Map<string, Set<string>>, now: string): void {
  const { idx, store } = env;
  for (const holder of Object.values(idx.table)) {
    const props = Object.values(holder.properties).filter((p) => {
      if (!p.collection || p.owner !== true || !idx.isReference(p)) return false;
      const t = idx.targetOf(p);
      return t !== undefined && deleted.has(t.plural);
    });
    if (props.length === 0) continue;
    for (const obj of store.bucket(holder.plural).values()) {
      let next: MetadataObject | undefined;
      for (const p of props) {
        const gone = deleted.get(idx.targetOf(p)!.plural)!;
        const list = obj[p.name];
        if (!Array.isArray(list) || !list.some((x) => gone.has(refId(x) ?? ""))) continue;
        next ??= { ...obj, lastUpdated: now };
        next[p.name] = list.filter((x) => !gone.has(refId(x) ?? ""));
      }
      if (next) store.put(holder.plural, next);
    }
  }
}

function writePlans(env: WriteEnv, plans: Planned[]): void {
  const { store, idx } = env;
  const orgUnits: JsonObject[] = [];
  const deleted = new Map<string, Set<string>>();
  const written: WrittenObject[] = [];
  for (const plan of plans) {
    if (plan.errors.length > 0) continue;
    const plural = plan.def.plural;
    const id = plan.obj.id as string;
    written.push({ plural, id, action: plan.action, ...(plan.password ? { password: plan.password } : {}) });
    if (plan.action === "delete") {
      if (store.delete(plural, id)) {
        const set = deleted.get(plural) ?? new Set<string>();
        set.add(id);
        deleted.set(plural, set);
      }
      continue;
    }
    const obj = plan.obj;
    if (plan.action === "create") obj.created ??= env.now;
    obj.lastUpdated = env.now;
    store.put(plural, obj as MetadataObject);
    if (plural === "organisationUnits") orgUnits.push(obj);
  }
  if (deleted.size > 0) removeDanglingReferences(env, deleted, env.now);
  // Paths after all writes: parents may come later in the bundle.
  const ouDef = idx.byPlural("organisationUnits");
  if (ouDef && orgUnits.length > 0) {
    const done = new Set<string>();
    const written = new Set(orgUnits);
    const visit = (o: JsonObject, depth: number): void => {
      if (done.has(o.id as string) || depth > 64) return;
      const parentId = refId(o.parent);
      const parent = parentId ? store.get("organisationUnits", parentId) : undefined;
      if (parent && !done.has(parent.id) && written.has(parent)) visit(parent, depth + 1);
      deriveHierarchy(ouDef, o, (pid) => store.get("organisationUnits", pid));
      done.add(o.id as string);
    };
    for (const o of orgUnits) visit(o, 0);
  }
  if (written.length > 0) env.afterCommit?.(written);
}

function buildReport(
  plans: Planned[],
  status: ImportReport["status"],
  ignoreAll: boolean,
  params: BundleParams,
): ImportReport {
  const byKlass = new Map<string, TypeReport>();
  const total = emptyStats();
  for (const plan of plans) {
    let tr = byKlass.get(plan.def.klass);
    if (!tr) {
      tr = { klass: plan.def.klass, stats: emptyStats(), objectReports: [] };
      byKlass.set(plan.def.klass, tr);
    }
    const ok = plan.errors.length === 0 && !ignoreAll;
    if (!ok) tr.stats.ignored++;
    else if (plan.action === "create") tr.stats.created++;
    else if (plan.action === "update") tr.stats.updated++;
    else tr.stats.deleted++;
    tr.stats.total++;
    const keep = params.reportMode === "FULL" || params.importMode === "VALIDATE" || plan.errors.length > 0;
    if (keep) {
      const report: ObjectReport = { klass: plan.def.klass, index: plan.index, errorReports: plan.errors };
      if (typeof plan.obj.id === "string") report.uid = plan.obj.id;
      tr.objectReports.push(report);
    }
  }
  for (const tr of byKlass.values()) addStats(total, tr.stats);
  return { responseType: "ImportReport", status, stats: total, typeReports: [...byKlass.values()] };
}
