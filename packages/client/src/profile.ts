import * as z from "zod";
import { NoProfileError } from "./errors.js";
import { VERSION_KEYS } from "./versions.js";

/** The auth kinds a profile can name. */
export const AuthKind = { PAT: "pat", BASIC: "basic", OAUTH2: "oauth2" } as const;
export type AuthKind = (typeof AuthKind)[keyof typeof AuthKind];

const nonEmpty = z.string().min(1);

/**
 * What to do instead of `user:password@` in a URL. DHIS2 never reads credentials from the URL
 * (browsers and fetch refuse to send them), so a profile holding one can only fail later, and
 * print the password wherever the URL is shown.
 */
const CREDENTIALS_IN_URL =
  "must not hold a user name or password (user:password@host): give the user with --username and the password in DHIS2_PASSWORD (auth basic), or use a PAT";

/** True when `url` parses and carries user info. Unparseable URLs are left to the format check. */
function hasUserinfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== "" || u.password !== "";
  } catch {
    return false;
  }
}

/**
 * A named bundle of how to reach one DHIS2 instance: a base URL plus what is needed to build
 * the right {@link AuthProvider}. `pat` needs `token`; `basic` needs `username` + `password`;
 * `oauth2` needs `clientId` + `clientSecret` (`scope`, `redirectUri` optional). A URL with
 * `user:password@` is refused (the message never repeats it): credentials go in their own fields.
 *
 * @example
 * ```ts
 * const profile = Profile.parse({ baseUrl: "http://localhost:8080", auth: "pat", token: process.env.MY_PAT });
 * ```
 */
export const Profile = z
  .object({
    // The messages name the field, never the value: a URL with user info holds a password.
    baseUrl: z
      .url({ protocol: /^https?$/, message: "baseUrl must be an http(s) URL" })
      .refine((u) => !hasUserinfo(u), `baseUrl ${CREDENTIALS_IN_URL}`),
    auth: z.enum(["pat", "basic", "oauth2"]),
    token: nonEmpty.optional(),
    username: nonEmpty.optional(),
    password: nonEmpty.optional(),
    clientId: nonEmpty.optional(),
    clientSecret: nonEmpty.optional(),
    scope: nonEmpty.optional(),
    redirectUri: z
      .url()
      .refine(
        (u) => !hasUserinfo(u),
        "redirectUri must not hold a user name or password (user:password@host)",
      )
      .optional(),
    version: z.enum(VERSION_KEYS).optional(),
  })
  .superRefine((p, ctx) => {
    const need = (field: keyof typeof p) => {
      if (p[field] === undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: `auth "${p.auth}" needs ${field}` });
      }
    };
    if (p.auth === "pat") need("token");
    if (p.auth === "basic") {
      need("username");
      need("password");
    }
    if (p.auth === "oauth2") {
      need("clientId");
      need("clientSecret");
    }
  });
export type Profile = z.infer<typeof Profile>;

/**
 * Builds a PAT or Basic profile from raw environment variables: `DHIS2_URL` plus `DHIS2_PAT`,
 * or `DHIS2_URL` plus `DHIS2_USERNAME` and `DHIS2_PASSWORD`. Returns `undefined` when they are
 * not set (OAuth2 is never built from raw env). Throws `NoProfileError` when they do not form a
 * valid profile, and when `DHIS2_URL` holds `user:password@` (naming the variable, never its value).
 *
 * @example
 * ```ts
 * const profile = profileFromEnvRaw();
 * if (!profile) throw new NoProfileError("set DHIS2_URL + DHIS2_PAT (or DHIS2_USERNAME + DHIS2_PASSWORD)");
 * ```
 */
export function profileFromEnvRaw(
  env: Record<string, string | undefined> = globalThis.process?.env ?? {},
): Profile | undefined {
  const baseUrl = env.DHIS2_URL?.trim();
  if (!baseUrl) return undefined;
  // Refused even without other variables: the user meant these credentials, and falling through
  // to a profile file would hide why they are not used.
  if (hasUserinfo(baseUrl)) {
    throw new NoProfileError(
      "DHIS2_URL must not hold a user name or password (user:password@host): set DHIS2_USERNAME (--username) and DHIS2_PASSWORD instead, or DHIS2_PAT",
    );
  }
  const token = env.DHIS2_PAT?.trim();
  const username = env.DHIS2_USERNAME?.trim();
  const password = env.DHIS2_PASSWORD;
  let candidate: Record<string, unknown> | undefined;
  if (token) candidate = { baseUrl, auth: "pat", token };
  else if (username && password) candidate = { baseUrl, auth: "basic", username, password };
  if (!candidate) return undefined;
  const parsed = Profile.safeParse(candidate);
  if (!parsed.success) {
    // Never echo the values (they hold secrets); name the variables instead.
    const where = parsed.error.issues.map((i) => i.path.join(".") || "(profile)").join(", ");
    throw new NoProfileError(
      `DHIS2_URL / DHIS2_* environment variables do not form a valid profile (${where}): ${parsed.error.issues.map((i) => i.message).join("; ")}`,
    );
  }
  return parsed.data;
}
