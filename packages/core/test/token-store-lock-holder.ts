/**
 * Takes the refresh lock of a profile and then hangs inside the refresh, like a process killed
 * between "got the lock" and "saved the new token" (token-store.test.ts kills it with SIGKILL).
 */
import { SqliteTokenStore } from "@dhis2w/core";

const store = new SqliteTokenStore({
  path: process.env.DB!,
  scope: "project",
  lockTtlMs: Number(process.env.TTL),
});
void store.refreshLocked(process.env.PROFILE!, async () => {
  process.stdout.write("locked\n");
  return new Promise(() => undefined); // never finishes
});
setInterval(() => undefined, 1_000);
