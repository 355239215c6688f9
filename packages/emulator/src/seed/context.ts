import type { MetadataObject } from "../metadata-store.js";
import type { EmulatorState } from "../state.js";
import { Rng } from "./prng.js";

/** The fixed `created`/`lastUpdated` of seeded objects (so the seed is byte-for-byte stable). */
export const SEED_TIMESTAMP = "2024-01-15T08:00:00.000";

/**
 * What a seed step gets: the state, a PRNG for UIDs, and a `put` that stamps the wire basics.
 * Each area of the seed gets its own named PRNG stream (`ctx.uids("orgUnits")`), so adding an area
 * or an object in one area never shifts the UIDs of another.
 */
export interface SeedContext {
  readonly state: EmulatorState;
  /** A deterministic UID stream for one area of the seed. */
  uids(area: string): () => string;
  /** Stores an object with `created`/`lastUpdated` (and `shortName` for named objects) defaulted. */
  put<T extends MetadataObject>(plural: string, obj: T): T;
}

/** A seed context over `state`; `seed` names the PRNG family (default "dhis2w-demo"). */
export function createSeedContext(state: EmulatorState, seed = "dhis2w-demo"): SeedContext {
  const streams = new Map<string, Rng>();
  return {
    state,
    uids(area) {
      let rng = streams.get(area);
      if (!rng) {
        rng = new Rng(`${seed}/${area}`);
        streams.set(area, rng);
      }
      const r = rng;
      return () => r.uid();
    },
    put(plural, obj) {
      const stamped = { created: SEED_TIMESTAMP, lastUpdated: SEED_TIMESTAMP, ...obj };
      state.metadata.put(plural, stamped);
      return stamped;
    },
  };
}

/** `{ id }` references, DHIS2's wire shape for associations. */
export const ref = (id: string) => ({ id });
export const refs = (ids: readonly string[]) => ids.map(ref);
