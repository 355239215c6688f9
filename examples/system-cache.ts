/**
 * Tutorial section "System cache": `client.system` keeps a TTL cache (default 300 000 ms) for the
 * reads scripts repeat: `info()` is primed by the connect handshake (free), the default category
 * combo UID is fetched once, `setting(key)` is cached per key, and `invalidateCache()` drops all
 * or one entry. Each step is timed; against the embedded emulator the server hits are counted
 * with `emu.stats` too. `systemCacheTtlMs: null` turns the cache off.
 *
 * Runs against DHIS2_URL (+ credentials) when set (timings only), else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/system-cache.ts
 */
import { openClient } from "@dhis2w/client";
import { localTarget } from "./_emulator.js";
import { runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await localTarget();
  const { emu } = target;
  const hits = (path: string) => (emu ? `, server hits so far: ${emu.stats.count(path)}` : "");
  async function timed<T>(label: string, path: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const value = await fn();
    const ms = (performance.now() - started).toFixed(2);
    console.log(`  ${label.padEnd(44)} ${ms.padStart(7)} ms${hits(path)}`);
    return value;
  }
  try {
    emu?.stats.reset();
    await using client = await openClient(target.profile);
    console.log(`connected to DHIS2 ${client.rawVersion}`);

    const info = await timed("system.info() (primed by connect)", "/api/system/info", () =>
      client.system.info(),
    );
    console.log(`    version ${info.version}`);
    const cc = await timed("defaultCategoryComboUid() 1st", "/api/categoryCombos", () =>
      client.system.defaultCategoryComboUid(),
    );
    await timed("defaultCategoryComboUid() 2nd (cached)", "/api/categoryCombos", () =>
      client.system.defaultCategoryComboUid(),
    );
    console.log(`    default category combo: ${cc}`);
    const settingPath = "/api/systemSettings/applicationTitle";
    const title = await timed('setting("applicationTitle") 1st', settingPath, () =>
      client.system.setting("applicationTitle"),
    );
    await timed('setting("applicationTitle") 2nd (cached)', settingPath, () =>
      client.system.setting("applicationTitle"),
    );
    console.log(`    applicationTitle: ${JSON.stringify(title)}`);

    client.system.invalidateCache({ key: "setting:applicationTitle" });
    await timed("setting() after invalidateCache({ key })", settingPath, () =>
      client.system.setting("applicationTitle"),
    );
    client.system.invalidateCache();
    await timed("info() after invalidateCache()", "/api/system/info", () => client.system.info());
    await timed("defaultCategoryComboUid() after invalidate", "/api/categoryCombos", () =>
      client.system.defaultCategoryComboUid(),
    );

    console.log("with systemCacheTtlMs: null (no cache):");
    await using uncached = await openClient(target.profile, { systemCacheTtlMs: null });
    for (const n of [1, 2]) {
      await timed(`defaultCategoryComboUid() call ${n}`, "/api/categoryCombos", () =>
        uncached.system.defaultCategoryComboUid(),
      );
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
