import { Dhis2ClientError } from "../../errors.js";

/**
 * The server reports a DHIS2 version this toolkit has no models for (and no fallback was allowed).
 *
 * @example
 * ```ts
 * try { await client.connect(); }
 * catch (e) { if (e instanceof UnsupportedVersionError) console.error(e.rawVersion, e.supported); }
 * ```
 */
export class UnsupportedVersionError extends Dhis2ClientError {
  override readonly name = "UnsupportedVersionError" as const;
  readonly rawVersion: string;
  readonly supported: readonly string[];

  constructor(rawVersion: string, supported: readonly string[], hint: string) {
    super(`DHIS2 version "${rawVersion}" is not supported (supported: ${supported.join(", ")}): ${hint}`);
    this.rawVersion = rawVersion;
    this.supported = supported;
  }
}
