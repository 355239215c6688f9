/**
 * What the metadata routes share: the version's schema index, the per-version behaviour table,
 * and helpers to build a read or write context for one request.
 */
import type { ResourceTable } from "@dhis2w/client";
import type { Ctx } from "../ctx.js";
import { generateUid } from "../uid.js";
import type { VersionKey } from "../versions.js";
import { HttpError } from "../web-message.js";
import type { WriteEnv } from "./bundle.js";
import { DEFAULT_VALUES } from "./default-values.gen.js";
import type { FilterOptions } from "./filter.js";
import { QueryError } from "./filter.js";
import { ReadContext } from "./resolve.js";
import { type SchemaIndex, schemaIndexFor } from "./schema-index.js";
import { syncAccounts } from "./users.js";

/** The few metadata behaviours that differ per version (one table, not three copies). */
export interface MetadataBehaviour {
  readonly filter: FilterOptions;
  /**
   * Status of a query the parser refuses: 2.41/2.42 let `QueryParserException` reach
   * `CrudControllerAdvice` (409 Conflict); 2.43's `AbstractFullReadOnlyController.getEntityList`
   * catches it as `BadRequestException` (400). dhis2/dhis2-core tags 2.42.3 vs 2.43.0.
   */
  readonly queryErrorStatus: number;
}

export const BEHAVIOUR: Readonly<Record<VersionKey, MetadataBehaviour>> = {
  v41: { filter: { notEmptyOperator: false }, queryErrorStatus: 409 },
  v42: { filter: { notEmptyOperator: true }, queryErrorStatus: 409 },
  v43: { filter: { notEmptyOperator: true }, queryErrorStatus: 400 },
};

export class MetadataRuntime {
  readonly idx: SchemaIndex;
  readonly behaviour: MetadataBehaviour;
  readonly version: VersionKey;

  constructor(table: ResourceTable, version: VersionKey) {
    this.idx = schemaIndexFor(table);
    this.behaviour = BEHAVIOUR[version];
    this.version = version;
  }

  read(ctx: Ctx): ReadContext {
    return new ReadContext(
      this.idx,
      ctx.state.metadata,
      `${ctx.origin}/api`,
      DEFAULT_VALUES[this.version],
      ctx.app.extensions.derivedProperties,
    );
  }

  write(ctx: Ctx): WriteEnv {
    const hooks = ctx.app.extensions.objectHooks;
    return {
      idx: this.idx,
      store: ctx.state.metadata,
      now: ctx.state.timestamp(),
      generateUid: () => generateUid(),
      vetoDelete: (plural, id) => {
        for (const veto of ctx.app.extensions.deleteVetoes ?? []) {
          const reason = veto(plural, id);
          if (reason) return reason;
        }
        return undefined;
      },
      afterCommit: (written) => {
        syncAccounts(ctx.state, written);
        for (const w of written) {
          if (w.action === "delete") continue;
          for (const h of hooks ?? []) if (h.plural === w.plural) h.afterWrite?.(w.id, ctx.state.metadata);
        }
      },
      defaults: DEFAULT_VALUES[this.version],
      checks: ctx.app.extensions.writeChecks,
      hooks,
    };
  }

  /** Runs `fn`, turning query parser errors into DHIS2's WebMessage. */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof QueryError) throw new HttpError(this.behaviour.queryErrorStatus, e.message);
      throw e;
    }
  }
}

/** The comma-joined values of a repeated parameter (`fields=a&fields=b`). */
export function joined(query: URLSearchParams, name: string): string | undefined {
  const all = query.getAll(name).filter((v) => v !== "");
  return all.length > 0 ? all.join(",") : undefined;
}

/** A non-negative integer parameter, or undefined. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}
