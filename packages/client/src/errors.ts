/**
 * The root of every error this library throws on purpose.
 *
 * @example
 * ```ts
 * try { await client.system.me(); } catch (e) { if (e instanceof Dhis2ClientError) console.error(e.message); }
 * ```
 */
export class Dhis2ClientError extends Error {
  // Every error class spells its name out (ky's way): `new.target.name` is the minifier's name
  // (`ka`) once bundled. A subclass without its own line would report its parent's name (a test
  // checks that every error class has one).
  override readonly name: string = "Dhis2ClientError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * No profile could be found or built. The message lists what was looked at.
 *
 * @example
 * ```ts
 * const profile = profileFromEnvRaw();
 * if (!profile) throw new NoProfileError("set DHIS2_URL + DHIS2_PAT (or DHIS2_USERNAME + DHIS2_PASSWORD)");
 * ```
 */
export class NoProfileError extends Dhis2ClientError {
  override readonly name = "NoProfileError" as const;
}
