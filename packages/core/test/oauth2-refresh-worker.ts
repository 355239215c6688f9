/**
 * One OS process of the concurrent-refresh test (oauth2-multiprocess.test.ts): opens the shared
 * SQLite token store, says "ready" and waits for the parent's "go" on stdin (so that all ten
 * collide), lets OAuth2Auth refresh the expired token,
 * then calls GET /api/me with it. Then prints one JSON line: { status, username }. Never prints a token.
 */
import { OAuth2Auth, tokenUrlFor } from "@dhis2w/client";
import { SqliteTokenStore } from "@dhis2w/core";

const { DB, EMU_URL, PROFILE } = process.env as Record<string, string>;
const store = new SqliteTokenStore({ path: DB!, scope: "project", pollIntervalMs: 10 });
const token = await store.get(PROFILE!);
if (!token) throw new Error("no token stored");
const auth = new OAuth2Auth({
  token,
  tokenStore: store,
  tokenKey: PROFILE,
  tokenUrl: tokenUrlFor(EMU_URL!),
  clientId: "dhis2w-demo",
  clientSecret: "dhis2w-demo-secret",
});
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
process.stdin.destroy();
const res = await fetch(`${EMU_URL}/api/me`, { headers: await auth.headers() });
const body = (await res.json()) as { username?: string };
process.stdout.write(`${JSON.stringify({ status: res.status, username: body.username })}\n`);
store.close();
