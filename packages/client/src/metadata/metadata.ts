import { WebMessageResponse } from "../envelopes/web-message.js";
import { Dhis2ClientError } from "../errors.js";
import { refuseDroppedKeys } from "../resources/dropped-keys.js";
import { closeNames, QueryValidationError } from "../resources/errors.js";
import { buildFieldsParam, type FieldsOption } from "../resources/fields.js";
import { buildFilterParams, type ResourceFilter } from "../resources/filters.js";
import { buildOrderParam, type OrderOption } from "../resources/order.js";
import type { ResourceTable } from "../resources/resource-def.js";
import { apiErrorParts, type QueryParams, type RawSurface } from "../resources/surface.js";
import type { TaskNotification } from "../tasks/schemas.js";
import { Tasks } from "../tasks/tasks.js";
import type { VersionKey } from "../versions.js";
import { MetadataImportReport, type SkippedType } from "./import-report.js";
import { EXPORT_HEADER_KEYS, isNonMetadataType } from "./non-metadata.js";

/** A metadata bundle: plural -> objects (plus DHIS2's `system` block on exports). */
export type MetadataBundle<M = Record<string, unknown>> = { [P in keyof M]?: M[P][] } & {
  system?: Record<string, unknown>;
};

/** Per-type or global: a value for every selected type, or a map plural -> value. */
type PerType<V, K extends string> = V | Partial<Record<K, V>>;

/** Options of `client.metadata.export`. Query syntax: `GET /api/metadata?dataElements=true&dataElements:fields=...`. */
export interface MetadataExportOptions<K extends string = string> {
  /** Plurals to export ("dataElements", "categoryCombos"). */
  types: readonly K[];
  /** Filters for every type (`filter=`), or per type (`dataElements:filter=`). DHIS2 ignores rootJunction here. */
  filters?: PerType<ResourceFilter | readonly ResourceFilter[], K>;
  /** Fields for every type (`fields=`), or per type (`dataElements:fields=`). DHIS2's default is `:owner`. */
  fields?: PerType<FieldsOption, K>;
  order?: PerType<OrderOption, K>;
  skipSharing?: boolean;
  /** "EXCLUDE" leaves out DHIS2's `default` category objects. */
  defaults?: "INCLUDE" | "EXCLUDE";
  params?: QueryParams;
  signal?: AbortSignal;
}

/** Options of `client.metadata.import` (`POST /api/metadata`). */
export interface MetadataImportOptions {
  importStrategy?: "CREATE_AND_UPDATE" | "CREATE" | "UPDATE" | "DELETE";
  /** ALL (default): nothing is stored when any object fails; NONE: store what is valid. */
  atomicMode?: "ALL" | "NONE";
  /** Validate only (`importMode=VALIDATE`); nothing is stored. */
  dryRun?: boolean;
  identifier?: "UID" | "CODE" | "AUTO";
  skipSharing?: boolean;
  skipValidation?: boolean;
  skipTranslation?: boolean;
  importReportMode?: "ERRORS" | "FULL" | "DEBUG";
  preheatMode?: "REFERENCE" | "ALL" | "NONE";
  flushMode?: "AUTO" | "OBJECT";
  /**
   * What to do with bundle keys that DHIS2 itself exports but does not import as metadata, such
   * as `interpretations` or the top-level `legends` of a DHIS2 export (DHIS2 drops them without a
   * word). "skip" (default): leave them out of the request and list them in the report's
   * `skippedTypes`. "reject": throw a `QueryValidationError` naming every such key, before any
   * request. Keys that are no DHIS2 type at all (a typo such as `dataElement`) are refused either
   * way, with a suggestion; the export header (`system`, `date`) always goes through.
   */
  nonMetadata?: "skip" | "reject";
  /**
   * Import as a background job (`async=true`): DHIS2 answers a `METADATA_IMPORT` kick-off, the
   * client follows the job through `client.tasks` (notifications until `completed: true`) and
   * returns the ImportReport stored at `/api/system/taskSummaries/METADATA_IMPORT/{id}`. For
   * bundles too big to import within one request's time.
   */
  async?: boolean;
  /** With `async`: between polls (default 1000 ms). */
  pollIntervalMs?: number;
  /** With `async`: give up waiting after this long (default 10 minutes; `null` waits forever). */
  timeoutMs?: number | null;
  /** With `async`: called once per new notification of the job, oldest first. */
  onNotification?: (notification: TaskNotification) => void;
  params?: QueryParams;
  signal?: AbortSignal;
}

