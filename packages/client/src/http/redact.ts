/**
 * Keeps secrets out of everything the client reports: error messages, error bodies, debug hooks.
 */

/** Query parameter names whose values are secrets. */
const SECRET_PARAM_RE =
  /^(pass(word)?|secret|client_secret|token|access_token|refresh_token|id_token|api_?key|apikey|key|code|authorization)$/i;
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]);
const MASK = "[redacted]";

/** Replaces every secret the auth provider names, and secret query parameter values. */
export class Redactor {
  readonly #secrets: () => readonly string[];

  constructor(secrets: () => readonly string[] = () => []) {
    this.#secrets = secrets;
  }

  /**
   * The values of secret query parameters (`password`, `access_token`, ...) in `url`, so that a
   * server echoing them back in an error body is masked too (see {@link withExtra}).
   */
  static secretQueryValues(url: URL): string[] {
    const out: string[] = [];
    // Very short values (`?code=1`) are skipped: masking them everywhere would garble the message.
    for (const [key, value] of url.searchParams)
      if (value.length >= 4 && SECRET_PARAM_RE.test(key)) out.push(value);
    return out;
  }

  /** A redactor that also masks `extra` (e.g. {@link secretQueryValues} of one request). */
  withExtra(extra: readonly string[]): Redactor {
    if (extra.length === 0) return this;
    return new Redactor(() => [...this.#secrets(), ...extra]);
  }

  /** Masks every known secret in `text`. */
  text(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    const list = [...this.#secrets()].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
    for (const s of list) {
      out = out.split(s).join(MASK);
      const encoded = encodeURIComponent(s);
      if (encoded !== s) out = out.split(encoded).join(MASK);
    }
    return out;
  }

  /** A URL string with secret query values masked (and known secrets masked anywhere). */
  url(url: URL | string): string {
    let u: URL;
    try {
      u = new URL(String(url));
    } catch {
      return this.text(String(url));
    }
    for (const key of [...new Set(u.searchParams.keys())]) {
      if (SECRET_PARAM_RE.test(key)) u.searchParams.set(key, MASK);
    }
    if (u.username || u.password) {
      u.username = "";
      u.password = "";
    }
    return this.text(u.toString());
  }

  /** Headers with credentials masked. */
  headers(headers: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers))
      out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? MASK : this.text(v);
    return out;
  }

  /** A deep copy of a JSON value with every string passed through {@link text}. */
  deep(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.text(value);
    if (depth > 64 || typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map((v) => this.deep(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.deep(v, depth + 1);
    return out;
  }
}
