/**
 * One process of the read-only token store test (token-store-errors.test.ts), run as a user who
 * may read but not write the store: reads the token of PROFILE from DB, then tries to write one,
 * and prints one JSON line `{ get, set }` (the access token read, or the error's problem, message
 * and class). The tokens are the test's own dummies.
 */
import { Dhis2ClientError } from "@dhis2w/client";
import { SqliteTokenStore } from "@dhis2w/core";

const { DB, PROFILE } = process.env as Record<string, string>;
const store = new SqliteTokenStore({ path: DB!, scope: "project" });
const outcome = async (fn: () => Promise<unknown>) => {
  try {
    return { ok: await fn() };
  } catch (error) {
    return {
      error: {
        name: (error as Error).name,
        isTokenStoreError: error instanceof Dhis2ClientError && error.name === "TokenStoreError",
        problem: (error as { problem?: string }).problem,
        message: (error as Error).message,
      },
    };
  }
};
const get = await outcome(async () => (await store.get(PROFILE!))?.accessToken ?? null);
const set = await outcome(() =>
  store.set(PROFILE!, { accessToken: "at-new", refreshToken: "rt-new", expiresAt: Date.now() + 60_000 }),
);
store.close();
process.stdout.write(`${JSON.stringify({ get, set })}\n`);
