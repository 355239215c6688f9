import { Dhis2ClientError } from "../../errors.js";
import { maskSecretsInText } from "../../http/redact.js";

/** Why an OAuth2 flow failed; lets callers branch without parsing messages. */
export type OAuth2FlowErrorCode =
  | "state_mismatch"
  | "missing_code"
  | "access_denied"
  | "authorization_error"
  | "timeout"
  | "invalid_grant"
  | "invalid_client"
  | "token_endpoint"
  | "no_refresh_token"
  | "token_store"
  | "no_token";

/**
 * An OAuth2 login or refresh failed: state mismatch, missing code, denied consent, a rejected
 * refresh token (`invalid_grant`: log in again), a token endpoint that answered something
 * unusable, or a token that could not be saved. The message never contains a token or the
 * client secret.
 *
 * @example
 * ```ts
 * try { await client.system.me(); } catch (e) {
 *   if (e instanceof OAuth2FlowError && e.code === "invalid_grant") console.error(e.message);
 * }
 * ```
 */
export class OAuth2FlowError extends Dhis2ClientError {
  override readonly name = "OAuth2FlowError" as const;
  /** A machine-readable reason (`invalid_grant`, `state_mismatch`, `access_denied`, ...). */
  readonly code: OAuth2FlowErrorCode;
  /** HTTP status of the token endpoint's answer, when there was one. */
  readonly statusCode: number | undefined;

  constructor(code: OAuth2FlowErrorCode, message: string, options?: ErrorOptions & { statusCode?: number }) {
    super(message, options);
    this.code = code;
    this.statusCode = options?.statusCode;
  }
}

/**
 * Replaces every secret in `text` with `***`, in each spelling a server may echo it in (raw,
 * percent-, form-, JSON- and HTML-escaped); secrets shorter than 8 characters are left alone
 * (see `MIN_FREE_TEXT_SECRET`), so that they never garble unrelated text.
 *
 * @example
 * ```ts
 * redactSecrets("refresh token rt-0123456789 is expired", ["rt-0123456789"]); // "refresh token *** is expired"
 * ```
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  return maskSecretsInText(
    text,
    secrets.filter((s): s is string => typeof s === "string"),
    "***",
  );
}
