/** URLs as the CLI and the MCP server show them: a profile's URL may carry `user:password@`. */

/**
 * `url` without its user info (`https://admin:pw@host/x` -> `https://host/x`); anything else
 * unchanged, so a URL without user info reads exactly as the profile spells it.
 *
 * @example
 * ```ts
 * console.error(`using ${withoutUserinfo(profile.baseUrl)}`);
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
