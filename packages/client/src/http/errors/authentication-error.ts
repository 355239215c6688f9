import { Dhis2ApiError, type Dhis2ApiErrorInit } from "./api-error.js";

/**
 * DHIS2 answered 401. The message names the auth kind that failed (`pat`, `basic`, `oauth2`) and
 * never contains the secret.
 *
 * @example
 * ```ts
 * try { await Dhis2Client.open({ baseUrl, auth: new PatAuth({ token: "wrong" }) }); }
 * catch (e) { if (e instanceof AuthenticationError) console.error(e.authKind, e.message); }
 * ```
 */
export class AuthenticationError extends Dhis2ApiError {
  override readonly name = "AuthenticationError" as const;
  /** The `kind` of the auth provider whose credentials were refused. */
  readonly authKind: string;
  /** False when a redirect to another host made the client withhold the credentials. */
  readonly credentialsSent: boolean;

  constructor(
    init: Dhis2ApiErrorInit & { authKind: string; credentialsSent?: boolean },
    options?: ErrorOptions,
  ) {
    const sent = init.credentialsSent ?? true;
    const why = sent
      ? `${init.authKind} authentication was refused: ${init.serverMessage}`
      : `the request was redirected to another host, so the ${init.authKind} credentials were not sent there: ${init.serverMessage}`;
    super({ ...init, serverMessage: why }, options);
    this.authKind = init.authKind;
    this.credentialsSent = sent;
  }
}
