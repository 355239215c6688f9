import {
  authorizeUrl,
  createPkcePair,
  OAuth2FlowError,
  type OAuth2Token,
  type Profile,
  randomUrlSafe,
  requestToken,
  type TokenEndpoint,
  type TokenStore,
  tokenUrlFor,
} from "@dhis2w/client";
import { tokenStoreForProfile } from "../token-store/for-profile.js";
import type { TokenScope, TokenStoreLocation } from "../token-store/index.js";
import { type OpenBrowser, printAuthorizationUrl } from "./browser.js";
import { startLoopbackReceiver } from "./loopback.js";

/** Options shared by the login flows. */
interface TokenRequestOptions {
  baseUrl: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** DHIS2 has one pseudo-scope, `ALL` (the default). */
  scope?: string | undefined;
  fetch?: TokenEndpoint["fetch"];
  now?: (() => number) | undefined;
  signal?: AbortSignal | undefined;
  /** Named in "log in again" hints. */
  profileName?: string | undefined;
}

/** Options of {@link loginWithPkce}. */
export interface PkceLoginOptions extends TokenRequestOptions {
  /** A loopback URI registered for the client, e.g. `http://127.0.0.1:8765/callback` (port 0: any free port). */
  redirectUri: string;
  /** Shows the authorization URL to the user. Default: print it on stderr. */
  openBrowser?: OpenBrowser | undefined;
  /** How long to wait for the browser to come back. Default 300 000. */
  timeoutMs?: number | undefined;
}

function endpointOf(o: TokenRequestOptions): TokenEndpoint {
  return {
    tokenUrl: tokenUrlFor(o.baseUrl),
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    fetch: o.fetch,
    now: o.now,
    profileName: o.profileName,
  };
}

/**
 * The interactive login: authorization code with PKCE (S256). Starts a loopback receiver on the
 * redirect URI, shows the user DHIS2's `/oauth2/authorize` URL, checks the returned `state`,
 * exchanges the code at `/oauth2/token` and returns the token.
 *
 * @example
 * ```ts
 * const token = await loginWithPkce({
 *   baseUrl: "http://localhost:8080", clientId: "dhis2w", clientSecret: process.env.SECRET,
 *   redirectUri: "http://127.0.0.1:8765/callback", openBrowser: openSystemBrowser,
 * });
 * ```
 */
export async function loginWithPkce(options: PkceLoginOptions): Promise<OAuth2Token> {
  const pkce = await createPkcePair();
  const state = randomUrlSafe(24);
  const receiver = await startLoopbackReceiver({
    redirectUri: options.redirectUri,
    state,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const url = authorizeUrl({
      baseUrl: options.baseUrl,
      clientId: options.clientId,
      redirectUri: receiver.redirectUri,
      scope: options.scope,
      state,
      codeChallenge: pkce.challenge,
    });
    await (options.openBrowser ?? printAuthorizationUrl)(url);
    const code = await receiver.code;
    return await requestToken(
      endpointOf(options),
      "authorization_code",
      { code, redirect_uri: receiver.redirectUri, code_verifier: pkce.verifier },
      { signal: options.signal },
    );
  } finally {
    await receiver.close();
  }
}

/**
 * The service-account login: the client-credentials grant at `/oauth2/token`.
 *
 * @example
 * ```ts
 * const token = await loginWithClientCredentials({ baseUrl, clientId: "svc", clientSecret: process.env.SECRET });
 * ```
 */
export async function loginWithClientCredentials(options: TokenRequestOptions): Promise<OAuth2Token> {
  if (!options.clientSecret) {
    throw new OAuth2FlowError("invalid_client", "the client-credentials grant needs a clientSecret");
  }
  return requestToken(
    endpointOf(options),
    "client_credentials",
    { scope: options.scope ?? "ALL" },
    { signal: options.signal },
  );
}

/** Which grant a login uses. */
export type LoginGrant = "authorization_code" | "client_credentials";

/**
 * The grant of an OAuth2 profile: with a `redirectUri` it logs in interactively (authorization
 * code + PKCE); without one it is a service account (client credentials).
 */
export function grantForProfile(profile: Profile): LoginGrant {
  return profile.redirectUri ? "authorization_code" : "client_credentials";
}

/** Options of {@link loginProfile}. */
export interface LoginProfileOptions extends TokenStoreLocation {
  /**
   * The profile named `name` (`auth: "oauth2"`). One returned by `resolveProfile(name)` stores its
   * token next to the file it was read from; otherwise `scope` says which file's store.
   */
  profile: Profile;
  /** The scope of the profile file that defined it; the token is stored there. Default `global`. */
  scope?: TokenScope | undefined;
  /** Store the token here instead of `tokenStoreForScope(scope)`. */
  tokenStore?: TokenStore | undefined;
  grant?: LoginGrant | undefined;
  openBrowser?: OpenBrowser | undefined;
  timeoutMs?: number | undefined;
  fetch?: TokenEndpoint["fetch"];
  now?: (() => number) | undefined;
  signal?: AbortSignal | undefined;
}

/** What a login did; holds no secret, so it is safe to print. */
export interface LoginResult {
  profileName: string;
  grant: LoginGrant;
  /** When the access token expires, epoch ms. */
  expiresAt: number;
  hasRefreshToken: boolean;
}

/**
 * `d2w profile login <name>`: runs the profile's login flow and stores the token under
 * (scope, profile name), where `openClient` finds it later.
 *
 * @example
 * ```ts
 * await loginProfile("my-oauth-profile", { profile: resolveProfile("my-oauth-profile"), openBrowser: openSystemBrowser });
 * ```
 */
export async function loginProfile(name: string, options: LoginProfileOptions): Promise<LoginResult> {
  const { profile } = options;
  if (profile.auth !== "oauth2") {
    throw new OAuth2FlowError(
      "authorization_error",
      `profile "${name}" uses auth "${profile.auth}"; only oauth2 profiles log in`,
    );
  }
  if (!profile.clientId) throw new OAuth2FlowError("invalid_client", `profile "${name}" has no clientId`);
  const grant = options.grant ?? grantForProfile(profile);
  const common: TokenRequestOptions = {
    baseUrl: profile.baseUrl,
    clientId: profile.clientId,
    clientSecret: profile.clientSecret,
    scope: profile.scope,
    fetch: options.fetch,
    now: options.now,
    signal: options.signal,
    profileName: name,
  };
  let token: OAuth2Token;
  if (grant === "client_credentials") {
    token = await loginWithClientCredentials(common);
  } else {
    if (!profile.redirectUri) {
      throw new OAuth2FlowError(
        "authorization_error",
        `profile "${name}" has no redirectUri for the interactive login`,
      );
    }
    token = await loginWithPkce({
      ...common,
      redirectUri: profile.redirectUri,
      openBrowser: options.openBrowser,
      timeoutMs: options.timeoutMs,
    });
  }
  const { start, globalDir, env, scope, tokenStore } = options;
  // The same choice as openClient's, so the token lands where openClient looks for it.
  const target = tokenStoreForProfile(profile, {
    profileName: name,
    scope,
    tokenStore,
    start,
    globalDir,
    env,
  });
  await target!.store.set(target!.key, token);
  return { profileName: name, grant, expiresAt: token.expiresAt, hasRefreshToken: !!token.refreshToken };
}