/**
 * `client.metadata`: export and import through `/api/metadata`.
 *
 * `import` never loses a report: when DHIS2 answers 409 (or another error status) with an
 * ImportReport body, the report is returned with `status: "ERROR"` (and `httpStatusCode`) rather
 * than thrown; errors without a report (401, 500 HTML, network) still throw.
 */
export interface MetadataAccessor<M = Record<string, unknown>> {
  /** `GET /api/metadata` for the given types: one bundle, plural -> objects. */
  export<K extends keyof M & string>(opts: MetadataExportOptions<K>): Promise<MetadataBundle<Pick<M, K>>>;
  /**
   * `POST /api/metadata`: creates/updates every object of the bundle in one transaction (by
   * default) and returns DHIS2's import report. Keys DHIS2 exports but does not import as
   * metadata (`interpretations`, top-level `legends`) are left out and listed in `skippedTypes`
   * (refused with `nonMetadata: "reject"`); keys that are no DHIS2 type at all are refused, all
   * named in one error, before any request.
   *
   * @example
   * ```ts
   * // An export from another DHIS2 carries interpretations and top-level legends: skipped, visibly.
   * const report = await client.metadata.import(exported, { atomicMode: "NONE" });
   * for (const { type, count } of report.skippedTypes) console.warn(`skipped ${count} ${type}`);
   * ```
   */
  import(bundle: MetadataBundle<M>, opts?: MetadataImportOptions): Promise<MetadataImportReport>;
}

function perType<V>(
  value: PerType<V, string> | undefined,
  types: readonly string[],
  isGlobal: (v: unknown) => boolean,
) {
  if (value === undefined) return { global: undefined, byType: {} as Record<string, V> };
  if (isGlobal(value)) return { global: value as V, byType: {} as Record<string, V> };
  const byType = value as Record<string, V>;
  for (const key of Object.keys(byType)) {
    if (!types.includes(key)) {
      throw new QueryValidationError(`per-type option for "${key}", which is not in types`, "types", key);
    }
  }
  return { global: undefined, byType };
}

const isStringish = (v: unknown) => typeof v === "string" || Array.isArray(v);

/**
 * Builds `client.metadata` over the client's raw methods.
 *
 * @example
 * ```ts
 * const bundle = await client.metadata.export({ types: ["dataElements"], filters: { dataElements: "code:like:ANC" } });
 * const report = await client.metadata.import(bundle, { dryRun: true });
 * ```
 */
