/**
 * Trust, "Passwords in URLs": a `user:password@host` URL is refused by the `Profile` schema and by
 * raw env, with a message that says where the credentials go instead, and that never repeats the
 * user info (the password, but not even the user name).
 */
import { inspect } from "node:util";
import { NoProfileError, Profile, profileFromEnvRaw } from "@dhis2w/client";
import { describe, expect, it } from "vitest";

const USER = "urluser-Zq81";
const PASSWORD = "urlpass-K2x9";
const URL_WITH_CREDENTIALS = `http://${USER}:${PASSWORD}@dhis2.example/dhis`;

/** Everything a user or a log can see of an error. */
function shown(error: unknown): string {
  return [String(error), JSON.stringify(error), inspect(error, { depth: 5 })].join("\n");
}

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("Trust: passwords in URLs", () => {
  it("Profile.parse refuses user:password@ in baseUrl, says to use --username and DHIS2_PASSWORD, and never echoes the user info", () => {
    for (const baseUrl of [
      URL_WITH_CREDENTIALS,
      `https://${USER}@dhis2.example`,
      `http://:${PASSWORD}@h.example`,
    ]) {
      const error = failure(() => Profile.parse({ baseUrl, auth: "pat", token: "t0k" }));
      const text = shown(error);
      expect(text).toContain("baseUrl must not hold a user name or password");
      expect(text).toContain("--username");
      expect(text).toContain("DHIS2_PASSWORD");
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(USER);
    }
    // The same URL without the user info is fine.
    expect(Profile.parse({ baseUrl: "http://dhis2.example/dhis", auth: "pat", token: "t0k" }).baseUrl).toBe(
      "http://dhis2.example/dhis",
    );
  });

  it("Profile.parse refuses user info in redirectUri too, without echoing it", () => {
    const error = failure(() =>
      Profile.parse({
        baseUrl: "http://dhis2.example",
        auth: "oauth2",
        clientId: "c",
        clientSecret: "s",
        redirectUri: `http://${USER}:${PASSWORD}@127.0.0.1:8765/callback`,
      }),
    );
    expect(shown(error)).toContain("redirectUri must not hold a user name or password");
    expect(shown(error)).not.toContain(PASSWORD);
    expect(shown(error)).not.toContain(USER);
  });

  it("profileFromEnvRaw refuses DHIS2_URL with user info, with or without other variables, naming the variable only", () => {
    for (const env of [
      { DHIS2_URL: URL_WITH_CREDENTIALS },
      { DHIS2_URL: URL_WITH_CREDENTIALS, DHIS2_PAT: "d2p_x" },
      { DHIS2_URL: URL_WITH_CREDENTIALS, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" },
    ]) {
      const error = failure(() => profileFromEnvRaw(env));
      expect(error).toBeInstanceOf(NoProfileError);
      const text = shown(error);
      expect(text).toContain("DHIS2_URL must not hold a user name or password");
      expect(text).toContain("DHIS2_PASSWORD");
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(USER);
    }
  });
});
