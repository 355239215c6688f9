/**
 * What the metadata routes share: the version's schema index, what its row of the version table says,
 * and helpers to build a read or write context for one request.
 */
import { type ResourceTable, SUPPORTED_VERSIONS, type VersionKey } from "@dhis2w/client";
import type { Ctx } from "../ctx.js";
import { generateUid } from "../uid.js";
import { HttpError } from "../web-message.js";
import type { WriteEnv } from "./bundle.js";
import { DEFAULT_VALUES } from "./default-values.gen.js";
import type { FilterOptions } from "./filter.js";
import { QueryError } from "./filter.js";
import { ReadContext } from "./resolve.js";
import { type SchemaIndex, schemaIndexFor } from "./schema-index.js";
import { syncAccounts } from "./users.js";

export class MetadataRuntime {
  readonly idx: SchemaIndex;
  readonly version: VersionKey;
  /** The query language of this version (its row of the version table). */
  readonly filter: FilterOptions;
  /** What a refused query answers (`metadata.queryErrorStatus` of the version's row). */
  readonly queryErrorStatus: number;

  constructor(table: ResourceTable, version: VersionKey) {
    this.idx = schemaIndexFor(table);
    this.version = version;
    const row = SUPPORTED_VERSIONS[version].metadata;
    this.filter = { notEmptyOperator: row.notEmptyFilterOperator };
    this.queryErrorStatus = row.queryErrorStatus;
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
      if (e instanceof QueryError) throw new HttpError(this.queryErrorStatus, e.message);
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
