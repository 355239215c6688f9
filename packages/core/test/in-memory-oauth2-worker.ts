/**
 * One process of the in-memory OAuth2 test (client-context-profiles.test.ts): opens an OAuth2
 * client-credentials profile built in memory, with `{ profileName: "svc" }` when MODE is `named`,
 * makes a few calls and prints one JSON line `{ usernames }`. Its HOME, XDG_CONFIG_HOME and cwd
 * are a temp folder the test inspects afterwards. Never prints a token.
 */
import { Profile } from "@dhis2w/client";
import { openClient } from "@dhis2w/core";

const { EMU_URL, MODE } = process.env as Record<string, string>;
const profile = Profile.parse({
  baseUrl: EMU_URL,
  auth: "oauth2",
  clientId: "dhis2w-demo",
  clientSecret: "dhis2w-demo-secret",
});
const usernames: (string | undefined)[] = [];
{
  await using client = await openClient(profile, MODE === "named" ? { profileName: "svc" } : {});
  for (let i = 0; i < 3; i++) usernames.push((await client.system.me()).username);
}
process.stdout.write(`${JSON.stringify({ usernames })}\n`);
