import { Dhis2ApiError, Dhis2Client, OAuth2Auth, type OAuth2Token } from "@dhis2w/client";
import { describe, expect, it } from "vitest";
import { fakeServer, json, systemInfo } from "./support/fake-server.js";

const clientSecret = "client-secret-value";

/**
 * A pretend DHIS2 whose token endpoint rotates both tokens on every refresh, and whose `/api/me`
 * answers 500 quoting the tokens of an earlier session: what a proxy or a stale-session error
 * page can do. `stale` says which tokens the error body echoes.
 */
function server(stale: () => readonly string[]) {
  let issued = 0;
  return fakeServer({
    "GET /api/system/info": () => systemInfo("2.42.4"),
    "POST /oauth2/token": () => {
      issued++;
      return json({
        access_token: `access-token-${issued}`,
        refresh_token: `refresh-token-${issued}`,
        expires_in: 300,
        token_type: "Bearer",
      });
    },
    "GET /api/me": () =>
      json(
        {
          httpStatusCode: 500,
          status: "ERROR",
          message: `session ${stale().join(" / ")} is no longer valid`,
        },
        500,
      ),
  });
}

function oauth2(fetch: ReturnType<typeof server>["fetch"], now: () => number): OAuth2Auth {
  const token: OAuth2Token = {
    accessToken: "access-token-0",
    refreshToken: "refresh-token-0",
    expiresAt: 60_000,
  };
  return new OAuth2Auth({
    token,
    tokenUrl: "http://dhis2.test/oauth2/token",
    clientId: "dhis2w",
    clientSecret,
    fetch,
    now,
  });
}

describe("OAuth2Auth redaction across refreshes", () => {
  it("masks the tokens a refresh replaced when the server echoes them in an error", async () => {
    let clock = 0;
    const fake = server(() => ["access-token-0", "refresh-token-0", clientSecret]);
    const auth = oauth2(fake.fetch, () => clock);
    const client = await Dhis2Client.open({ baseUrl: "http://dhis2.test", auth, fetch: fake.fetch });
    expect(fake.count("/oauth2/token")).toBe(0);

    clock = 10 * 60_000; // past expiry: the next request refreshes first
    const error = await client.getRaw("/api/me").catch((e: unknown) => e);
    expect(fake.count("/oauth2/token")).toBe(1);
    expect(auth.token.accessToken).toBe("access-token-1");
    expect(error).toBeInstanceOf(Dhis2ApiError);
    const seen = [(error as Error).message, JSON.stringify((error as Dhis2ApiError).body), String(error)];
    for (const text of seen) {
      expect(text).not.toContain("access-token-0");
      expect(text).not.toContain("refresh-token-0");
      expect(text).not.toContain(clientSecret);
    }
    expect((error as Error).message).toContain("[redacted]");
  });

  it("keeps only the last few superseded tokens, so a long-lived provider does not grow", async () => {
    const fake = server(() => []);
    const auth = oauth2(fake.fetch, () => 0);
    for (let i = 0; i < 10; i++) await auth.onUnauthorized();
    const secrets = auth.secrets();
    expect(secrets.slice(0, 3)).toEqual(["access-token-10", "refresh-token-10", clientSecret]);
    // The tokens of the last rotations stay masked; the first ones have aged out.
    expect(secrets).toEqual(expect.arrayContaining(["access-token-9", "refresh-token-9", "refresh-token-7"]));
    expect(secrets).not.toContain("access-token-0");
    expect(secrets).not.toContain("refresh-token-1");
    expect(secrets.length).toBeLessThanOrEqual(3 + 8);
    expect(new Set(secrets).size).toBe(secrets.length);
  });
});
