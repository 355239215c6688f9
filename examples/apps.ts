/**
 * Apps: builds an app bundle (a zip with `manifest.webapp`) in memory, installs it, lists the
 * installed apps, uninstalls it; a zip without a manifest is refused with a typed error that says
 * what an app zip needs.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/apps.ts
 */
import { AppInstallError, openClient } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";
import { storedZip } from "./_zip.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const manifest = {
      name: "dhis2w Example App",
      version: "1.0.0",
      launch_path: "index.html",
      appType: "APP",
    };
    const bundle = storedZip([
      ["manifest.webapp", JSON.stringify(manifest)],
      ["index.html", "<!doctype html><title>dhis2w</title><p>Hello from dhis2w</p>"],
    ]);
    const app = await client.apps.install(bundle, { filename: "dhis2w-example-app.zip" });
    console.log(`installed ${app?.key} ${app?.version ?? ""} at ${app?.launchUrl ?? app?.baseUrl ?? "?"}`);
    const apps = await client.apps.list();
    console.log(`installed apps: ${apps.map((a) => a.key).join(", ")}`);
    await client.apps.uninstall(app?.key ?? "dhis2w-Example-App");
    console.log("uninstalled");

    try {
      await client.apps.install(storedZip([["index.html", "<p>no manifest</p>"]]), { filename: "site.zip" });
    } catch (e) {
      if (!(e instanceof AppInstallError)) throw e;
      console.log(`refused: ${e.message}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
