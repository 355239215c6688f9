/**
 * `d2w datastore get|set|list|delete` and `d2w settings get|set`, in-process through `run(argv,
 * io)` against the emulator on each version.
 */
import { writeFileSync } from "node:fs";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessCli } from "./support/in-process.js";

describe.each(["v41", "v42", "v43"] as const)("d2w datastore and d2w settings on %s", (version) => {
  let emu: RunningEmulator;
  const cli = new InProcessCli();
  const district = { DHIS2_USERNAME: "district" };

  beforeAll(async () => {
    emu = await startEmulator({ version, seed: "empty" });
    cli.env = { DHIS2_URL: emu.url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
  });
  afterAll(async () => {
    await emu?.close();
    cli.dispose();
  });

  /** The bytes the server sends for a data store path. */
  async function serverText(path: string): Promise<string> {
    const res = await fetch(`${emu.url}${path}`, {
      headers: { Authorization: `Basic ${Buffer.from("admin:district").toString("base64")}` },
    });
    return res.text();
  }

  it("set reads the value from a file, standard input or --value; get prints DHIS2's bytes exactly", async () => {
    const file = cli.path("config.json");
    writeFileSync(file, '{\n  "theme": "dark",\n  "sizes": [10, 20]\n}\n');
    const fromFile = await cli.run(["datastore", "set", "my-app", "config", file]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toBe("created my-app/config in the data store\n");

    const got = await cli.run(["datastore", "get", "my-app", "config"]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toBe(await serverText("/api/dataStore/my-app/config"));
    expect(got.stdout).toBe('{"sizes": [10, 20], "theme": "dark"}');

    const piped = await cli.run(["datastore", "set", "my-app", "config"], {}, { stdin: '{"theme":"light"}' });
    expect(piped.stdout).toBe("replaced my-app/config in the data store\n");
    const inline = await cli.run(["datastore", "set", "my-app", "count", "--value", "42"]);
    expect(inline.code, inline.stderr).toBe(0);

    const json = await cli.run(["--json", "datastore", "get", "my-app", "config"]);
    expect(JSON.parse(json.stdout)).toEqual({
      namespace: "my-app",
      key: "config",
      value: { theme: "light" },
    });
  });

  it("list shows the namespaces, or a namespace's keys; --json prints the array", async () => {
    await cli.run(["datastore", "set", "listing", "a", "--value", "1"]);
    await cli.run(["datastore", "set", "listing", "b", "--value", "2"]);
    const namespaces = await cli.run(["datastore", "list"]);
    expect(namespaces.stdout.split("\n")).toContain("listing");
    const keys = await cli.run(["datastore", "list", "listing"]);
    expect(keys.stdout).toBe("a\nb\n");
    const json = await cli.run(["--json", "datastore", "list", "listing"]);
    expect(JSON.parse(json.stdout)).toEqual(["a", "b"]);
  });

  it("delete removes a key, --all a namespace; deleting what is not there exits 1", async () => {
    await cli.run(["datastore", "set", "trash", "a", "--value", "1"]);
    await cli.run(["datastore", "set", "trash", "b", "--value", "2"]);
    const one = await cli.run(["datastore", "delete", "trash", "a"]);
    expect(one.stdout).toBe("deleted trash/a from the data store\n");
    const again = await cli.run(["datastore", "delete", "trash", "a"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("d2w: nothing to delete: no trash/a in the data store\n");
    const all = await cli.run(["--json", "datastore", "delete", "trash", "--all"]);
    expect(JSON.parse(all.stdout)).toEqual({ namespace: "trash", key: null, deleted: true });
    expect((await cli.run(["datastore", "delete", "trash"])).code).toBe(2);
  });

  it("--user works on the user's own store, apart from the shared one and from other users", async () => {
    await cli.run(["datastore", "set", "prefs", "theme", "--value", '"dark"', "--user"]);
    await cli.run(["datastore", "set", "prefs", "theme", "--value", '"light"', "--user"], district);
    expect((await cli.run(["datastore", "get", "prefs", "theme", "--user"])).stdout).toBe('"dark"');
    expect((await cli.run(["datastore", "get", "prefs", "theme", "--user"], district)).stdout).toBe(
      '"light"',
    );
    const theirs = await cli.run(["datastore", "get", "prefs", "theme", "--user", "--username", "district"]);
    expect(theirs.stdout).toBe('"light"');
    const shared = await cli.run(["datastore", "get", "prefs", "theme"]);
    expect(shared.code).toBe(1);
    expect(shared.stderr).toBe('d2w: no key "theme" in namespace "prefs" of the data store\n');
  });

  it("refuses a key DHIS2 cannot take (exit 2) and a file that is not JSON (exit 1), before any data store request", async () => {
    // Connecting (/api/system/info) tells the version whose naming rules apply; nothing else is sent.
    const storeRequests = () =>
      emu.stats.requests().filter((r) => r.path.startsWith("/api/dataStore")).length;
    const before = storeRequests();
    const badKey = await cli.run(["datastore", "set", "app", "a/b", "--value", "1"]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/^d2w: dataStore\.set: key "a\/b" contains "\/" at position 1/);
    const file = cli.path("broken.json");
    writeFileSync(file, "{ not json");
    const badFile = await cli.run(["datastore", "set", "app", "k", file]);
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toMatch(
      new RegExp(`^d2w: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not JSON`),
    );
    const nothing = await cli.run(["datastore", "set", "app", "k"]);
    expect(nothing.code).toBe(2);
    expect(storeRequests()).toBe(before);
  });

  it("settings get prints one setting or all; set writes, reads back, --reset restores the default", async () => {
    const one = await cli.run(["settings", "get", "applicationTitle"]);
    expect(one.stdout).toBe("DHIS 2\n");
    const set = await cli.run(["settings", "set", "applicationTitle", "Sierra Leone HMIS"]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe("applicationTitle: Sierra Leone HMIS\n");
    const port = await cli.run(["--json", "settings", "set", "keyEmailPort", "2525"]);
    expect(JSON.parse(port.stdout)).toEqual({ keyEmailPort: 2525 });
    const all = await cli.run(["--json", "settings", "get"]);
    expect(JSON.parse(all.stdout)).toMatchObject({
      applicationTitle: "Sierra Leone HMIS",
      keyEmailPort: 2525,
    });
    const table = await cli.run(["settings", "get"]);
    expect(table.stdout).toMatch(/^applicationTitle: +Sierra Leone HMIS$/m);
    const reset = await cli.run(["settings", "set", "applicationTitle", "--reset"]);
    expect(reset.stdout).toBe("applicationTitle: DHIS 2\n");
    const unknown = await cli.run(["settings", "set", "keyNoSuchThing", "x"]);
    expect(unknown.code).toBe(1);
  });
});
