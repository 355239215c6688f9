/**
 * Per-type hooks into metadata writes, for what dhis2-core does in an `ObjectBundleHook` of a
 * type owned by another module (documents and their file resources, SQL view defaults): the
 * module registers a hook in `app.extensions.objectHooks`; every import and CRUD write of that
 * type runs it (`defaults` before the schema checks, `validate` with them, `afterWrite` after the
 * commit).
 */
import type { MetadataStore } from "../metadata-store.js";
import type { ErrorReport } from "./reports.js";
import type { JsonObject } from "./schema-index.js";

/** A hook for one metadata type. */
export interface ObjectHook {
  /** The resource plural it applies to (`documents`). */
  readonly plural: string;
  /** Field defaults the Java class sets in its constructor (applied when the field is absent). */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Extra error reports for an object about to be created or updated. */
  validate?(obj: JsonObject, store: MetadataStore, existing: JsonObject | undefined): ErrorReport[];
  /** After a committed create or update of `id`. */
  afterWrite?(id: string, store: MetadataStore): void;
}

declare module "../app.js" {
  interface EmulatorExtensions {
    /** Hooks other modules add to metadata writes (see `metadata/object-hooks.ts`). */
    objectHooks?: ObjectHook[];
  }
}

/** Applies the hooks' defaults and collects their errors for one planned write. */
export function runHooks(
  hooks: readonly ObjectHook[] | undefined,
  plural: string,
  obj: JsonObject,
  store: MetadataStore,
  existing: JsonObject | undefined,
): ErrorReport[] {
  const out: ErrorReport[] = [];
  for (const hook of hooks ?? []) {
    if (hook.plural !== plural) continue;
    for (const [k, v] of Object.entries(hook.defaults ?? {}))
      if (obj[k] === undefined) obj[k] = v as JsonObject[string];
    out.push(...(hook.validate?.(obj, store, existing) ?? []));
  }
  return out;
}
