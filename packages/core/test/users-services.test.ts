/**
 * The users, sharing and org unit tree services over real HTTP against the emulator, on each
 * version: what `d2w user`, `d2w sharing`, `d2w org-unit` and the MCP tools call. Users by
 * username or UID, groups by UID or name.
 */
import type { Profile } from "@dhis2w/client";
import {
  addUserToGroup,
  assignUserOrganisationUnits,
  findUser,
  getSharing,
  listUsers,
  orgUnitLevels,
  orgUnitTree,
  removeUserFromGroup,
  setSharing,
  setUserDisabled,
} from "@dhis2w/core";
import { DEMO_USERS, type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(["v41", "v42", "v43"] as const)("users, sharing and org unit services on %s", (version) => {
  let emu: RunningEmulator;
  let profile: Profile;
  beforeAll(async () => {
    emu = await startEmulator({ version, seed: "demo" });
    profile = { baseUrl: emu.url, auth: "basic", username: "admin", password: "district" };
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("lists users (capped), finds one by username, assigns org units by username", async () => {
    expect(await listUsers(profile, { limit: 1 })).toMatchObject({
      users: [{ username: "admin" }],
      truncated: true,
    });
    expect((await listUsers(profile)).users.map((u) => u.username)).toEqual(["admin", "district"]);
    expect((await findUser(profile, "district")).id).toBe(DEMO_USERS.district.id);
    const done = await assignUserOrganisationUnits(profile, "district", { view: [emu.demo!.root] });
    expect(done).toMatchObject({ username: "district", user: DEMO_USERS.district.id, changed: ["view"] });
    expect(done.view).toContain(emu.demo!.root);
  });

  it("adds to and removes from a group named by name or UID; disables and enables", async () => {
    const res = await fetch(`${emu.url}/api/userGroups`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from("admin:district").toString("base64")}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ name: "Field team" }),
    });
    const group = ((await res.json()) as { response: { uid: string } }).response.uid;
    expect(await addUserToGroup(profile, "district", "Field team")).toEqual({
      user: DEMO_USERS.district.id,
      group,
      changed: true,
    });
    expect((await removeUserFromGroup(profile, DEMO_USERS.district.id, group)).changed).toBe(true);
    await expect(addUserToGroup(profile, "district", "No such team")).rejects.toMatchObject({
      type: "userGroup",
      ids: ["No such team"],
    });
    expect(await setUserDisabled(profile, "district", true)).toMatchObject({
      username: "district",
      changed: true,
    });
    expect((await setUserDisabled(profile, "district", false)).changed).toBe(true);
  });

  it("gets and sets sharing; walks the org unit tree", async () => {
    const ds = emu.demo!.dataSet;
    const set = await setSharing(profile, "dataSet", ds, { public: "r-r-----" });
    expect(set.public).toBe("r-r-----");
    expect((await getSharing(profile, "dataSets", ds)).public).toBe("r-r-----");
    const { root, regions } = emu.demo!;
    expect((await orgUnitTree(profile, root, { kind: "children" })).units).toHaveLength(regions.length);
    expect((await orgUnitTree(profile, emu.demo!.facilities[0]!, { kind: "ancestors" })).units[0]!.id).toBe(
      root,
    );
    expect(await orgUnitTree(profile, root, { kind: "descendants", level: 4, limit: 5 })).toMatchObject({
      truncated: true,
      units: expect.arrayContaining([expect.objectContaining({ level: 4 })]),
    });
    expect((await orgUnitLevels(profile)).map((l) => l.level)).toEqual([1, 2, 3, 4]);
  });
});
