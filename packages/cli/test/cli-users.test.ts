/**
 * `d2w user ...`, `d2w sharing get|set` and `d2w org-unit ...`, in-process through `run(argv,
 * io)` against the emulator (demo seed) on each version: text and `--json` output, usernames or
 * UIDs, and exit codes (2 for input refused before any request, 1 for what the server lacks).
 */
import { DEMO_USERS, type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessCli } from "./support/in-process.js";

describe.each(["v41", "v42", "v43"] as const)("d2w user, sharing and org-unit on %s", (version) => {
  let emu: RunningEmulator;
  const cli = new InProcessCli();

  beforeAll(async () => {
    emu = await startEmulator({ version, seed: "demo" });
    cli.env = { DHIS2_URL: emu.url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
  });
  afterAll(async () => {
    await emu?.close();
    cli.dispose();
  });

  const json = async (argv: string[]) => {
    const r = await cli.run(["--json", ...argv]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  it("user list prints a table; --json the users", async () => {
    const r = await cli.run(["user", "list"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^USERNAME\s+ID\s+NAME\s+DISABLED\s+CAPTURE\s+VIEW\s+GROUPS$/);
    expect(lines.find((l) => l.startsWith("admin "))).toMatch(
      new RegExp(`^admin\\s+${DEMO_USERS.admin.id}\\s+John Traore\\s+${emu.demo!.root}`),
    );
    const users = await json(["user", "list", "--query", "Mensah"]);
    expect(users).toEqual([expect.objectContaining({ username: "district", id: DEMO_USERS.district.id })]);
    const limited = await cli.run(["user", "list", "--limit", "1"]);
    expect(limited.stderr).toContain("(first 1 users; raise --limit for more)");
  });

  it("user assign-org-units takes a username or a UID, adds or replaces", async () => {
    const { regions, districts } = emu.demo!;
    const r = await cli.run([
      "user",
      "assign-org-units",
      "district",
      "--capture",
      regions[1]!,
      "--search",
      districts[0]!,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `capture: ${regions[0]}, ${regions[1]} (changed)\nview: ${regions[0]}\nsearch: ${regions[0]}, ${districts[0]} (changed)\n`,
    );
    const replaced = await json([
      "user",
      "assign-org-units",
      DEMO_USERS.district.id,
      "--capture",
      regions[0]!,
      "--replace",
    ]);
    expect(replaced).toMatchObject({
      username: "district",
      capture: [regions[0]],
      changed: ["capture"],
      cacheCleared: false,
    });
    const same = await cli.run(["user", "assign-org-units", "district", "--capture", regions[0]!]);
    expect(same.stderr).toContain("district had these org units already; nothing changed");
  });

  it("user assign-org-units on yourself clears the server's caches, unless --no-clear-cache", async () => {
    const r = await cli.run(["user", "assign-org-units", "admin", "--capture", emu.demo!.regions[2]!]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "server caches cleared: the new capture scope applies to your next data write",
    );
    const kept = await json([
      "user",
      "assign-org-units",
      "admin",
      "--capture",
      emu.demo!.regions[3]!,
      "--no-clear-cache",
    ]);
    expect(kept.cacheCleared).toBe(false);
  });

  it("user add-to-group / remove-from-group by group name or UID; disable / enable", async () => {
    const created = await fetch(`${emu.url}/api/userGroups`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from("admin:district").toString("base64")}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ name: "Data managers" }),
    });
    const group = ((await created.json()) as { response: { uid: string } }).response.uid;
    const added = await cli.run(["user", "add-to-group", "district", "Data managers"]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe(`district added to group ${group}\n`);
    expect((await cli.run(["user", "add-to-group", "district", group])).stdout).toBe(
      `district was already a member of group ${group}; nothing changed\n`,
    );
    expect(await json(["user", "remove-from-group", "district", group])).toEqual({
      user: DEMO_USERS.district.id,
      group,
      changed: true,
    });
    expect((await cli.run(["user", "disable", "district"])).stdout).toBe("district disabled\n");
    const locked = await cli.run(["system", "me"], { DHIS2_USERNAME: "district" });
    expect(locked.code).toBe(1);
    expect((await cli.run(["user", "enable", "district"])).stdout).toBe("district enabled\n");
    expect(await json(["user", "enable", "district"])).toMatchObject({
      username: "district",
      changed: false,
      disabled: false,
    });
  });

  it("exit 2 for input refused before any request, 1 for users, groups and units the server lacks", async () => {
    const noLists = await cli.run(["user", "assign-org-units", "admin"]);
    expect(noLists.code).toBe(2);
    expect(noLists.stderr).toBe("d2w: user assign-org-units: give --capture, --view or --search\n");
    const badUid = await cli.run(["user", "assign-org-units", "admin", "--capture", "oops"]);
    expect(badUid.code).toBe(2);
    expect(badUid.stderr).toMatch(/capture\[0\] "oops" is not a DHIS2 UID/);
    const nobody = await cli.run(["user", "disable", "nobody"]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toBe("d2w: users.get: user nobody does not exist on the server\n");
    const noGroup = await cli.run(["user", "add-to-group", "district", "No such group"]);
    expect(noGroup.code).toBe(1);
    expect(noGroup.stderr).toContain("userGroup No such group does not exist");
    const noUnit = await cli.run(["user", "assign-org-units", "district", "--capture", "NoSuchUnit1"]);
    expect(noUnit.code).toBe(1);
    expect(noUnit.stderr).toContain("organisationUnit NoSuchUnit1 does not exist on the server");
  });

  it("sharing get and set, access strings checked", async () => {
    const ds = emu.demo!.dataSet;
    const shown = await cli.run(["sharing", "get", "dataSet", ds]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toBe(
      "public:   rw------\nexternal: false\nowner:    (none)\n\n(no user or group access)\n",
    );
    const set = await json([
      "sharing",
      "set",
      "dataSet",
      ds,
      "--public",
      "r-r-----",
      "--user",
      `${DEMO_USERS.district.id}:rwrw----`,
    ]);
    expect(set).toMatchObject({
      type: "dataSet",
      id: ds,
      public: "r-r-----",
      owner: DEMO_USERS.admin.id,
      users: [{ id: DEMO_USERS.district.id, access: "rwrw----", name: "Ama Mensah" }],
    });
    const table = await cli.run(["sharing", "get", "dataSets", ds]);
    expect(table.stdout).toMatch(new RegExp(`user\\s+${DEMO_USERS.district.id}\\s+rwrw----\\s+Ama Mensah`));
    const cleared = await json(["sharing", "set", "dataSet", ds, "--clear-users"]);
    expect(cleared.users).toEqual([]);
    const bad = await cli.run(["sharing", "set", "dataSet", ds, "--public", "rwx-----"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/public: "rwx-----" is not a DHIS2 access string: character 3 \(data read\)/);
    const unshareable = await cli.run(["sharing", "get", "organisationUnit", emu.demo!.root]);
    expect(unshareable.code).toBe(2);
    expect((await cli.run(["sharing", "set", "dataSet", ds])).code).toBe(2);
    expect((await cli.run(["sharing", "set", "dataSet", ds, "--user", "nocolon"])).stderr).toContain(
      "--user takes UID:ACCESS",
    );
  });

  it("org-unit children, ancestors, descendants (streamed) and levels", async () => {
    const { root, regions, districts, facilities } = emu.demo!;
    const kids = await cli.run(["org-unit", "children", root]);
    expect(kids.code, kids.stderr).toBe(0);
    expect(kids.stdout.split("\n")[0]).toMatch(/^LEVEL\s+ID\s+NAME$/);
    expect(kids.stdout).toContain("Northern Region");
    const trail = await json(["org-unit", "ancestors", facilities[0]!]);
    expect(trail.map((o: { id: string }) => o.id)).toEqual([root, regions[0], districts[0]]);
    const level4 = await json(["org-unit", "descendants", root, "--level", "4"]);
    expect(level4).toHaveLength(facilities.length);
    const text = await cli.run(["org-unit", "descendants", regions[0]!]);
    expect(text.stdout.trimEnd().split("\n")).toHaveLength(1 + 3 + 12);
    const fields = await cli.run(["org-unit", "descendants", districts[0]!, "--fields", "code"]);
    expect(JSON.parse(fields.stdout.split("\n")[0]!)).toMatchObject({ level: 4, code: expect.any(String) });
    const levels = await cli.run(["org-unit", "levels"]);
    expect(levels.stdout).toMatch(/^LEVEL\s+NAME\s+ID\n-+\s+-+\s+-+\n1\s+\S/);
    expect(await json(["org-unit", "levels"])).toHaveLength(4);
    expect((await cli.run(["org-unit", "children", "NoSuchUnit1"])).code).toBe(1);
  });
});
