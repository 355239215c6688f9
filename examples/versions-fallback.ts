/**
 * Tutorial section "Versions + fallback": on connect the client reads `/api/system/info`, maps the
 * version to a generated module (v41, v42, v43) and binds it. A version without one throws
 * `UnsupportedVersionError` unless `allowVersionFallback` is set (then the highest supported
 * version not newer than the server's is used); `version: "v41"` pins a version whatever the
 * server reports.
 *
 * Against the embedded emulator it starts one that claims to be DHIS2 2.44.0 to show the error and
 * the fallback. Against a real server (DHIS2_URL set) it skips that part with a note and shows the
 * handshake and the pin.
 *
 *   npx tsx --conditions=source examples/versions-fallback.ts
 */
import { Dhis2Client, openClient, parseDhis2Version, UnsupportedVersionError } from "@dhis2w/client";
import { localTarget, startLocalEmulator } from "./_emulator.js";
import { runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await localTarget();
  try {
    // The normal handshake.
    {
      await using client = await openClient(target.profile);
      console.log(`server reports ${client.rawVersion} -> versionKey ${client.versionKey}`);
      console.log(`  parsed: ${JSON.stringify(parseDhis2Version(client.rawVersion))}`);
    }

    // A pin: the accessors of v41, whatever the server says (the info is still read).
    {
      await using pinned = await openClient(target.profile, { version: "v41" });
      console.log(`pinned: server ${pinned.rawVersion}, bound versionKey ${pinned.versionKey}`);
    }

    if (!target.emu) {
      console.log("unsupported-version demo skipped: it needs the embedded emulator (unset DHIS2_URL)");
      return;
    }

    // A server newer than any generated module.
    const future = await startLocalEmulator({ versionString: "2.44.0", seed: "empty" });
    try {
      const profile = { ...target.profile, baseUrl: future.url };
      try {
        await using client = await openClient(profile);
        throw new Error(`expected UnsupportedVersionError, got ${client.versionKey}`);
      } catch (error) {
        if (!(error instanceof UnsupportedVersionError)) throw error;
        console.log(`2.44.0 without fallback -> ${error.name}: ${error.message}`);
        console.log(`  rawVersion=${error.rawVersion} supported=${error.supported.join(",")}`);
      }
      await using fallback = await openClient(profile, { allowVersionFallback: true });
      console.log(
        `2.44.0 with allowVersionFallback -> rawVersion ${fallback.rawVersion}, versionKey ${fallback.versionKey}`,
      );

      // The direct-client form of the same knobs.
      await using direct = await Dhis2Client.open({
        baseUrl: future.url,
        auth: fallback.auth,
        version: "v42",
      });
      console.log(`Dhis2Client.open({ version: "v42" }) on 2.44.0 -> versionKey ${direct.versionKey}`);
    } finally {
      await future.close();
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
