/**
 * Tutorial section "Auth providers in detail": which fields each `auth` kind needs, and which
 * `Authorization` scheme each provider sends: PAT -> `ApiToken <token>` (DHIS2's own scheme, not
 * Bearer), Basic -> `Basic base64(user:password)`, OAuth2 -> `Bearer <access token>`.
 *
 * The `onRequest` hook shows what the client reports about a request: the credential is already
 * masked there. To show the scheme, the example injects a `fetch` that prints only the first word
 * of the header, so no secret is ever printed.
 *
 * Runs against DHIS2_URL (+ DHIS2_PAT or DHIS2_USERNAME/DHIS2_PASSWORD) when set, else against an
 * embedded emulator (where it mints a PAT and uses the demo OAuth2 client):
 *
 *   npx tsx --conditions=source examples/auth-providers.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AuthProvider, BasicAuth, Dhis2Client, type FetchLike, PatAuth, Profile } from "@dhis2w/client";
import { createPat, openClient } from "@dhis2w/core";
import { localTarget } from "./_emulator.js";
import { runIfMain } from "./_support.js";

/** A fetch that reports the scheme (first word) of the Authorization header it sends, never the rest. */
function schemeReportingFetch(label: string): FetchLike {
  return (input, init) => {
    const auth = new Headers(init?.headers).get("authorization");
    const url = new URL(input instanceof Request ? input.url : String(input));
    console.log(
      `  [${label}] wire:      ${url.pathname} Authorization: ${auth ? `${auth.split(" ")[0]} ***` : "(none)"}`,
    );
    return globalThis.fetch(input, init);
  };
}

async function demo(label: string, baseUrl: string, auth: AuthProvider): Promise<void> {
  await using client = await Dhis2Client.open({
    baseUrl,
    auth,
    fetch: schemeReportingFetch(label),
    onRequest: (e) => {
      if (e.url.endsWith("/api/me")) {
        console.log(`  [${label}] onRequest: ${e.method} /api/me authorization=${e.headers.authorization}`);
      }
    },
  });
  const me = await client.system.me();
  console.log(
    `  [${label}] kind=${client.auth.kind}, logged in as ${me.username}; JSON.stringify(auth) = ${JSON.stringify(auth)}`,
  );
}

export async function main(): Promise<void> {
  const target = await localTarget();
  const { baseUrl } = target.profile;
  const tmp = mkdtempSync(path.join(tmpdir(), "d2w-auth-"));
  try {
    // Which fields each kind needs: the Profile schema says so, naming the missing field.
    for (const auth of ["pat", "basic", "oauth2"] as const) {
      const r = Profile.safeParse({ baseUrl, auth });
      console.log(
        `auth "${auth}" without credentials: ${r.success ? "ok" : r.error.issues.map((i) => i.message).join("; ")}`,
      );
    }

    // PAT: user-scoped, long-lived, revocable.
    let token = target.profile.auth === "pat" ? target.profile.token : process.env.DHIS2_PAT;
    if (target.emu) {
      token = (await createPat({ url: baseUrl, adminUser: "admin", adminPassword: "district" })).key;
    }
    console.log("PAT:");
    if (token) await demo("pat", baseUrl, new PatAuth({ token }));
    else console.log("  skipped (set DHIS2_PAT)");

    // Basic: dev and play servers only.
    console.log("Basic:");
    if (target.profile.auth === "basic") {
      const { username, password } = target.profile;
      await demo("basic", baseUrl, new BasicAuth({ username: username!, password: password! }));
    } else {
      console.log("  skipped (set DHIS2_USERNAME + DHIS2_PASSWORD)");
    }

    // OAuth2: short-lived bearer tokens, renewed automatically (core's openClient wires the store).
    console.log("OAuth2 (client credentials):");
    const clientId = target.emu ? "dhis2w-demo" : process.env.DHIS2_OAUTH_CLIENT_ID;
    const clientSecret = target.emu ? "dhis2w-demo-secret" : process.env.DHIS2_OAUTH_CLIENT_SECRET;
    if (clientId && clientSecret) {
      await using client = await openClient(
        { baseUrl, auth: "oauth2", clientId, clientSecret, scope: "ALL" },
        { profileName: "service", scope: "project", start: tmp, fetch: schemeReportingFetch("oauth2") },
      );
      console.log(`  [oauth2] kind=${client.auth.kind}, logged in as ${(await client.system.me()).username}`);
    } else {
      console.log("  skipped (set DHIS2_OAUTH_CLIENT_ID + DHIS2_OAUTH_CLIENT_SECRET)");
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await target.close();
  }
}

runIfMain(import.meta.url, main);
