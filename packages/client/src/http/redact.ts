/**
 * Keeps secrets out of everything the client reports: error messages, error bodies, debug hooks.
 *
 * Secrets are masked by POSITION wherever the position is known: request headers by name (and
 * every header the auth provider produced), URL userinfo, the values of secret query parameters.
 * What the server sends back is free text, so there the known secret values are masked in every
 * spelling a server or proxy echoes them in (raw, percent-encoded, form-encoded, JSON-escaped,
 * HTML-escaped), but only secrets of at least {@link MIN_FREE_TEXT_SECRET} characters: a shorter
 * one occurs in unrelated text too often. Successful answers are never rewritten.
 */

/** Query parameter names whose values are secrets. */
const SECRET_PARAM_NAMES =
  "pass(?:word)?|secret|client_secret|token|access_token|refresh_token|id_token|api_?key|apikey|key|code|code_verifier|authorization";
const SECRET_PARAM_RE = new RegExp(`^(?:${SECRET_PARAM_NAMES})$`, "i");
/** `?password=…` / `&access_token=…` inside a text (an echoed URL). */
const SECRET_PARAM_IN_TEXT = new RegExp(`([?&](?:${SECRET_PARAM_NAMES})=)([^&#\\s"'<>]+)`, "gi");
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-auth-token",
]);

/** What a masked secret reads as. */
export const MASK = "[redacted]";

/**
 * The shortest secret masked by substring in free text (error bodies, messages). DHIS2 refuses
 * user passwords under 8 characters (dhis2-core `SystemSettings.getMinPasswordLength`, default 8)
 * and PATs, OAuth2 tokens and client secrets are far longer; a shorter "secret" (a 3-character
 * test password, `?code=1`) occurs in unrelated text too often, and masking it there garbles the
 * message (`/api/da[redacted]Elements`) and even tells where it occurs. Shorter secrets are still
 * masked by position (headers, userinfo, secret query parameters), never in free text.
 */
export const MIN_FREE_TEXT_SECRET = 8;

/**
 * Whether a credential of the auth provider (a password, a token) is masked by substring in free
 * text. A server never echoes a credential it got in a header, so free-text masking of those only
 * guards against proxies and debug pages; for a short all-letters password that is also an
 * ordinary word (DHIS2's demo password `district`) it would rewrite unrelated words of DHIS2's
 * messages ("Bo district"), so such a password is masked by position only. Tokens, client
 * secrets and passwords with a digit or a symbol, or of 16+ characters, are masked everywhere.
 */
export function maskableInFreeText(secret: string): boolean {
  return secret.length >= 16 || (secret.length >= MIN_FREE_TEXT_SECRET && /[^A-Za-z]/.test(secret));
}

/** `application/x-www-form-urlencoded` (WHATWG URLSearchParams and Java's URLEncoder alike). */
function formEncode(s: string): string {
  return new URLSearchParams([["", s]]).toString().slice(1);
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "/": "&#47;",
};

/**
 * The spellings a secret may come back in: raw; percent-encoded (`encodeURIComponent`);
 * form-encoded with `+` for spaces (how a query value travels, and how Tomcat and DHIS2 echo
 * request parameters); JSON-escaped (a JSON text that was not parsed, or JSON inside a string);
 * HTML-escaped as Tomcat's error pages do it (`org.apache.tomcat.util.security.Escape`).
 */
export function secretSpellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const html = secret.replace(/[&<>"'/]/g, (c) => HTML_ESCAPES[c] ?? c);
  return [...new Set([secret, encodeURIComponent(secret), formEncode(secret), json, html])];
}

/**
 * Masks the secrets of `secrets` (those of at least {@link MIN_FREE_TEXT_SECRET} characters) in
 * every spelling of {@link secretSpellings}, and the values of secret query parameters in URLs
 * quoted in the text (`?password=…`).
 *
 * @example
 * ```ts
 * maskSecretsInText("bad password my+secret+%28pass%29", ["my secret (pass)"]); // "bad password [redacted]"
 * ```
 */
export function maskSecretsInText(text: string, secrets: Iterable<string>, mask: string = MASK): string {
  const needles = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== "string" || s.length < MIN_FREE_TEXT_SECRET) continue;
    for (const spelling of secretSpellings(s)) needles.add(spelling);
  }
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const n of [...needles].sort((a, b) => b.length - a.length)) {
    if (out.includes(n)) out = out.split(n).join(mask);
  }
  return out.replace(SECRET_PARAM_IN_TEXT, (_m, head: string) => `${head}${mask}`);
}

