/**
 * The root of every error this library throws on purpose.
 *
 * @example
 * ```ts
 * try { await client.system.me(); } catch (e) { if (e instanceof Dhis2ClientError) console.error(e.message); }
 * ```
 */
export class Dhis2ClientError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
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
export class NoProfileError extends Dhis2ClientError {}
