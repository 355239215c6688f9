import {
  type Dhis2Client,
  Dhis2ClientError,
  OAuth2Auth,
  type OpenClientOptions,
  openClient as openClientDirect,
  openClientWithAuth,
  type Profile,
  type TokenStore,
  tokenUrlFor,
  type VersionKey,
} from "@dhis2w/client";
import { grantForProfile, loginWithClientCredentials } from "./oauth2/login.js";
import { tokenStoreForProfile } from "./token-store/for-profile.js";
import type { TokenScope, TokenStoreLocation } from "./token-store/index.js";

/** Options of core's {@link openClient}: the client's options plus where OAuth2 tokens live. */
export type CoreOpenClientOptions<V extends VersionKey = VersionKey> = OpenClientOptions<V> &
  TokenStoreLocation & {
    /**
     * The key of an OAuth2 profile's stored token (the profile's name). Not needed for a profile
     * returned by `resolveProfile`, which knows its name and file. Without it (and without a
     * resolved profile) a client-credentials profile keeps its token in memory only.
     */
    profileName?: string;
    /** The scope of the profile file that defined the profile, with `profileName`. Default `global`. */
    scope?: TokenScope;
    /** Use this store instead of the one next to the profile's file. */
    tokenStore?: TokenStore;
  };

/**
 * Opens a connected client for any profile: PAT and Basic as `@dhis2w/client`'s `openClient`
 * does, OAuth2 with the token stored by `d2w profile login <name>` (refreshed automatically and
 * written back, single-flight across processes). Which store: a profile returned by
 * `resolveProfile` uses the `tokens.sqlite` next to the file it was read from (under its name);
 * `{ profileName, scope }` names one explicitly. An in-memory client-credentials profile (no
 * `redirectUri`, no `profileName`) fetches its token and keeps it in memory: nothing is written
 * to disk. A client-credentials profile with a store fetches a token when none is stored.
 *
 * @example
 * ```ts
 * await using client = await openClient(resolveProfile("my-oauth-profile"));
 * console.log((await client.system.me()).username);
 * ```
 */
export async function openClient<V extends VersionKey = VersionKey>(
  profile: Profile,
  options: CoreOpenClientOptions<V> = {},
): Promise<Dhis2Client<V>> {
  const { profileName, scope, tokenStore, start, globalDir, env, ...clientOptions } = options;
  if (profile.auth !== "oauth2") return openClientDirect<V>(profile, clientOptions);
  // Looked up on the object the caller passed: the client parses (copies) it before `p` below.
  const target = tokenStoreForProfile(profile, { profileName, scope, tokenStore, start, globalDir, env });

  return openClientWithAuth<V>(profile, clientOptions, async (p) => {
    const clientCredentials = grantForProfile(p) === "client_credentials";
    const name = target?.key;
    if (!target && !clientCredentials) {
      throw new Dhis2ClientError(
        "openClient: an OAuth2 profile with a redirectUri uses the token stored by `d2w profile login NAME`: open resolveProfile(NAME), or pass { profileName: NAME }",
      );
    }
    let token = target ? await target.store.get(target.key) : undefined;
    if (!token) {
      if (!clientCredentials) {
        throw new Dhis2ClientError(
          `no OAuth2 token is stored for profile "${name}": run \`d2w profile login ${name}\` first`,
        );
      }
      token = await loginWithClientCredentials({
        baseUrl: p.baseUrl,
        clientId: p.clientId!,
        clientSecret: p.clientSecret,
        scope: p.scope,
        fetch: clientOptions.fetch,
        now: clientOptions.now,
        profileName: name,
      });
      await target?.store.set(target.key, token);
    }
    return new OAuth2Auth({
      token,
      // In memory (no target): renewed with the client credentials, never written anywhere.
      tokenStore: target?.store,
      tokenKey: target?.key,
      tokenUrl: tokenUrlFor(p.baseUrl),
      clientId: p.clientId!,
      clientSecret: p.clientSecret,
      fetch: clientOptions.fetch,
      now: clientOptions.now,
      clientCredentials,
      scope: p.scope,
      profileName: name,
    });
  });
}

/** Options of {@link createPat}. */
export interface CreatePatOptions {
  url: string;
  adminUser?: string;
  adminPassword?: string;
  /** Authenticate with an existing PAT instead of user + password. */
  adminPat?: string;
  description?: string;
  /** When the token stops working: a Date or epoch ms. Default: 30 days from now. */
  expiresAt?: Date | number;
  /** Injected fetch (tests); a plain `(url, init)` function is enough. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  now?: () => number;
  signal?: AbortSignal;
}

/**
 * Mints a Personal Access Token: `POST /api/apiToken` with
 * `{ type: "PERSONAL_ACCESS_TOKEN_V2", expire, description }` (QUIRKS.md "Auth"). DHIS2 shows the
 * key only in this answer, so keep it.
 *
 * @example
 * ```ts
 * const { key } = await createPat({ url, adminUser: "admin", adminPassword: process.env.DHIS2_ADMIN_PASSWORD, description: "ci" });
 * ```
 */
export async function createPat(
  options: CreatePatOptions,
): Promise<{ key: string; id: string | undefined; expiresAt: number }> {
  if (hasUserinfo(options.url)) {
    // fetch would refuse it with the whole URL, password included, in its message.
    throw new Dhis2ClientError(
      "createPat: url must not hold a user name or password (user:password@host): give the user with --admin-user (adminUser) and the password in DHIS2_ADMIN_PASSWORD (adminPassword)",
    );
  }
  let authorization: string;
  if (options.adminPat) authorization = `ApiToken ${options.adminPat}`;
  else if (options.adminUser && options.adminPassword !== undefined) {
    authorization = `Basic ${Buffer.from(`${options.adminUser}:${options.adminPassword}`, "utf8").toString("base64")}`;
  } else {
    throw new Dhis2ClientError("createPat needs adminPat, or adminUser with adminPassword");
  }
  const now = (options.now ?? Date.now)();
  const expire = options.expiresAt === undefined ? now + 30 * 86_400_000 : Number(options.expiresAt);
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
  const url = `${options.url.replace(/\/+$/, "")}/api/apiToken`;
  const res = await doFetch(url, {
    method: "POST",
    headers: { Authorization: authorization, "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      type: "PERSONAL_ACCESS_TOKEN_V2",
      expire,
      description: options.description ?? "dhis2w",
    }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await res.text();
  let body: { message?: unknown; response?: { key?: unknown; uid?: unknown } } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: reported below without the body
  }
  if (!res.ok || typeof body.response?.key !== "string") {
    const why = typeof body.message === "string" ? `: ${body.message}` : "";
    throw new Dhis2ClientError(`createPat: POST ${url} answered ${res.status}${why}`);
  }
  return {
    key: body.response.key,
    id: typeof body.response.uid === "string" ? body.response.uid : undefined,
    expiresAt: expire,
  };
}

function hasUserinfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== "" || u.password !== "";
  } catch {
    return false;
  }
}
