/**
 * An injectable clock. The emulator reads the time only through this interface so tests can pin
 * `created`/`lastUpdated` stamps, PAT expiry and `serverDate`.
 *
 * @example
 * const clock = fixedClock(Date.parse("2025-01-01T00:00:00Z"));
 * const emu = await startEmulator({ version: "v42", clock });
 * clock.advance(60_000);
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export interface ManualClock extends Clock {
  set(epochMs: number): void;
  advance(ms: number): void;
}

/**
 * A clock frozen at `startMs` that tests move explicitly.
 *
 * @example
 * const clock = fixedClock(0);
 * clock.advance(1000); // clock.now() === 1000
 */
export function fixedClock(startMs: number): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    set(epochMs) {
      t = epochMs;
    },
    advance(ms) {
      t += ms;
    },
  };
}

/**
 * DHIS2's timestamp format on the wire: ISO-8601 local time with milliseconds and no zone
 * (`2024-03-01T10:15:30.123`). The emulator runs in UTC, like the servers we observed.
 */
export function dhis2Timestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("Z", "");
}