export function createMetadataAccessor<M = Record<string, unknown>>(
  client: RawSurface,
  table?: ResourceTable,
  versionKey?: VersionKey,
): MetadataAccessor<M> {
  const known = () =>
    Object.values(table ?? {})
      .filter((d) => d.metadata)
      .map((d) => d.plural);
  /** Undefined when `plural` is a metadata type (or no table is bound); else a did-you-mean hint ("" if none). */
  const notMetadata = (plural: string): string | undefined =>
    !table || table[plural]?.metadata ? undefined : typeHint(plural, known());
  const checkType = (plural: string, option: string): void => {
    const hint = notMetadata(plural);
    if (hint !== undefined) {
      throw new QueryValidationError(
        `"${plural}" is not a metadata type of this DHIS2 version${hint}`,
        option,
        plural,
      );
    }
  };

  return {
    async export(opts) {
      if (!opts.types || opts.types.length === 0) {
        throw new QueryValidationError("metadata export needs at least one type", "types", "");
      }
      const params: Record<string, string | readonly string[]> = { ...opts.params };
      for (const t of opts.types) {
        checkType(t, "types");
        params[t] = "true";
      }
      const filters = perType(
        opts.filters,
        opts.types,
        (v) => !(typeof v === "object" && v !== null && !Array.isArray(v)) || "path" in (v as object),
      );
      const fields = perType(opts.fields, opts.types, isStringish);
      const order = perType(opts.order, opts.types, isStringish);
      const ctxFor = (t?: string) => ({ def: t ? table?.[t] : undefined, versionKey });
      const global = buildFilterParams(filters.global, ctxFor());
      if (global.length > 0) params.filter = global;
      const gf = buildFieldsParam(fields.global);
      if (gf !== undefined) params.fields = gf;
      const go = buildOrderParam(order.global);
      if (go !== undefined) params.order = go;
      for (const t of opts.types) {
        const f = buildFilterParams(filters.byType[t], ctxFor(t));
        if (f.length > 0) params[`${t}:filter`] = f;
        const fl = buildFieldsParam(fields.byType[t], { def: table?.[t], table });
        if (fl !== undefined) params[`${t}:fields`] = fl;
        const o = buildOrderParam(order.byType[t], table?.[t]);
        if (o !== undefined) params[`${t}:order`] = o;
      }
      if (opts.skipSharing !== undefined) params.skipSharing = String(opts.skipSharing);
      if (opts.defaults !== undefined) params.defaults = opts.defaults;
      const raw = await client.getRaw("/api/metadata", {
        params,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return (raw ?? {}) as MetadataBundle<never>;
    },

    async import(bundle, opts = {}) {
      if (typeof bundle !== "object" || bundle === null || Array.isArray(bundle)) {
        throw new QueryValidationError(
          "metadata bundle must be an object keyed by plural",
          "bundle",
          String(bundle),
        );
      }
      const mode = opts.nonMetadata ?? "skip";
      if (mode !== "reject" && mode !== "skip") {
        throw new QueryValidationError(
          `nonMetadata must be "skip" or "reject", not ${JSON.stringify(mode)}`,
          "nonMetadata",
          String(mode),
        );
      }
      const refused: RefusedKey[] = [];
      const skippable: RefusedKey[] = [];
      for (const [key, value] of Object.entries(bundle)) {
        // The export's header: DHIS2 reads none of it, and it holds no object to lose.
        if (EXPORT_HEADER_KEYS.includes(key)) continue;
        const count = Array.isArray(value) ? value.length : 1;
        // Never a metadata type on any version, so known even without a resource table.
        if (isNonMetadataType(key)) {
          skippable.push({ type: key, count, hint: NON_METADATA_HINT });
          continue;
        }
        const hint = notMetadata(key);
        if (hint !== undefined) {
          refused.push({ type: key, count, hint });
          continue;
        }
        if (!Array.isArray(value)) {
          throw new QueryValidationError(`bundle.${key} must be an array of objects`, "bundle", key);
        }
        value.forEach((obj, i) => {
          refuseDroppedKeys(key, obj, `bundle.${key}[${i}]`);
        });
      }
      if (mode === "reject") refused.push(...skippable);
      if (refused.length > 0) throw refusedKeysError(refused, versionKey, mode);
      const skipped = new Set(skippable.map((r) => r.type));
      const body =
        skipped.size === 0
          ? bundle
          : Object.fromEntries(Object.entries(bundle).filter(([k]) => !skipped.has(k)));
      const skippedTypes = skippable.map(({ type, count }) => ({ type, count }));
      const params: Record<string, string | readonly string[]> = { ...opts.params };
      if (opts.importStrategy) params.importStrategy = opts.importStrategy;
      if (opts.atomicMode) params.atomicMode = opts.atomicMode;
      if (opts.dryRun) params.importMode = "VALIDATE";
      if (opts.identifier) params.identifier = opts.identifier;
      for (const flag of ["skipSharing", "skipValidation", "skipTranslation"] as const) {
        if (opts[flag] !== undefined) params[flag] = String(opts[flag]);
      }
      if (opts.importReportMode) params.importReportMode = opts.importReportMode;
      if (opts.preheatMode) params.preheatMode = opts.preheatMode;
      if (opts.flushMode) params.flushMode = opts.flushMode;
      if (opts.async) {
        params.async = "true";
        return importAsync(client, body, params, opts, skippedTypes);
      }
      try {
        const raw = await client.postRaw("/api/metadata", body, {
          params,
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        return MetadataImportReport.parse(raw, skippedTypes);
      } catch (error) {
        // 409 (and some 400/500s) still carry the full ImportReport: return it, so nothing is lost.
        const parts = apiErrorParts(error);
        if (parts && MetadataImportReport.isImportReport(parts.body)) {
          const report = MetadataImportReport.parse(parts.body, skippedTypes);
          return report.httpStatusCode === undefined
            ? withStatus(parts.body, parts.statusCode, skippedTypes)
            : report;
        }
        throw error;
      }
    },
  };
}

/**
 * `POST /api/metadata?async=true`, then the job through `client.tasks` (the client's own when it
 * has one, so its clock and sleep apply) and its summary, the ImportReport (dhis2-core
 * `MetadataImportJob`: `notifier.addJobSummary(config, report, ImportReport.class)`).
 */
async function importAsync(
  client: RawSurface,
  body: unknown,
  params: Record<string, string | readonly string[]>,
  opts: MetadataImportOptions,
  skippedTypes: readonly SkippedType[],
): Promise<MetadataImportReport> {
  const signal = opts.signal ? { signal: opts.signal } : {};
  const kickoff = await client.postRaw("/api/metadata", body, { params, ...signal });
  const ref = WebMessageResponse.safeParse(kickoff)?.taskRef();
  if (!ref) {
    // A server that imported synchronously anyway answers the report itself.
    if (MetadataImportReport.isImportReport(kickoff))
      return MetadataImportReport.parse(kickoff, skippedTypes);
    throw new Dhis2ClientError(
      "metadata import (async): the answer carries no job reference (response.jobType, response.id)",
    );
  }
  const tasks =
    (client as { tasks?: unknown }).tasks instanceof Tasks
      ? (client as unknown as { tasks: Tasks }).tasks
      : new Tasks(client);
  const done = await tasks.awaitCompletion(ref, {
    ...(opts.pollIntervalMs !== undefined ? { pollIntervalMs: opts.pollIntervalMs } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.onNotification ? { onNotification: opts.onNotification } : {}),
    ...signal,
  });
  const summary = await tasks.summary(ref, signal);
  if (summary && MetadataImportReport.isImportReport(summary)) {
    return MetadataImportReport.parse(summary, skippedTypes);
  }
  throw new Dhis2ClientError(
    `metadata import job ${ref.jobType}/${ref.id} ended without an import report: ${done.level} ${JSON.stringify(done.message)}`,
  );
}

/** A bundle key that is no metadata type, with how many objects it holds and a hint. */
interface RefusedKey {
  type: string;
  count: number;
  hint: string;
}

/** The hint of a key DHIS2 knows as a type but does not import as metadata. */
const NON_METADATA_HINT = "; DHIS2 exports it but does not import it as metadata";

/**
 * "; did you mean a, b?" for a key that is no metadata type: the plural of a singular first
 * (`dataElement` -> `dataElements`, the commonest slip), then close spellings; "" when none.
 */
function typeHint(key: string, candidates: readonly string[]): string {
  const lower = key.toLowerCase();
  const plurals = new Set([`${lower}s`, `${lower}es`, `${lower.replace(/y$/, "")}ies`, lower]);
  const exact = candidates.filter((c) => plurals.has(c.toLowerCase()));
  const close = [...new Set([...exact, ...closeNames(key, candidates)])].slice(0, 3);
  return close.length > 0 ? `; did you mean ${close.map((c) => `"${c}"`).join(", ")}?` : "";
}

/**
 * One error naming every refused key, so a user fixes the bundle in one go. DHIS2 would silently
 * skip these keys (dhis2/dhis2-core `DefaultRenderService.fromMetadata` logs "Skipping unknown
 * property" / "Skipping non-metadata property"), so the client refuses them rather than let
 * objects vanish.
 */
function refusedKeysError(
  refused: readonly RefusedKey[],
  versionKey: string | undefined,
  mode: "skip" | "reject",
): QueryValidationError {
  const where = versionKey ? `DHIS2 ${versionKey}` : "this DHIS2 version";
  const list = refused
    .map(({ type, count, hint }) => `"${type}" (${count} ${count === 1 ? "object" : "objects"}${hint})`)
    .join(", ");
  const noun = refused.length === 1 ? "key is not a metadata type" : "keys are not metadata types";
  const onlyNonMetadata = refused.every((r) => r.hint === NON_METADATA_HINT);
  const advice =
    mode === "reject" && onlyNonMetadata
      ? `Remove them from the bundle, or import without { nonMetadata: "reject" } to leave them out and have them listed in the report's skippedTypes`
      : "Fix or remove them";
  return new QueryValidationError(
    `${refused.length} metadata bundle ${noun} of ${where}: ${list}. DHIS2 would drop them without a word. ${advice}`,
    "bundle",
    refused.map((r) => r.type).join(", "),
  );
}

function withStatus(
  body: unknown,
  statusCode: number,
  skipped: readonly SkippedType[],
): MetadataImportReport {
  const outer = typeof body === "object" && body !== null ? body : {};
  return MetadataImportReport.parse({ ...outer, httpStatusCode: statusCode }, skipped);
}
