/**
 * Metadata services by DHIS2 plural name (`dataElements`, `organisationUnits`...), chosen at run
 * time: what a command line or an MCP tool needs, where the type is a string.
 */

import type { Dhis2Client } from "@dhis2w/client";
import {
  type AnyResources,
  closeNames,
  type ListOptions,
  type MetadataBundle,
  type MetadataExportOptions,
  type MetadataImportOptions,
  type MetadataImportReport,
  type MetadataPager,
  QueryValidationError,
  type ResourceAccessor,
} from "@dhis2w/client";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

type Item = Record<string, unknown>;
type AnyAccessor = ResourceAccessor<Item, string>;

/**
 * Names to suggest for an unknown metadata type, best first (at most three): a type it names
 * exactly but for case or by its singular ("dataElement"), then plurals of it, then near names.
 */
export function metadataTypeSuggestions(client: Dhis2Client, type: string): string[] {
  const resources = client.resources as unknown as AnyResources;
  const lower = type.toLowerCase();
  const exact = Object.entries(resources)
    .filter(
      ([plural, accessor]) =>
        plural.toLowerCase() === lower || (accessor as AnyAccessor).def?.singular.toLowerCase() === lower,
    )
    .map(([plural]) => plural);
  // A singular for a plural is the commonest slip: offer plurals before other near names.
  const plural = new Set(
    [`${type}s`, `${type}es`, `${type.replace(/y$/, "")}ies`].map((p) => p.toLowerCase()),
  );
  const close = closeNames(type, Object.keys(resources)).sort(
    (a, b) => Number(plural.has(b.toLowerCase())) - Number(plural.has(a.toLowerCase())),
  );
  return [...new Set([...exact, ...close])].slice(0, 3);
}

/**
 * The accessor of a plural on the connected version, or a `QueryValidationError` (option
 * `"type"`) naming close matches before any request (`moreHelp` is appended to that error: where
 * the caller can list the types).
 *
 * @example
 * ```ts
 * const des = resourceAccessor(client, "dataElements");
 * ```
 */
export function resourceAccessor(
  client: Dhis2Client,
  type: string,
  options: { moreHelp?: string } = {},
): AnyAccessor {
  const resources = client.resources as unknown as AnyResources;
  if (Object.hasOwn(resources, type)) {
    const accessor = resources[type] as AnyAccessor | undefined;
    if (accessor) return accessor;
  }
  const close = metadataTypeSuggestions(client, type);
  const hint = close.length > 0 ? `; did you mean ${close.map((c) => `"${c}"`).join(", ")}?` : "";
  throw new QueryValidationError(
    `unknown metadata type "${type}" on DHIS2 ${client.rawVersion} (${client.versionKey}): use a plural resource name such as "dataElements" or "organisationUnits"${hint}` +
      (options.moreHelp ? `; ${options.moreHelp}` : ""),
    "type",
    type,
  );
}

/** Options of {@link listMetadata}. */
export interface ListMetadataOptions extends ListOptions {
  /** Every page (one request at a time) instead of one page. */
  all?: boolean;
}

/** What {@link listMetadata} returns. */
export interface MetadataList {
  items: Item[];
  /** DHIS2's pager (absent with `all` or `paging: false`). */
  pager?: MetadataPager;
}

/**
 * Lists objects of one type: one page, or every page with `all`.
 *
 * @example
 * ```ts
 * const { items, pager } = await listMetadata(resolveProfile(), "dataElements", { filters: ["name:ilike:anc"], fields: "id,name", pageSize: 20 });
 * ```
 */
export function listMetadata(
  target: ServiceTarget,
  type: string,
  query: ListMetadataOptions = {},
  options?: ServiceOptions,
): Promise<MetadataList> {
  return withClient(
    target,
    async (client) => {
      const accessor = resourceAccessor(client, type);
      const { all, ...listOptions } = query;
      if (all) {
        const items: Item[] = [];
        for await (const item of accessor.iterate(listOptions)) items.push(item as Item);
        return { items };
      }
      const envelope = (await accessor.listRaw(listOptions)) as Record<string, unknown> & {
        pager?: MetadataPager;
      };
      const items = Array.isArray(envelope[type]) ? (envelope[type] as Item[]) : [];
      return envelope.pager ? { items, pager: envelope.pager } : { items };
    },
    options,
  );
}

/**
 * One object by UID (`GET /api/{type}/{uid}`); without `fields` DHIS2 sends all of it.
 *
 * @example
 * ```ts
 * const de = await getMetadata(resolveProfile(), "dataElements", "fbfJHSPpUQD", { fields: "id,name,valueType" });
 * ```
 */
export function getMetadata(
  target: ServiceTarget,
  type: string,
  uid: string,
  query: { fields?: string | readonly string[]; signal?: AbortSignal } = {},
  options?: ServiceOptions,
): Promise<Item> {
  return withClient(
    target,
    async (client) => (await resourceAccessor(client, type).get(uid, query)) as Item,
    options,
  );
}

/**
 * Exports a metadata bundle (`GET /api/metadata?dataElements=true&...`).
 *
 * @example
 * ```ts
 * const bundle = await exportMetadata(resolveProfile(), { types: ["dataElements", "dataSets"], fields: ":owner" });
 * ```
 */
export function exportMetadata(
  target: ServiceTarget,
  spec: MetadataExportOptions,
  options?: ServiceOptions,
): Promise<MetadataBundle> {
  return withClient(
    target,
    async (client) => {
      for (const t of spec.types) resourceAccessor(client, t);
      return (await client.metadata.export(spec as never)) as MetadataBundle;
    },
    options,
  );
}

/**
 * Imports a metadata bundle (`POST /api/metadata`); the report comes back also when DHIS2
 * refused objects (409), with `status: "ERROR"` and the errors in `errors()`.
 *
 * @example
 * ```ts
 * const report = await importMetadata(resolveProfile(), bundle, { dryRun: true, atomicMode: "ALL" });
 * if (!report.ok) for (const e of report.errors()) console.error(e.type, e.uid, e.message);
 * ```
 */
export function importMetadata(
  target: ServiceTarget,
  bundle: MetadataBundle,
  opts: MetadataImportOptions = {},
  options?: ServiceOptions,
): Promise<MetadataImportReport> {
  return withClient(target, (client) => client.metadata.import(bundle as never, opts), options);
}
