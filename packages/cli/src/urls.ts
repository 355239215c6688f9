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

