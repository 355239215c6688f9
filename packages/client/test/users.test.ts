/**
 * `client.users` against the emulator (in process, `emu.fetch`) on each version: list and look
 * up, org unit scopes, group membership, disable/enable, and the input the client refuses (bad
 * UIDs before any request; users, groups and org units that do not exist, named).
 */
import {
  BasicAuth,
  Dhis2Client,
  InvalidUidError,
  ObjectNotFoundError,
  type UserSummary,
  UsersInputError,
} from "@dhis2w/client";
import { createEmulator, DEMO_USERS, type Emulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const open = (emu: Emulator, username: string, password = "district") =>
  Dhis2Client.open({ baseUrl: emu.url, fetch: emu.fetch, auth: new BasicAuth({ username, password }) });

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe.each(["v41", "v42", "v43"] as const)("client.users on %s", (version) => {
  let emu: Emulator;
  let admin: Dhis2Client;
  let group: string;

  beforeAll(async () => {
    emu = await createEmulator({ version, seed: "demo" });
    admin = await open(emu, "admin");
    group = await admin.resources.userGroups.create({ name: "Data managers" });
  });
  afterAll(async () => {
    await admin?.close();
    await emu?.close();
  });

  it("list pages through every user; query narrows it", async () => {
    const users = await all(admin.users.list({ pageSize: 1 }));
    const names = users.map((u) => u.username);
    // Every account, one page each, by username (the seed may hold more than these two).
    expect(names).toHaveLength(emu.state.users.all().length);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["admin", "district"]));
    const district = users.find((u) => u.username === "district") as UserSummary;
    expect(district).toMatchObject({ id: DEMO_USERS.district.id, disabled: false, name: "Ama Mensah" });
    expect(district.organisationUnits).toEqual([emu.demo!.regions[0]]);
    expect((await all(admin.users.list({ query: "Mensah" }))).map((u) => u.username)).toEqual(["district"]);
  });

  it("get finds a user by username or UID; an unknown one is an ObjectNotFoundError", async () => {
    expect((await admin.users.get("district")).id).toBe(DEMO_USERS.district.id);
    expect((await admin.users.get(DEMO_USERS.district.id)).username).toBe("district");
    const err = await admin.users.get("nobody").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ObjectNotFoundError);
    expect((err as ObjectNotFoundError).message).toBe("users.get: user nobody does not exist on the server");
    await expect(admin.users.get(" ")).rejects.toBeInstanceOf(UsersInputError);
  });

  it("assignOrganisationUnits adds to each list given, or replaces it; untouched lists stay", async () => {
    const { regions, districts } = emu.demo!;
    const id = DEMO_USERS.district.id;
    const added = await admin.users.assignOrganisationUnits(id, {
      capture: [regions[1]!],
      search: [districts[0]!],
    });
    expect(added).toMatchObject({
      user: id,
      capture: [regions[0], regions[1]],
      view: [regions[0]],
      search: [regions[0], districts[0]],
      changed: ["capture", "search"],
      // Not the connected user: its caches are left alone.
      cacheCleared: false,
    });
    const stored = await admin.users.get(id);
    expect(stored.organisationUnits).toEqual([regions[0], regions[1]]);
    expect(stored.teiSearchOrganisationUnits).toEqual([regions[0], districts[0]]);

    const again = await admin.users.assignOrganisationUnits(id, { capture: [regions[1]!] });
    expect(again.changed).toEqual([]);
    const replaced = await admin.users.assignOrganisationUnits(
      id,
      { capture: [regions[0]!], search: [] },
      { replace: true },
    );
    expect(replaced.changed).toEqual(["capture", "search"]);
    expect(await admin.users.get(id)).toMatchObject({
      organisationUnits: [regions[0]],
      dataViewOrganisationUnits: [regions[0]],
      teiSearchOrganisationUnits: [],
    });
  });

  it("refuses bad UIDs before any request, and names org units and users that do not exist", async () => {
    const before = emu.stats.total;
    const bad = await admin.users
      .assignOrganisationUnits(DEMO_USERS.district.id, { capture: [emu.demo!.root, "not-a-uid"] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidUidError);
    expect(bad).toMatchObject({ field: "capture[1]", value: "not-a-uid" });
    expect((bad as Error).message).toMatch(
      /^users\.assignOrganisationUnits: capture\[1\] "not-a-uid" is not a DHIS2 UID/,
    );
    await expect(admin.users.disable("x")).rejects.toBeInstanceOf(InvalidUidError);
    await expect(admin.users.addToGroup(DEMO_USERS.admin.id, "bad group")).rejects.toMatchObject({
      field: "groupUid",
    });
    await expect(admin.users.assignOrganisationUnits(DEMO_USERS.admin.id, {})).rejects.toBeInstanceOf(
      UsersInputError,
    );
    expect(emu.stats.total).toBe(before);

    const missingUnit = await admin.users
      .assignOrganisationUnits(DEMO_USERS.district.id, { capture: ["NoSuchUnit1", emu.demo!.root] })
      .catch((e: unknown) => e);
    expect(missingUnit).toBeInstanceOf(ObjectNotFoundError);
    expect(missingUnit).toMatchObject({ type: "organisationUnit", ids: ["NoSuchUnit1"] });
    // Nothing was written.
    expect((await admin.users.get("district")).organisationUnits).toEqual([emu.demo!.regions[0]]);
    await expect(
      admin.users.assignOrganisationUnits("NoSuchUser1", { capture: [emu.demo!.root] }),
    ).rejects.toMatchObject({
      type: "user",
      ids: ["NoSuchUser1"],
    });
  });

  it("addToGroup and removeFromGroup say whether anything changed", async () => {
    const id = DEMO_USERS.district.id;
    expect(await admin.users.addToGroup(id, group)).toEqual({ changed: true });
    expect(await admin.users.addToGroup(id, group)).toEqual({ changed: false });
    expect((await admin.users.get(id)).userGroups).toEqual([group]);
    expect(await admin.users.removeFromGroup(id, group)).toEqual({ changed: true });
    expect(await admin.users.removeFromGroup(id, group)).toEqual({ changed: false });
    expect((await admin.users.get(id)).userGroups).toEqual([]);
  });

  it("a group or user that does not exist is an ObjectNotFoundError naming it", async () => {
    const noGroup = await admin.users
      .addToGroup(DEMO_USERS.district.id, "NoSuchGrp01")
      .catch((e: unknown) => e);
    expect(noGroup).toBeInstanceOf(ObjectNotFoundError);
    expect((noGroup as Error).message).toBe(
      "users.addToGroup: userGroup NoSuchGrp01 does not exist on the server",
    );
    // DHIS2 answers 200 and ignores an unknown member; the empty report gives it away.
    const noUser = await admin.users.removeFromGroup("NoSuchUser1", group).catch((e: unknown) => e);
    expect(noUser).toMatchObject({ type: "user", ids: ["NoSuchUser1"], op: "users.removeFromGroup" });
    await expect(admin.users.disable("NoSuchUser1")).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it("disable locks the account out; enable lets it back in", async () => {
    const id = DEMO_USERS.district.id;
    expect(await admin.users.disable(id)).toEqual({ changed: true });
    expect(await admin.users.disable(id)).toEqual({ changed: false });
    await expect(open(emu, "district")).rejects.toMatchObject({ statusCode: 401 });
    expect((await admin.users.get(id)).disabled).toBe(true);
    expect(await admin.users.enable(id)).toEqual({ changed: true });
    const district = await open(emu, "district");
    expect((await district.system.me()).username).toBe("district");
    await district.close();
  });

  it("every method takes a signal", async () => {
    const aborted = AbortSignal.abort(new Error("stop"));
    await expect(admin.users.get("admin", { signal: aborted })).rejects.toThrow("stop");
    await expect(admin.users.enable(DEMO_USERS.district.id, { signal: aborted })).rejects.toThrow("stop");
    await expect(all(admin.users.list({ signal: aborted }))).rejects.toThrow("stop");
  });
});
