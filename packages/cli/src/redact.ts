/** Replaces every known secret in `text` by `***` (longest first, so a secret's prefix cannot leak). */
export function scrub(text: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of list) out = out.split(s).join("***");
  return out;
}

/** Environment variables that hold secrets d2w may read. */
export const SECRET_ENV_KEYS = [
  "DHIS2_PAT",
  "DHIS2_PASSWORD",
  "DHIS2_ADMIN_PAT",
  "DHIS2_ADMIN_PASSWORD",
  "DHIS2_OAUTH_CLIENT_SECRET",
] as const;

/** Secrets of a profile-like object, with the Basic header form of user + password. */
export function secretsOf(p: {
  token?: string | undefined;
  password?: string | undefined;
  clientSecret?: string | undefined;
  username?: string | undefined;
}): string[] {
  const out = [p.token, p.password, p.clientSecret].filter((v): v is string => !!v);
  if (p.username && p.password) out.push(Buffer.from(`${p.username}:${p.password}`).toString("base64"));
  return out;
}
