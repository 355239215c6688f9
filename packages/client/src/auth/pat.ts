import { Dhis2ClientError } from "../errors.js";
import type { AuthProvider } from "./provider.js";

/**
 * A DHIS2 personal access token: `Authorization: ApiToken <token>` (DHIS2's own scheme, not
 * Bearer).
 *
 * @example
 * ```ts
 * const client = await Dhis2Client.open({
 *   baseUrl: "https://dhis2.example.org",
 *   auth: new PatAuth({ token: process.env.DHIS2_PAT! }),
 * });
 * ```
 */
export class PatAuth implements AuthProvider {
  readonly kind = "pat";
  readonly #token: string;

  constructor(options: { token: string }) {
    const token = options?.token?.trim();
    if (!token) throw new Dhis2ClientError("PatAuth needs a non-empty token");
    this.#token = token;
  }

  headers(): Record<string, string> {
    return { Authorization: `ApiToken ${this.#token}` };
  }

  secrets(): readonly string[] {
    return [this.#token];
  }

  /** Keeps the token out of `console.log` and `JSON.stringify`. */
  toJSON(): { kind: string } {
    return { kind: this.kind };
  }
}
