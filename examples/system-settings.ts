/**
 * System settings: `client.system.settings()` reads every setting the server lists (with DHIS2's
 * defaults), `setSetting(key, value)` writes one (DHIS2 checks its type) and drops the cached
 * `setting(key)`, and `null` puts a setting back to its default.
 *
 * Runs against DHIS2_URL (+ credentials) when set (it changes applicationTitle and puts it back),
 * else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/system-settings.ts
 */
import { Dhis2ApiError, openClient } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const all = await client.system.settings();
    console.log(`DHIS2 ${client.rawVersion} lists ${Object.keys(all).length} system settings`);
    for (const key of ["applicationTitle", "keyUiLocale", "keyAnalysisRelativePeriod", "keyEmailPort"]) {
      console.log(`  ${key.padEnd(28)} ${JSON.stringify(all[key])}`);
    }

    const before = await client.system.setting("applicationTitle"); // cached from here on
    await client.system.setSetting("applicationTitle", "dhis2w example HMIS");
    console.log(
      `applicationTitle: ${JSON.stringify(before)} -> ${JSON.stringify(await client.system.setting("applicationTitle"))}`,
    );
    // On the emulator: back to the default; on a real server: back to the title it had.
    await client.system.setSetting(
      "applicationTitle",
      target.embedded || typeof before !== "string" ? null : before,
    );
    console.log(`restored: ${JSON.stringify(await client.system.setting("applicationTitle"))}`);

    try {
      await client.system.setSetting("keyEmailPort", "not a number");
    } catch (e) {
      if (!(e instanceof Dhis2ApiError)) throw e;
      console.log(`DHIS2 refused a value of the wrong type: HTTP ${e.statusCode} ${e.serverMessage}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
