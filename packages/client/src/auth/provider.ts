/**
 * How a client proves who it is to DHIS2 on every request.
 *
 * The request pipeline calls {@link AuthProvider.headers} before each request and, after a
 * 401, calls {@link AuthProvider.onUnauthorized} once; when that resolves `true` the request is
 * replayed once with fresh headers (OAuth2 uses this to refresh its access token).
 *
 * Providers never put their secret into an error message; {@link AuthProvider.secrets} lists the
 * strings the client redacts from anything it reports.
 *
 * @example
 * ```ts
 * const auth: AuthProvider = new PatAuth({ token: process.env.DHIS2_PAT! });
 * const client = await Dhis2Client.open({ baseUrl: "http://localhost:8080", auth });
 * ```
 */
export interface AuthProvider {
  /** `"basic"`, `"pat"`, `"oauth2"`, or a custom kind; named in authentication errors. */
  readonly kind: string;
  /** Headers to add to a request to the DHIS2 server (normally just `Authorization`). */
  headers(signal?: AbortSignal): Promise<Record<string, string>> | Record<string, string>;
  /** Called once after a 401. Resolve `true` to have the request replayed once. */
  onUnauthorized?(signal?: AbortSignal): Promise<boolean>;
  /** The secret values this provider holds, so that the client can redact them. */
  secrets?(): readonly string[];
}
