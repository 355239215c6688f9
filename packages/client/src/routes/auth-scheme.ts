import * as z from "zod";

/*
 * The `auth` of a DHIS2 Route (`/api/routes`): how DHIS2 authenticates to the upstream service.
 * Unrelated to how this client authenticates to DHIS2. Type names and fields follow dhis2/dhis2-core
 * `dhis-api/src/main/java/org/hisp/dhis/common/auth/*AuthScheme.java` (Jackson `type` discriminator).
 * Secrets (password, token, header/query values, clientSecret) are write-only on the server:
 * DHIS2 never sends them back, so they are optional when parsing a route read from the server.
 */

const nonEmpty = z.string().min(1);

/**
 * `http-basic`: DHIS2 sends `Authorization: Basic base64(username:password)` upstream.
 *
 * @example
 * ```ts
 * const auth = HttpBasicAuthScheme.parse({ type: "http-basic", username: "svc", password: process.env.UPSTREAM_PW });
 * ```
 */
export const HttpBasicAuthScheme = z.object({
  type: z.literal("http-basic"),
  username: nonEmpty,
  password: nonEmpty.optional(),
});
export type HttpBasicAuthScheme = z.infer<typeof HttpBasicAuthScheme>;

/** `api-token`: DHIS2 sends `Authorization: ApiToken <token>` upstream. */
export const ApiTokenAuthScheme = z.object({
  type: z.literal("api-token"),
  token: nonEmpty.optional(),
});
export type ApiTokenAuthScheme = z.infer<typeof ApiTokenAuthScheme>;

/** `api-headers`: fixed headers added upstream. */
export const ApiHeadersAuthScheme = z.object({
  type: z.literal("api-headers"),
  headers: z.record(z.string(), z.string()).optional(),
});
export type ApiHeadersAuthScheme = z.infer<typeof ApiHeadersAuthScheme>;

/** `api-query-params`: fixed query parameters added upstream. */
export const ApiQueryParamsAuthScheme = z.object({
  type: z.literal("api-query-params"),
  queryParams: z.record(z.string(), z.string()).optional(),
});
export type ApiQueryParamsAuthScheme = z.infer<typeof ApiQueryParamsAuthScheme>;

/** `oauth2-client-credentials` (2.42+): DHIS2 fetches a token from `tokenUri` and sends it upstream. */
export const OAuth2ClientCredentialsAuthScheme = z.object({
  type: z.literal("oauth2-client-credentials"),
  clientId: nonEmpty,
  clientSecret: nonEmpty.optional(),
  tokenUri: z.url(),
});
export type OAuth2ClientCredentialsAuthScheme = z.infer<typeof OAuth2ClientCredentialsAuthScheme>;

/**
 * Any Route auth scheme, discriminated on `type`.
 *
 * @example
 * ```ts
 * const scheme = AuthScheme.parse({ type: "api-token", token: process.env.UPSTREAM_TOKEN });
 * const basic: HttpBasicAuthScheme = { type: "http-basic", username: "svc", password: "secret" };
 * ```
 */
export const AuthScheme = z.discriminatedUnion("type", [
  HttpBasicAuthScheme,
  ApiTokenAuthScheme,
  ApiHeadersAuthScheme,
  ApiQueryParamsAuthScheme,
  OAuth2ClientCredentialsAuthScheme,
]);
export type AuthScheme = z.infer<typeof AuthScheme>;

/** The `type` values DHIS2 knows. */
export const AuthSchemeType = {
  HTTP_BASIC: "http-basic",
  API_TOKEN: "api-token",
  API_HEADERS: "api-headers",
  API_QUERY_PARAMS: "api-query-params",
  OAUTH2_CLIENT_CREDENTIALS: "oauth2-client-credentials",
} as const;
export type AuthSchemeType = (typeof AuthSchemeType)[keyof typeof AuthSchemeType];

/** A copy of `scheme` with every secret replaced by "***", for logs and error messages. */
export function redactAuthScheme(scheme: AuthScheme): AuthScheme {
  const mask = (r: Record<string, string> | undefined) =>
    r ? Object.fromEntries(Object.keys(r).map((k) => [k, "***"])) : undefined;
  switch (scheme.type) {
    case "http-basic":
      return { ...scheme, ...(scheme.password ? { password: "***" } : {}) };
    case "api-token":
      return { ...scheme, ...(scheme.token ? { token: "***" } : {}) };
    case "api-headers":
      return { ...scheme, ...(scheme.headers ? { headers: mask(scheme.headers) } : {}) };
    case "api-query-params":
      return { ...scheme, ...(scheme.queryParams ? { queryParams: mask(scheme.queryParams) } : {}) };
    case "oauth2-client-credentials":
      return { ...scheme, ...(scheme.clientSecret ? { clientSecret: "***" } : {}) };
  }
}
