/**
 * Tutorial section "When to skip profiles (direct-client path)": drive `Dhis2Client` with an auth
 * provider, no `Profile` and no `@dhis2w/core` (a downstream SDK, a Lambda handler, a test
 * fixture). Three forms:
 *   - `new Dhis2Client({ baseUrl, auth: new PatAuth({ token }) })` then `await client.connect()`;
 *   - `await using client = await Dhis2Client.open({ ... })` (connects, closes at scope end);
 *   - `version: "v42"` to pin the bound version whatever the server reports.
 *
 * Runs against DHIS2_URL with DHIS2_PAT and/or DHIS2_USERNAME + DHIS2_PASSWORD when set, else an
 * embedded emulator (where it mints a PAT first):
 *
 *   npx tsx --conditions=source examples/direct-client.ts
 */
import { BasicAuth, Dhis2Client, PatAuth } from "@dhis2w/client";
import { createPat } from "@dhis2w/core";
import { localTarget } from "./_emulator.js";
import { runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await localTarget();
  const { baseUrl } = target.profile;
  try {
    let token = target.profile.auth === "pat" ? target.profile.token : process.env.DHIS2_PAT;
    if (target.emu)
      token = (await createPat({ url: baseUrl, adminUser: "admin", adminPassword: "district" })).key;

    // PAT, constructed then connected explicitly; close() when done.
    if (token) {
      const client = new Dhis2Client({ baseUrl, auth: new PatAuth({ token }) });
      try {
        console.log(`constructed (connected: ${client.connected}); connecting...`);
        await client.connect();
        const me = await client.system.me();
        console.log(`PAT: DHIS2 ${client.rawVersion} (${client.versionKey}), logged in as ${me.username}`);
      } finally {
        await client.close();
      }
    } else {
      console.log("PAT: skipped (set DHIS2_PAT)");
    }

    // Basic (dev only), with `await using`: connected by open(), closed when the block ends.
    if (target.profile.auth === "basic") {
      const auth = new BasicAuth({ username: target.profile.username!, password: target.profile.password! });
      {
        await using client = await Dhis2Client.open({ baseUrl, auth });
        console.log(`Basic: logged in as ${(await client.system.me()).username}`);
      }
      // Pinning: the v42 accessors whatever the server reports (the tutorial's last table row).
      await using pinned = await Dhis2Client.open({ baseUrl, auth, version: "v42" });
      console.log(`pinned: server ${pinned.rawVersion}, bound ${pinned.versionKey}`);
      const des = await pinned.resources.dataElements.list({ fields: "id,name", pageSize: 2 });
      console.log(`  typed v42 accessor: ${des.map((d) => d.name).join(", ")}`);
    } else {
      console.log("Basic: skipped (set DHIS2_USERNAME + DHIS2_PASSWORD)");
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
