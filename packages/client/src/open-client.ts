import { BasicAuth } from "./auth/basic.js";
import { PatAuth } from "./auth/pat.js";
import type { AuthProvider } from "./auth/provider.js";
import { Dhis2Client, type Dhis2ClientOptions } from "./client.js";
import { Dhis2ClientError } from "./errors.js";
import { Profile } from "./profile.js";
import type { VersionKey } from "./versions.js";

/** Options of {@link openClient}: the client options without `baseUrl` and `auth` (the profile has them). */
export type OpenClientOptions<V extends VersionKey = VersionKey> = Omit<
  Dhis2ClientOptions<V>,
  "baseUrl" | "auth"
>;

function authFromProfile(profile: Profile): AuthProvider {
  switch (profile.auth) {
    case "pat":
      return new PatAuth({ token: profile.token! });
    case "basic":
      return new BasicAuth({ username: profile.username!, password: profile.password! });
    case "oauth2":
      throw new Dhis2ClientError(
        "OAuth2 profiles need a token store and a login flow: use openClient from @dhis2w/core (npm install @dhis2w/core); @dhis2w/client opens PAT and Basic profiles",
      );
  }
}

/**
 * Opens a connected client for a PAT or Basic {@link Profile}. OAuth2 profiles throw a
 * {@link Dhis2ClientError} pointing at `@dhis2w/core`'s `openClient`.
 *
 * @example
 * ```ts
 * const profile = profileFromEnvRaw();
 * if (!profile) throw new NoProfileError("set DHIS2_URL + DHIS2_PAT (or DHIS2_USERNAME + DHIS2_PASSWORD)");
 * await using client = await openClient(profile, { retryPolicy: new RetryPolicy() });
 * console.log(client.rawVersion);
 * ```
 */
export async function openClient<V extends VersionKey = VersionKey>(
  profile: Profile,
  options: OpenClientOptions<V> = {},
): Promise<Dhis2Client<V>> {
  return openClientWithAuth<V>(profile, options, authFromProfile);
}

/**
 * Validates `profile` (naming bad fields, never their values), builds its auth with `authFor`
 * and opens the client on the profile's base URL and version: the seam `@dhis2w/core`'s
 * `openClient` uses for OAuth2 profiles.
 *
 * @example
 * ```ts
 * await using client = await openClientWithAuth(profile, {}, (p) => new PatAuth({ token: p.token! }));
 * ```
 */
export async function openClientWithAuth<V extends VersionKey = VersionKey>(
  profile: Profile,
  options: OpenClientOptions<V>,
  authFor: (profile: Profile) => AuthProvider | Promise<AuthProvider>,
): Promise<Dhis2Client<V>> {
  const parsed = Profile.safeParse(profile);
  if (!parsed.success) {
    // Name the fields, never their values: they hold secrets.
    const issues = parsed.error.issues
      .map((i) => `${i.path.join(".") || "(profile)"}: ${i.message}`)
      .join("; ");
    throw new Dhis2ClientError(`openClient: the profile is not valid (${issues})`);
  }
  const p = parsed.data;
  const auth = await authFor(p);
  const version = (options.version ?? p.version) as V | undefined;
  return Dhis2Client.open<V>({
    ...options,
    ...(version ? { version } : {}),
    baseUrl: p.baseUrl,
    auth,
  });
}
