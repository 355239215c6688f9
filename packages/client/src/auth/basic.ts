import { Dhis2ClientError } from "../errors.js";
import type { AuthProvider } from "./provider.js";

/** Base64 of UTF-8 text, without Node's Buffer (the client runs in browsers too). */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * HTTP Basic auth: `Authorization: Basic base64(username:password)` on every request. For
 * development and play servers; prefer {@link PatAuth} elsewhere.
 *
 * @example
 * ```ts
 * const client = await Dhis2Client.open({
 *   baseUrl: "http://localhost:8080",
 *   auth: new BasicAuth({ username: "admin", password: "district" }),
 * });
 * ```
 */
export class BasicAuth implements AuthProvider {
  readonly kind = "basic";
  readonly username: string;
  readonly #password: string;
  readonly #header: string;

  constructor(options: { username: string; password: string }) {
    if (!options?.username) throw new Dhis2ClientError("BasicAuth needs a non-empty username");
    if (!options.password) throw new Dhis2ClientError("BasicAuth needs a non-empty password");
    if (options.username.includes(":")) {
      throw new Dhis2ClientError("BasicAuth: a username cannot contain ':' (RFC 7617)");
    }
    this.username = options.username;
    this.#password = options.password;
    this.#header = `Basic ${base64Utf8(`${options.username}:${options.password}`)}`;
  }

  headers(): Record<string, string> {
    return { Authorization: this.#header };
  }

  secrets(): readonly string[] {
    return [this.#password, this.#header, this.#header.slice("Basic ".length)];
  }

  /** Keeps the password out of `console.log` and `JSON.stringify`. */
  toJSON(): { kind: string; username: string } {
    return { kind: this.kind, username: this.username };
  }
}
