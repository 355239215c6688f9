import type { Profile } from "@dhis2w/client";

/** What a redacted secret reads as. */
export const REDACTED = "***";

/** The fields of a {@link Profile} that hold secrets. */
export const SECRET_PROFILE_FIELDS = ["token", "password", "clientSecret"] as const;

/** A copy of the profile with its secrets (and any password in the URL) replaced by `"***"`. */
export function redactProfile(profile: Profile): Profile {
  const out: Profile = { ...profile, baseUrl: redactUrl(profile.baseUrl) };
  for (const field of SECRET_PROFILE_FIELDS) if (out[field] !== undefined) out[field] = REDACTED;
  if (out.redirectUri !== undefined) out.redirectUri = redactUrl(out.redirectUri);
  return out;
}

/**
 * A URL with `user:password@` user info redacted (a URL is the one place a secret can hide in
 * plain sight).
 *
 * @example
 * ```ts
 * redactUrl("https://admin:district@play.dhis2.org"); // "https://***@play.dhis2.org/"
 * ```
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = REDACTED;
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * Every secret string a profile holds (its token, password, client secret, the Basic header
 * value, a password in a URL), for scrubbing error messages.
 *
 * @example
 * ```ts
 * const text = scrubSecrets(String(error), profileSecrets(profile));
 * ```
 */
export function profileSecrets(profile: Profile): string[] {
  const out: string[] = [];
  for (const field of SECRET_PROFILE_FIELDS) {
    const v = profile[field];
    if (v) out.push(v);
  }
  if (profile.username && profile.password) {
    out.push(Buffer.from(`${profile.username}:${profile.password}`).toString("base64"));
  }
  for (const raw of [profile.baseUrl, profile.redirectUri]) {
    try {
      const u = raw ? new URL(raw) : undefined;
      if (u?.password) out.push(decodeURIComponent(u.password), u.password);
    } catch {
      /* not a URL: nothing hidden in it */
    }
  }
  return out.filter((s) => s.length > 0);
}

/**
 * `text` with each secret replaced by `"***"` (longest first, so a secret inside another goes too).
 *
 * @example
 * ```ts
 * scrubSecrets("token abc123 refused", ["abc123"]); // "token *** refused"
 * ```
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return out;
}