function decodeForm(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** Masks by position (URLs, headers) and in free text (server bodies); see the module comment. */
export class Redactor {
  readonly #secrets: () => readonly string[];
  readonly #extra: readonly string[];

  /**
   * `secrets`: the auth provider's credentials (masked in free text when
   * {@link maskableInFreeText}); `extra`: values known to have been sent at a secret position of
   * this request (secret query parameters), masked in free text from {@link MIN_FREE_TEXT_SECRET}
   * characters on, since a server does echo request parameters.
   */
  constructor(secrets: () => readonly string[] = () => [], extra: readonly string[] = []) {
    this.#secrets = secrets;
    this.#extra = extra;
  }

  #freeTextSecrets(): string[] {
    return [...this.#secrets().filter(maskableInFreeText), ...this.#extra];
  }

  /**
   * The values of secret query parameters (`password`, `access_token`, ...) in `url`, so that a
   * server echoing them back in an error body is masked too (see {@link withExtra}).
   */
  static secretQueryValues(url: URL): string[] {
    const out: string[] = [];
    for (const [key, value] of url.searchParams) if (value && SECRET_PARAM_RE.test(key)) out.push(value);
    return out;
  }

  /** A redactor that also masks `extra` (e.g. {@link secretQueryValues} of one request). */
  withExtra(extra: readonly string[]): Redactor {
    if (extra.length === 0) return this;
    return new Redactor(this.#secrets, [...this.#extra, ...extra]);
  }

  /** Free text from a server or a runtime: every known secret in every spelling. */
  text(text: string): string {
    return maskSecretsInText(text, this.#freeTextSecrets());
  }

  /**
   * A URL string with its userinfo removed and, by position, the values of secret query
   * parameters masked, and of any parameter whose whole value is a known secret. The rest of the
   * URL is left exactly as it was.
   */
  url(url: URL | string): string {
    let u: URL;
    try {
      u = new URL(String(url));
    } catch {
      return this.text(String(url));
    }
    const known = new Set(this.#secrets().filter((s) => s.length >= MIN_FREE_TEXT_SECRET));
    // Rewrite only the secret values, pair by pair, so every other byte of the query stays.
    const masked = encodeURIComponent(MASK);
    const query = u.search
      .slice(1)
      .split("&")
      .map((pair) => {
        const eq = pair.indexOf("=");
        if (eq < 0) return pair;
        const [key, value] = [decodeForm(pair.slice(0, eq)), decodeForm(pair.slice(eq + 1))];
        return SECRET_PARAM_RE.test(key) || known.has(value) ? `${pair.slice(0, eq)}=${masked}` : pair;
      })
      .join("&");
    if (u.search) u.search = query;
    if (u.username || u.password) {
      u.username = "";
      u.password = "";
    }
    return u.toString();
  }

  /**
   * Headers with credentials masked by name: the usual credential headers and every name in
   * `authHeaders` (what the auth provider added), plus any header whose whole value is a known
   * secret. Other values are left as they are.
   */
  headers(
    headers: Readonly<Record<string, string>>,
    authHeaders: Iterable<string> = [],
  ): Record<string, string> {
    const names = new Set([...authHeaders].map((h) => h.toLowerCase()));
    const known = new Set(this.#secrets().filter((s) => s.length >= MIN_FREE_TEXT_SECRET));
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) {
      const name = k.toLowerCase();
      out[k] = SECRET_HEADERS.has(name) || names.has(name) || known.has(v) ? MASK : v;
    }
    return out;
  }

  /** A deep copy of a JSON value (a server's error body) with every string passed through {@link text}. */
  deep(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.text(value);
    if (depth > 64 || typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map((v) => this.deep(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.deep(v, depth + 1);
    return out;
  }
}
