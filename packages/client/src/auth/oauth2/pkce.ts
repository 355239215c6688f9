function base64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A random URL-safe string with `bytes` bytes of entropy (state values, PKCE verifiers). */
export function randomUrlSafe(bytes = 32): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return base64Url(buf);
}

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export interface PkcePair {
  verifier: string;
  challenge: string;
  method: "S256";
}

/**
 * Makes a PKCE verifier (64 random bytes, 86 characters) and its S256 challenge.
 *
 * @example
 * ```ts
 * const { verifier, challenge } = await createPkcePair();
 * ```
 */
export async function createPkcePair(): Promise<PkcePair> {
  const verifier = randomUrlSafe(64);
  return { verifier, challenge: await s256Challenge(verifier), method: "S256" };
}

/** `BASE64URL(SHA256(verifier))`, the S256 code challenge. */
export async function s256Challenge(verifier: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/**
 * The authorization URL of an authorization-code + PKCE login (DHIS2: `<baseUrl>/oauth2/authorize`).
 *
 * @example
 * ```ts
 * const url = authorizeUrl({ baseUrl, clientId, redirectUri, scope: "ALL", state, codeChallenge: challenge });
 * ```
 */
export function authorizeUrl(options: {
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  scope?: string | undefined;
  state: string;
  codeChallenge: string;
}): string {
  const url = new URL(`${options.baseUrl.replace(/\/+$/, "")}/oauth2/authorize`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", options.clientId);
  url.searchParams.set("redirect_uri", options.redirectUri);
  // DHIS2 knows a single pseudo-scope, ALL (its Spring AS rejects scopes with spaces).
  url.searchParams.set("scope", options.scope ?? "ALL");
  url.searchParams.set("state", options.state);
  url.searchParams.set("code_challenge", options.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.href;
}

/**
 * DHIS2's OAuth2 token endpoint for a base URL (context path kept, trailing slashes dropped):
 * what `OAuth2Auth`'s `tokenUrl` and the login flows need.
 *
 * @example
 * ```ts
 * tokenUrlFor("https://dhis2.example.org/hmis/"); // "https://dhis2.example.org/hmis/oauth2/token"
 * ```
 */
export function tokenUrlFor(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/oauth2/token`;
}
