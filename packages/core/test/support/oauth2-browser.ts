/**
 * The tests play the browser of an OAuth2 authorization-code login: follow the server's redirects
 * by hand while they stay on the server, then open where they lead (the loopback receiver).
 */

/**
 * Opens `start` (the authorize URL), follows redirects on `serverUrl`'s origin (at most five
 * hops), lets `tamper` change the callback URL (forged state, missing code...), then requests it
 * and returns that answer.
 */
export async function visitAuthorizeUrl(
  start: string,
  serverUrl: string,
  tamper?: (callback: URL) => void,
): Promise<Response> {
  const origin = new URL(serverUrl).origin;
  let url = new URL(start);
  for (let hop = 0; hop < 5 && url.origin === origin; hop++) {
    const res = await fetch(url, { redirect: "manual" });
    url = new URL(res.headers.get("location")!, url);
  }
  tamper?.(url);
  return fetch(url);
}
