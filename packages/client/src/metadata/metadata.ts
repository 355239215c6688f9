import { refuseDroppedKeys } from "../resources/dropped-keys.js";
import { didYouMean, QueryValidationError } from "../resources/errors.js";
import { buildFieldsParam, type FieldsOption } from "../resources/fields.js";
import { buildFilterParams, type ResourceFilter } from "../resources/filters.js";
import { buildOrderParam, type OrderOption } from "../resources/order.js";
import type { ResourceTable } from "../resources/resource-def.js";
import { apiErrorParts, type QueryParams, type RawSurface } from "../resources/surface.js";
import { MetadataImportReport } from "./import-report.js";

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
  export<K extends keyof M & string>(opts: MetadataExportOptions<K>): Promise<MetadataBundle<Pick<M, K>>>;
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
  versionKey?: string,
): MetadataAccessor<M> {
  const checkType = (plural: string, option: string): void => {
    if (plural === "system" && option === "bundle") return;
    if (!table) return;
    const def = table[plural];
    if (!def?.metadata) {
      const known = Object.values(table)
        .filter((d) => d.metadata)
        .map((d) => d.plural);
      throw new QueryValidationError(
        `"${plural}" is not a metadata type of this DHIS2 version${didYouMean(plural, known)}`,
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
        const fl = buildFieldsParam(fields.byType[t]);
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
      for (const [key, value] of Object.entries(bundle)) {
        checkType(key, "bundle");
        if (key !== "system" && !Array.isArray(value)) {
          throw new QueryValidationError(`bundle.${key} must be an array of objects`, "bundle", key);
        }
        if (Array.isArray(value)) {
          value.forEach((obj, i) => {
            refuseDroppedKeys(key, obj, `bundle.${key}[${i}]`);
          });
        }
      }
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
      try {
        const raw = await client.postRaw("/api/metadata", bundle, {
          params,
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        return MetadataImportReport.parse(raw);
      } catch (error) {
        // 409 (and some 400/500s) still carry the full ImportReport: return it, so nothing is lost.
        const parts = apiErrorParts(error);
        if (parts && MetadataImportReport.isImportReport(parts.body)) {
          const report = MetadataImportReport.parse(parts.body);
          return report.httpStatusCode === undefined ? withStatus(parts.body, parts.statusCode) : report;
        }
        throw error;
      }
    },
  };
}

function withStatus(body: unknown, statusCode: number): MetadataImportReport {
  const outer = typeof body === "object" && body !== null ? body : {};
  return MetadataImportReport.parse({ ...outer, httpStatusCode: statusCode });
}
