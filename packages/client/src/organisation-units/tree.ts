/**
 * `client.organisationUnits`: walking the org unit hierarchy (the generic accessor stays
 * `client.resources.organisationUnits`). Over dhis2-core `OrganisationUnitController`, the same
 * routes in 2.41-2.43 (2.41 builds the lists in memory, 2.42+ as path/level filters; both page
 * and take `fields`):
 * - `children`: `GET /api/organisationUnits/{uid}?includeChildren=true` (the unit and its
 *   children; the unit is dropped here);
 * - `ancestors`: `?includeAncestors=true` (2.41 lists the unit first, 2.42+ order by level;
 *   sorted by level here, the unit dropped);
 * - `descendants`: the list filtered on `path:like:/<uid>/` (a unit's own path ends in its UID,
 *   so only strict descendants match), optionally `level:eq:N`, ordered by `path` and read page
 *   by page, so a whole country's tree is never held at once;
 * - `levels`: `GET /api/filledOrganisationUnitLevels` (the Maintenance app's call: every level in
 *   use, named `Level N` by DHIS2 where no `organisationUnitLevels` object names it).
 */
import { Dhis2ApiError } from "../http/errors/api-error.js";
import { isObject } from "../is-object.js";
import { checkUid, ObjectNotFoundError } from "../reference-errors.js";
import { QueryValidationError } from "../resources/errors.js";

type Opts = { params?: Record<string, string | readonly string[]>; signal?: AbortSignal };

/** What the org unit tree needs from a client; `Dhis2Client` satisfies it. */
export interface OrganisationUnitsHttp {
  getRaw(path: string, options?: Opts): Promise<unknown>;
}

/** An org unit as the tree methods return it: `id` and `level` always, the rest as `fields` asked. */
export type OrganisationUnitNode = {
  readonly id: string;
  readonly level: number;
  readonly name?: string;
  readonly path?: string;
  readonly parent?: { readonly id: string };
} & Readonly<Record<string, unknown>>;

/** One level of the hierarchy. */
export interface OrganisationUnitLevel {
  /** The `organisationUnitLevels` object's UID; absent for a level no object names. */
  readonly id?: string;
  readonly name: string;
  /** 1 is the root. */
  readonly level: number;
  readonly offlineLevels?: number;
}

/** Options of the tree methods. */
export interface TreeOptions {
  /** DHIS2 `fields` (default `id,name,level,path,parent[id]`); `id`, `level` and `path` are always added. */
  readonly fields?: string;
  readonly signal?: AbortSignal;
}

/** Options of `descendants`. */
export interface DescendantsOptions extends TreeOptions {
  /** Only descendants on this absolute level (1 = the root), e.g. 4 for facilities. */
  readonly level?: number;
  /** Org units per request (default 500). */
  readonly pageSize?: number;
}

const DEFAULT_FIELDS = "id,name,level,path,parent[id]";
const fieldsOf = (fields: string | undefined) => (fields ? `id,level,path,${fields}` : DEFAULT_FIELDS);
const sig = (signal: AbortSignal | undefined) => (signal ? { signal } : {});

function nodes(raw: unknown): OrganisationUnitNode[] {
  const list = isObject(raw) && Array.isArray(raw.organisationUnits) ? raw.organisationUnits : [];
  return list.filter((o): o is OrganisationUnitNode => isObject(o) && typeof o.id === "string");
}

function positiveInt(op: string, option: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new QueryValidationError(
      `${op}: ${option} must be a whole number >= 1, got ${String(value)}`,
      option,
      String(value),
    );
  }
  return value;
}

/**
 * The org unit hierarchy: children, ancestors, descendants (streamed) and levels.
 *
 * @example
 * ```ts
 * const districts = await client.organisationUnits.children("ImspTQPwCqd");
 * for await (const facility of client.organisationUnits.descendants("ImspTQPwCqd", { level: 4 })) console.log(facility.name);
 * ```
 */
export class OrganisationUnitTree {
  readonly #http: OrganisationUnitsHttp;

  constructor(http: OrganisationUnitsHttp) {
    this.#http = http;
  }

