import { base64Url, randomBytes, sha256Of, timingSafeEqual } from "../bytes.js";
import type { Clock } from "../clock.js";

/**
 * The state of the emulator's OAuth2 authorization server, modelled on DHIS2 2.41+'s Spring
 * Authorization Server (`oauth2.server.enabled = on`): registered clients, authorization codes,
 * access and refresh tokens, and counters for tests. No HTTP here (see routes.ts).
 */

/** A registered OAuth2 client. The secret is kept only as a SHA-256 digest. */
export interface RegisteredClient {
  /** The DHIS2 object id (`/api/oAuth2Clients/<id>`). */
  id: string;
  name: string;
  clientId: string;
  secretDigest: Uint8Array | undefined;
  redirectUris: string[];
  grantTypes: string[];
  scopes: string[];
  /** The user a client-credentials token acts as (DHIS2 maps the JWT `sub` through `openId`). */
  serviceUsername: string;
}

/** The pre-registered client tests and examples use (never a production credential). */
export const DEMO_OAUTH2_CLIENT = {
  clientId: "dhis2w-demo",
  clientSecret: "dhis2w-demo-secret",
  redirectUris: ["http://127.0.0.1:8765/callback", "http://localhost:8765"],
} as const;

/** Tunables; tests shorten the lifetimes. */
export interface OAuth2ServerSettings {
  /** Spring AS default: 5 minutes. */
  accessTokenTtlMs: number;
  /** Spring AS default: 60 minutes. */
  refreshTokenTtlMs: number;
  codeTtlMs: number;
  /** New refresh token on every refresh; the old one stops working (DHIS2's UI default reuses them). */
  rotateRefreshTokens: boolean;
  /** Answer `/oauth2/<x>` with a 301 to `/oauth2/<x>/` like DHIS2 (QUIRKS.md "Auth"). */
  trailingSlashRedirect: boolean;
  /** `auto`: consent as `consentUsername` at once; `deny`: redirect back with `error=access_denied`. */
  consent: "auto" | "deny";
  consentUsername: string;
}

/** Counters for tests: how often each endpoint and grant was hit. */
export interface OAuth2Stats {
  /** Requests that reached the token endpoint (after the trailing-slash redirect). */
  tokenRequests: number;
  /** 301s answered for `/oauth2/*` without the slash. */
  slashRedirects: number;
  authorizationCodeGrants: number;
  refreshTokenGrants: number;
  clientCredentialsGrants: number;
  /** Token requests answered with an error. */
  failedTokenRequests: number;
  authorizeRequests: number;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  challenge: string | undefined;
  userId: string;
  scope: string;
  expiresAt: number;
}
interface TokenRecord {
  clientId: string;
  userId: string;
  scope: string;
  expiresAt: number;
}

/** A token-endpoint failure in RFC 6749 terms. */
export class OAuth2Error extends Error {
  override readonly name = "OAuth2Error" as const;
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

function digest(s: string): Uint8Array {
  return sha256Of(s);
}
function opaque(prefix: string): string {
  return `${prefix}_${base64Url(randomBytes(24))}`;
}
function s256(verifier: string): string {
  // The verifier is ASCII by RFC 7636 (unreserved characters), so its UTF-8 bytes are its ASCII bytes.
  return base64Url(sha256Of(verifier));
}
function zeroStats(): OAuth2Stats {
  return {
    tokenRequests: 0,
    slashRedirects: 0,
    authorizationCodeGrants: 0,
    refreshTokenGrants: 0,
    clientCredentialsGrants: 0,
    failedTokenRequests: 0,
    authorizeRequests: 0,
  };
}

const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** RFC 8252 section 7.3: a loopback redirect URI matches a registered one on any port. */
export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  try {
    const a = new URL(registered);
    const b = new URL(requested);
    if (!LOOPBACK.has(a.hostname) || a.hostname !== b.hostname || a.protocol !== b.protocol) return false;
    return a.pathname === b.pathname && a.search === b.search;
  } catch {
    return false;
  }
}

/**
 * The authorization server: `app.extensions.oauth2` on a running emulator.
 *
 * @example
 * ```ts
 * const oauth2 = emu.app.extensions.oauth2!;
 * oauth2.configure({ accessTokenTtlMs: 1_000 });
 * // ... run a refresh ...
 * expect(oauth2.stats.refreshTokenGrants).toBe(1);
 * ```
 */
export class OAuth2Server {
  readonly clients = new Map<string, RegisteredClient>();
  readonly settings: OAuth2ServerSettings = {
    accessTokenTtlMs: 300_000,
    refreshTokenTtlMs: 3_600_000,
    codeTtlMs: 300_000,
    rotateRefreshTokens: true,
    trailingSlashRedirect: true,
    consent: "auto",
    consentUsername: "admin",
  };
  stats: OAuth2Stats = zeroStats();
  readonly #codes = new Map<string, CodeRecord>();
  readonly #access = new Map<string, TokenRecord>();
  readonly #refresh = new Map<string, TokenRecord>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Changes settings (lifetimes, consent mode, rotation, the 301 quirk). */
  configure(settings: Partial<OAuth2ServerSettings>): void {
    Object.assign(this.settings, settings);
  }

  resetStats(): void {
    this.stats = zeroStats();
  }

