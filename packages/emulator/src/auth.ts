import { base64ToText } from "./bytes.js";
import type { Ctx } from "./ctx.js";
import type { EmulatorUser } from "./users.js";

/**
 * Validates an `Authorization: Bearer <token>` value; returns the user it stands for, or
 * undefined when this validator does not accept it (the next one is tried).
 */
export type BearerValidator = (
  token: string,
  ctx: Ctx,
) => EmulatorUser | undefined | Promise<EmulatorUser | undefined>;

/** The result of authenticating one request. */
export type AuthOutcome =
  | { readonly kind: "anonymous" }
  | { readonly kind: "user"; readonly user: EmulatorUser; readonly scheme: "basic" | "apiToken" | "bearer" }
  | {
      readonly kind: "rejected";
      readonly message: string;
      /** The `WWW-Authenticate` challenge to send with the 401. */
      readonly challenge: string;
    };

/** The challenge DHIS2's Spring Security sends for Basic authentication. */
export const BASIC_CHALLENGE = 'Basic realm="DHIS2"';

/**
 * The authentication chain: Basic (emulator users), `ApiToken` (PATs), and `Bearer` (validators
 * registered by modules, e.g. the OAuth2 server).
 */
export class AuthChain {
  readonly #bearer: BearerValidator[] = [];

  /**
   * Registers a Bearer token validator (tried in registration order).
   *
   * @example
   * app.auth.addBearerValidator((token) => tokens.get(token)?.user);
   */
  addBearerValidator(fn: BearerValidator): void {
    this.#bearer.push(fn);
  }

  /** Authenticates the request from its `Authorization` header. */
  async authenticate(ctx: Ctx): Promise<AuthOutcome> {
    const header = ctx.header("authorization");
    if (!header) return { kind: "anonymous" };
    const space = header.indexOf(" ");
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? "" : header.slice(space + 1).trim();
    const state = ctx.state;

    if (scheme === "basic") {
      const decoded = base64ToText(value) ?? "";
      const colon = decoded.indexOf(":");
      const user =
        colon < 0 ? undefined : state.users.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
      return user
        ? { kind: "user", user, scheme: "basic" }
        : { kind: "rejected", message: "Unauthorized", challenge: BASIC_CHALLENGE };
    }

    if (scheme === "apitoken") {
      // Messages as dhis2-core's ApiTokenAuthenticationProvider words them.
      const check = state.tokens.check(value, state.clock.now());
      if (!check.ok) {
        return {
          kind: "rejected",
          message: check.reason === "expired" ? "The API token is expired." : "The API token does not exist.",
          challenge: 'ApiToken realm="DHIS2"',
        };
      }
      const user = state.users.byId(check.record.userId);
      if (!user || user.disabled) {
        return {
          kind: "rejected",
          message: "The API token does not exist.",
          challenge: 'ApiToken realm="DHIS2"',
        };
      }
      return { kind: "user", user, scheme: "apiToken" };
    }

    if (scheme === "bearer") {
      for (const validate of this.#bearer) {
        const user = await validate(value, ctx);
        if (user) return { kind: "user", user, scheme: "bearer" };
      }
      return {
        kind: "rejected",
        message: "Invalid or expired bearer token",
        challenge:
          'Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt"',
      };
    }

    return { kind: "anonymous" };
  }
}
