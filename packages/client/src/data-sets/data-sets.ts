import { QueryValidationError } from "../resources/errors.js";
import type { RawSurface } from "../resources/surface.js";

/** What an org-unit assignment changed. */
export interface OrganisationUnitAssignment {
  readonly dataSet: string;
  /** UIDs whose assignment changed by this call. */
  readonly changed: string[];
  /** UIDs that were already in the wanted state (nothing sent for them). */
  readonly unchanged: string[];
}

/** Options of the data-set helpers. */
export interface DataSetHelperOptions {
  signal?: AbortSignal;
  /** Parallel per-item requests (default 4). */
  concurrency?: number;
}

/**
 * `client.dataSets`: the DataSet <-> OrganisationUnit assignment that the seed's Python toolkit
 * listed as a known gap. Idempotent: it reads the current assignment once, then sends one
 * `POST`/`DELETE /api/dataSets/{ds}/organisationUnits/{ou}` per UID that actually changes, so
 * nothing else on the data set is touched (no PUT of the whole object, no `/api/metadata` bundle).
 *
 * @example
 * ```ts
 * const { changed } = await client.dataSets.addOrganisationUnits("BfMAe6Itzgt", ["DiszpKrYNg8"]);
 * ```
 */
export interface DataSetsAccessor {
  addOrganisationUnits(
    dataSet: string,
    organisationUnits: readonly string[],
    opts?: DataSetHelperOptions,
  ): Promise<OrganisationUnitAssignment>;
  removeOrganisationUnits(
    dataSet: string,
    organisationUnits: readonly string[],
    opts?: DataSetHelperOptions,
  ): Promise<OrganisationUnitAssignment>;
}

const UID_RE = /^[A-Za-z][A-Za-z0-9]{10}$/;

function checkUids(what: string, uids: readonly string[]): void {
  for (const uid of uids) {
    if (typeof uid !== "string" || !UID_RE.test(uid)) {
      throw new QueryValidationError(`${what}: "${String(uid)}" is not a DHIS2 UID`, what, String(uid));
    }
  }
}

async function inPool<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Builds `client.dataSets` over the client's raw methods. */
export function createDataSetsAccessor(client: RawSurface): DataSetsAccessor {
  const current = async (dataSet: string, signal?: AbortSignal): Promise<Set<string>> => {
    const raw = (await client.getRaw(`/api/dataSets/${dataSet}`, {
      params: { fields: "id,organisationUnits[id]" },
      ...(signal ? { signal } : {}),
    })) as { organisationUnits?: Array<{ id?: string }> } | null;
    return new Set((raw?.organisationUnits ?? []).flatMap((ou) => (ou.id ? [ou.id] : [])));
  };

  const change = async (
    mode: "add" | "remove",
    dataSet: string,
    organisationUnits: readonly string[],
    opts: DataSetHelperOptions = {},
  ): Promise<OrganisationUnitAssignment> => {
    checkUids("dataSet", [dataSet]);
    checkUids("organisationUnits", organisationUnits);
    const wanted = [...new Set(organisationUnits)];
    const have = await current(dataSet, opts.signal);
    const changed = wanted.filter((ou) => (mode === "add" ? !have.has(ou) : have.has(ou)));
    const unchanged = wanted.filter((ou) => !changed.includes(ou));
    const signalOpt = opts.signal ? { signal: opts.signal } : {};
    await inPool(changed, opts.concurrency ?? 4, (ou) => {
      opts.signal?.throwIfAborted();
      const path = `/api/dataSets/${dataSet}/organisationUnits/${ou}`;
      return mode === "add" ? client.postRaw(path, undefined, signalOpt) : client.deleteRaw(path, signalOpt);
    });
    return { dataSet, changed, unchanged };
  };

  return {
    addOrganisationUnits: (ds, ous, opts) => change("add", ds, ous, opts),
    removeOrganisationUnits: (ds, ous, opts) => change("remove", ds, ous, opts),
  };
}