  /** Registers (or replaces) a client; `clientSecret` undefined makes a public (PKCE-only) client. */
  register(input: {
    id: string;
    name?: string;
    clientId: string;
    clientSecret?: string | undefined;
    redirectUris?: string[];
    grantTypes?: string[];
    scopes?: string[];
    serviceUsername?: string;
  }): RegisteredClient {
    const client: RegisteredClient = {
      id: input.id,
      name: input.name ?? input.clientId,
      clientId: input.clientId,
      secretDigest: input.clientSecret === undefined ? undefined : digest(input.clientSecret),
      redirectUris: input.redirectUris ?? [],
      grantTypes: input.grantTypes ?? ["authorization_code", "refresh_token"],
      scopes: input.scopes ?? ["ALL"],
      serviceUsername: input.serviceUsername ?? "admin",
    };
    for (const [k, c] of this.clients) if (c.id === client.id) this.clients.delete(k);
    this.clients.set(client.clientId, client);
    return client;
  }

  /** Authenticates a client at the token endpoint (Basic header or form fields). */
  authenticateClient(clientId: string | undefined, secret: string | undefined): RegisteredClient {
    const client = clientId ? this.clients.get(clientId) : undefined;
    if (!client) throw new OAuth2Error("invalid_client", "Client authentication failed", 401);
    if (client.secretDigest) {
      const given = secret === undefined ? undefined : digest(secret);
      if (!given || !timingSafeEqual(given, client.secretDigest)) {
        throw new OAuth2Error("invalid_client", "Client authentication failed", 401);
      }
    }
    return client;
  }

  /** `/oauth2/authorize` after consent: a one-time code bound to client, redirect URI and PKCE challenge. */
  issueCode(
    client: RegisteredClient,
    redirectUri: string,
    userId: string,
    scope: string,
    challenge?: string,
  ): string {
    const code = opaque("code");
    this.#codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      challenge,
      userId,
      scope,
      expiresAt: this.#clock.now() + this.settings.codeTtlMs,
    });
    return code;
  }

  exchangeCode(
    client: RegisteredClient,
    code: string,
    redirectUri: string | undefined,
    verifier: string | undefined,
  ) {
    const record = this.#codes.get(code);
    this.#codes.delete(code); // one use, even when it fails
    if (!record || record.clientId !== client.clientId || record.expiresAt <= this.#clock.now()) {
      throw new OAuth2Error("invalid_grant", "The authorization code is invalid or expired");
    }
    if (redirectUri !== record.redirectUri)
      throw new OAuth2Error("invalid_grant", "redirect_uri does not match");
    if (record.challenge !== undefined) {
      if (!verifier || s256(verifier) !== record.challenge)
        throw new OAuth2Error("invalid_grant", "PKCE verification failed");
    } else if (!client.secretDigest) {
      throw new OAuth2Error("invalid_grant", "A public client must use PKCE");
    }
    this.stats.authorizationCodeGrants++;
    return this.#issue(client, record.userId, record.scope, true);
  }

  refresh(client: RegisteredClient, refreshToken: string) {
    const record = this.#refresh.get(refreshToken);
    if (!record || record.clientId !== client.clientId || record.expiresAt <= this.#clock.now()) {
      throw new OAuth2Error("invalid_grant", "The refresh token is invalid or expired");
    }
    this.stats.refreshTokenGrants++;
    if (this.settings.rotateRefreshTokens) {
      this.#refresh.delete(refreshToken);
      return this.#issue(client, record.userId, record.scope, true);
    }
    const issued = this.#issue(client, record.userId, record.scope, false);
    return { ...issued, refresh_token: refreshToken };
  }

  clientCredentials(client: RegisteredClient, userId: string, scope: string) {
    if (!client.grantTypes.includes("client_credentials")) {
      throw new OAuth2Error("unauthorized_client", "The client is not allowed the client_credentials grant");
    }
    this.stats.clientCredentialsGrants++;
    return this.#issue(client, userId, scope, false);
  }

  #issue(client: RegisteredClient, userId: string, scope: string, withRefresh: boolean) {
    const now = this.#clock.now();
    const access = opaque("at");
    this.#access.set(access, {
      clientId: client.clientId,
      userId,
      scope,
      expiresAt: now + this.settings.accessTokenTtlMs,
    });
    const body: Record<string, string | number> = {
      access_token: access,
      token_type: "Bearer",
      expires_in: Math.max(1, Math.round(this.settings.accessTokenTtlMs / 1000)),
      scope,
    };
    if (withRefresh && client.grantTypes.includes("refresh_token")) {
      const refresh = opaque("rt");
      this.#refresh.set(refresh, {
        clientId: client.clientId,
        userId,
        scope,
        expiresAt: now + this.settings.refreshTokenTtlMs,
      });
      body.refresh_token = refresh;
    }
    return body;
  }

  /**
   * Simulates a DHIS2 restart without configured signing keys (QUIRKS.md "Auth"): the server
   * generates new keys, so every token issued before is unusable and a refresh answers
   * `invalid_grant`. Registered clients stay (they live in the database).
   */
  restart(): void {
    this.#codes.clear();
    this.#access.clear();
    this.#refresh.clear();
  }

  /** The user id an access token stands for, when it is known and not expired. */
  userIdForAccessToken(token: string): string | undefined {
    const record = this.#access.get(token);
    return record && record.expiresAt > this.#clock.now() ? record.userId : undefined;
  }
}
