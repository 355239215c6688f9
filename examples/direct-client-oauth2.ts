/**
 * Tutorial section "Direct-client OAuth2 (reference only)": `OAuth2Auth` constructed by hand, for
 * when you wire token persistence yourself. The token comes from a token store
 * (`tokenStoreForScope`, here the project scope of a throwaway folder, so your real store is never
 * touched); `OAuth2Auth` sends it as a Bearer token, refreshes it before it expires and writes the
 * new one back under `tokenKey`. Core's `openClient(profile, { profileName })` does all of this
 * for you; that is why it is the default.
 *
 * Against the embedded emulator the token is fetched first with the client-credentials grant of
 * the demo client. Against a real server it needs DHIS2_URL + DHIS2_OAUTH_CLIENT_ID +
 * DHIS2_OAUTH_CLIENT_SECRET (a client allowed the client-credentials grant), else it says so.
 *
 *   npx tsx --conditions=source examples/direct-client-oauth2.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Dhis2Client, OAuth2Auth, tokenUrlFor } from "@dhis2w/client";
import { loginWithClientCredentials, tokenStoreForScope } from "@dhis2w/core";
import { startLocalEmulator } from "./_emulator.js";
import { runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const { DHIS2_URL, DHIS2_OAUTH_CLIENT_ID, DHIS2_OAUTH_CLIENT_SECRET } = process.env;
  if (DHIS2_URL && !(DHIS2_OAUTH_CLIENT_ID && DHIS2_OAUTH_CLIENT_SECRET)) {
    console.log("skipped: set DHIS2_OAUTH_CLIENT_ID + DHIS2_OAUTH_CLIENT_SECRET to run it against DHIS2_URL");
    return;
  }
  const emu = DHIS2_URL ? undefined : await startLocalEmulator({ seed: "empty" });
  const baseUrl = DHIS2_URL ?? emu!.url;
  const clientId = DHIS2_OAUTH_CLIENT_ID ?? "dhis2w-demo";
  const clientSecret = DHIS2_OAUTH_CLIENT_SECRET ?? "dhis2w-demo-secret";
  const project = mkdtempSync(path.join(tmpdir(), "d2w-direct-oauth2-"));
  const key = "my-oauth-profile";
  try {
    const store = tokenStoreForScope("project", { start: project });
    // What `d2w profile login` would have stored; here the client-credentials grant.
    if (!(await store.get(key))) {
      await store.set(
        key,
        await loginWithClientCredentials({ baseUrl, clientId, clientSecret, profileName: key }),
      );
    }
    const token = await store.get(key);
    if (!token) throw new Error("the token store returned nothing");
    console.log(
      `token for "${key}" from the project token store, valid until ${new Date(token.expiresAt).toISOString()}`,
    );

    const auth = new OAuth2Auth({
      token,
      tokenStore: store,
      tokenKey: key,
      tokenUrl: tokenUrlFor(baseUrl), // <baseUrl>/oauth2/token
      clientId,
      clientSecret,
      clientCredentials: true, // no refresh token: renew with the client-credentials grant
    });
    await using client = await Dhis2Client.open({ baseUrl, auth });
    const me = await client.system.me();
    console.log(`DHIS2 ${client.rawVersion}: logged in as ${me.username} with an OAuth2Auth built by hand`);
    console.log(`JSON.stringify(auth) keeps the secrets out: ${JSON.stringify(auth) ?? "undefined"}`);
  } finally {
    rmSync(project, { recursive: true, force: true });
    await emu?.close();
  }
}

runIfMain(import.meta.url, main);
