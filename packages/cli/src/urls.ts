/**
 * URLs as d2w shows them: a profile's URL may carry `user:password@`, which is never printed.
 * `withoutUserinfo` is the same as `@dhis2w/core`'s; it is repeated here because the context
 * module must not load core (`d2w --help` loads neither the client nor core).
 */

/**
 * `url` without its user info (`https://admin:pw@host/x` -> `https://host/x`); anything else
 * unchanged, so a URL without user info prints exactly as the profile spells it.
 *
 * @example
 * ```ts
 * ctx.err(`connecting to ${withoutUserinfo(profile.baseUrl)}`);
 * ```
 */
export function withoutUserinfo(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not a URL the WHATWG parser takes: cut anything that looks like user info by position.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1");
  }
  if (!u.username && !u.password) return url;
  u.username = "";
  u.password = "";
  return u.toString();
}

/**
 * Whether two base URLs name the same server root, as the client normalises a base URL (origin
 * and path, trailing slashes and user info ignored).
 *
 * @example
 * ```ts
 * sameBaseUrl("http://127.0.0.1:8080/", "http://127.0.0.1:8080"); // true
 * ```
 */
export function sameBaseUrl(a: string, b: string): boolean {
  const root = (url: string): string => {
    try {
      const u = new URL(url);
      return u.origin + u.pathname.replace(/\/+$/, "");
    } catch {
      return url;
    }
  };
  return root(a) === root(b);
}
