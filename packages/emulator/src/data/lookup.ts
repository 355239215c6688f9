/**
 * Resolving the ids of a data value (by UID, CODE or NAME) against the metadata store, and the
 * user's capture scope. One `DataLookup` per request: it caches what it resolved.
 */
import type { MetadataObject, MetadataStore } from "../metadata-store.js";

/** `UID`, `CODE` or `NAME` (DHIS2's `IdScheme`; `ATTRIBUTE:` schemes are not emulated). */
export type IdScheme = "UID" | "CODE" | "NAME";

/** The default category option combo of a fresh DHIS2 (and of the demo database). */
export const DEFAULT_COC = "HllvX50cXC0";

/** Reads an id scheme parameter; unknown or absent gives `fallback`. */
export function parseIdScheme(raw: string | null | undefined, fallback: IdScheme): IdScheme {
  const up = (raw ?? "").toUpperCase();
  return up === "UID" || up === "CODE" || up === "NAME" ? up : fallback;
}

function refId(ref: unknown): string | undefined {
  if (typeof ref === "string") return ref;
  const id = (ref as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
}

/** Per-request resolver over the metadata store. */
export class DataLookup {
  readonly #byKey = new Map<string, Map<string, MetadataObject>>();
  readonly #scope = new Map<string, boolean>();
  readonly #options = new Map<string, Set<string> | null>();
  #defaultCoc: string | undefined;

  constructor(
    readonly metadata: MetadataStore,
    readonly captureRoots: ReadonlySet<string>,
  ) {}

  #index(plural: string, prop: "code" | "name"): Map<string, MetadataObject> {
    const key = `${plural}.${prop}`;
    let map = this.#byKey.get(key);
    if (!map) {
      map = new Map();
      for (const obj of this.metadata.bucket(plural).values()) {
        const v = obj[prop];
        if (typeof v === "string" && !map.has(v)) map.set(v, obj);
      }
      this.#byKey.set(key, map);
    }
    return map;
  }

  /** The object of `plural` that `id` names under `scheme`, or undefined. */
  resolve(plural: string, id: string, scheme: IdScheme): MetadataObject | undefined {
    if (scheme === "UID") return this.metadata.get(plural, id);
    return this.#index(plural, scheme === "CODE" ? "code" : "name").get(id);
  }

  /** The uid of the default category option combo (named "default"), or the well-known one. */
  defaultCoc(): string {
    if (this.#defaultCoc === undefined) {
      const known = this.metadata.get("categoryOptionCombos", DEFAULT_COC);
      const named = known ?? this.#index("categoryOptionCombos", "name").get("default");
      this.#defaultCoc = named?.id ?? DEFAULT_COC;
    }
    return this.#defaultCoc;
  }

  /** True when the default combo exists (so values without a combo can be stored). */
  hasCoc(uid: string): boolean {
    return this.metadata.has("categoryOptionCombos", uid) || uid === DEFAULT_COC;
  }

  /** The uid path of an org unit: its `path` when set, else walked through `parent`. */
  pathOf(ou: MetadataObject): string[] {
    if (typeof ou.path === "string" && ou.path.startsWith("/")) return ou.path.slice(1).split("/");
    const chain: string[] = [];
    let current: MetadataObject | undefined = ou;
    while (current && chain.length < 64) {
      chain.unshift(current.id);
      const parent = refId(current.parent);
      current = parent ? this.metadata.get("organisationUnits", parent) : undefined;
    }
    return chain;
  }

  /** True when the org unit is one of the capture roots or below one (dhis2-core `isDescendant`). */
  inCaptureScope(ou: MetadataObject): boolean {
    let ok = this.#scope.get(ou.id);
    if (ok === undefined) {
      ok = this.pathOf(ou).some((id) => this.captureRoots.has(id));
      this.#scope.set(ou.id, ok);
    }
    return ok;
  }

  /** Option codes of the data element's option set, or null when it has none. */
  optionCodes(de: MetadataObject): Set<string> | null {
    const setId = refId(de.optionSet);
    if (!setId) return null;
    let codes = this.#options.get(setId);
    if (codes === undefined) {
      const set = this.metadata.get("optionSets", setId);
      const options = Array.isArray(set?.options) ? (set.options as unknown[]) : [];
      codes = new Set<string>();
      for (const opt of options) {
        const code =
          (opt as { code?: unknown })?.code ?? this.metadata.get("options", refId(opt) ?? "")?.code;
        if (typeof code === "string") codes.add(code);
      }
      if (codes.size === 0) codes = null;
      this.#options.set(setId, codes);
    }
    return codes;
  }

  /** Data element uids of a data set (`dataSetElements[].dataElement`), or undefined when unknown. */
  dataSetElements(dataSet: string): Set<string> | undefined {
    const ds = this.metadata.get("dataSets", dataSet);
    if (!ds) return undefined;
    const out = new Set<string>();
    for (const el of Array.isArray(ds.dataSetElements) ? ds.dataSetElements : []) {
      const id = refId((el as { dataElement?: unknown })?.dataElement);
      if (id) out.add(id);
    }
    return out;
  }

  /** Every org unit at or below `roots` (for `children=true`). */
  descendantsOf(roots: readonly string[]): Set<string> {
    const wanted = new Set(roots);
    const out = new Set<string>();
    for (const ou of this.metadata.bucket("organisationUnits").values()) {
      if (this.pathOf(ou).some((id) => wanted.has(id))) out.add(ou.id);
    }
    for (const r of roots) out.add(r);
    return out;
  }
}