  async #get(
    op: string,
    uid: string,
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    try {
      return await this.#http.getRaw(`/api/organisationUnits/${uid}`, { params, ...sig(signal) });
    } catch (err) {
      if (err instanceof Dhis2ApiError && err.statusCode === 404) {
        throw new ObjectNotFoundError(op, "organisationUnit", [uid], { cause: err });
      }
      throw err;
    }
  }

  /**
   * The direct children of an org unit, by name.
   *
   * @example
   * ```ts
   * const regions = await client.organisationUnits.children(rootUid, { fields: "id,name,code" });
   * ```
   */
  async children(uid: string, options: TreeOptions = {}): Promise<OrganisationUnitNode[]> {
    const op = "organisationUnits.children";
    const id = checkUid(op, "uid", uid);
    const raw = await this.#get(
      op,
      id,
      { includeChildren: "true", paging: "false", fields: fieldsOf(options.fields) },
      options.signal,
    );
    return nodes(raw).filter((o) => o.id !== id);
  }

  /**
   * The ancestors of an org unit, the root first, without the unit itself.
   *
   * @example
   * ```ts
   * const trail = (await client.organisationUnits.ancestors(facilityUid)).map((o) => o.name).join(" / ");
   * ```
   */
  async ancestors(uid: string, options: TreeOptions = {}): Promise<OrganisationUnitNode[]> {
    const op = "organisationUnits.ancestors";
    const id = checkUid(op, "uid", uid);
    const raw = await this.#get(
      op,
      id,
      { includeAncestors: "true", paging: "false", fields: fieldsOf(options.fields) },
      options.signal,
    );
    return nodes(raw)
      .filter((o) => o.id !== id)
      .sort((a, b) => a.level - b.level);
  }

  /**
   * Every org unit below `uid` (or only those on `level`), parents before their children, read a
   * page at a time as the loop asks for them.
   *
   * @example
   * ```ts
   * let n = 0;
   * for await (const _ of client.organisationUnits.descendants(rootUid)) n++;
   * ```
   */
  descendants(uid: string, options: DescendantsOptions = {}): AsyncIterable<OrganisationUnitNode> {
    const op = "organisationUnits.descendants";
    const id = checkUid(op, "uid", uid);
    const level = positiveInt(op, "level", options.level);
    const pageSize = positiveInt(op, "pageSize", options.pageSize) ?? 500;
    const { signal } = options;
    const fields = fieldsOf(options.fields);
    const http = this.#http;
    const unit = (sig2?: AbortSignal) => this.#get(op, id, { fields: "id,level" }, sig2);
    return {
      async *[Symbol.asyncIterator]() {
        const self = (await unit(signal)) as { level?: number };
        if (level !== undefined && typeof self.level === "number" && level <= self.level) return;
        const filter = [`path:like:/${id}/`, ...(level !== undefined ? [`level:eq:${level}`] : [])];
        for (let page = 1; ; page++) {
          const raw = await http.getRaw("/api/organisationUnits", {
            params: { filter, fields, order: "path:asc", page: String(page), pageSize: String(pageSize) },
            ...sig(signal),
          });
          const found = nodes(raw);
          yield* found;
          const pageCount = isObject(raw) && isObject(raw.pager) ? raw.pager.pageCount : undefined;
          if (found.length < pageSize || (typeof pageCount === "number" && page >= pageCount)) return;
        }
      },
    };
  }

  /**
   * The levels of the hierarchy, 1 (the root) first: named where an `organisationUnitLevels`
   * object names them, `Level N` (DHIS2's words, no `id`) where none does.
   *
   * @example
   * ```ts
   * const names = (await client.organisationUnits.levels()).map((l) => `${l.level} ${l.name}`);
   * ```
   */
  async levels(options: { signal?: AbortSignal } = {}): Promise<OrganisationUnitLevel[]> {
    const raw = await this.#http.getRaw("/api/filledOrganisationUnitLevels", {
      params: { fields: "id,name,level,offlineLevels" },
      ...sig(options.signal),
    });
    // A bare array comes back from the raw methods as { data }.
    const list = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.data) ? raw.data : [];
    return list
      .filter((l): l is Record<string, unknown> => isObject(l) && typeof l.level === "number")
      .map((l) => ({
        ...(typeof l.id === "string" ? { id: l.id } : {}),
        name: typeof l.name === "string" ? l.name : `Level ${l.level}`,
        level: l.level as number,
        ...(typeof l.offlineLevels === "number" ? { offlineLevels: l.offlineLevels } : {}),
      }))
      .sort((a, b) => a.level - b.level);
  }
}

/**
 * Builds `client.organisationUnits` over any client with `getRaw`.
 *
 * @example
 * ```ts
 * const tree = createOrganisationUnitTree(client);
 * ```
 */
export function createOrganisationUnitTree(http: OrganisationUnitsHttp): OrganisationUnitTree {
  return new OrganisationUnitTree(http);
}
