/**
 * `client.sharing` against the emulator (in process) on each version, both shapes of sharing
 * DHIS2 sends read into one, and the access-string helpers (typed, checked at run time).
 */
import {
  ACCESS,
  type AccessString,
  accessString,
  BasicAuth,
  checkAccessString,
  Dhis2Client,
  InvalidAccessStringError,
  InvalidUidError,
  isAccessString,
  ObjectNotFoundError,
  parseAccessString,
  parseSharing,
  SharingInputError,
  SharingNotAppliedError,
} from "@dhis2w/client";
import { createEmulator, DEMO_USERS, type Emulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("access strings", () => {
  it("are typed, checked and built from what they grant", () => {
    const ok: AccessString = "rwr-----";
    // @ts-expect-error: "x" is no permission letter, so this is no AccessString
    const notOk: AccessString = "rwx-----";
    expect(isAccessString(ok)).toBe(true);
    expect(isAccessString(notOk)).toBe(false);
    expect(parseAccessString("rw-w----")).toEqual({
      read: true,
      write: true,
      dataRead: false,
      dataWrite: true,
    });
    expect(accessString({ read: true, dataRead: true })).toBe("r-r-----");
    expect(accessString({})).toBe(ACCESS.DEFAULT);
    expect(ACCESS.FULL).toBe("rwrw----");
    for (const [bad, why] of [
      ["rw", "it has 2 characters, not 8"],
      ["wr------", 'character 1 (metadata read) must be "r" or "-", not "w"'],
      ["rwrwrw--", 'characters 5-8 must be "----", not "rw--"'],
    ] as const) {
      const err = (() => {
        try {
          checkAccessString(bad, "public");
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(InvalidAccessStringError);
      expect((err as Error).message).toContain(`public: "${bad}" is not a DHIS2 access string: ${why}`);
      expect(err).toMatchObject({ field: "public", value: bad });
    }
  });

  it("parseSharing reads both the /api/sharing form and the 2.36+ sharing block", () => {
    const fromApi = parseSharing({
      meta: { allowPublicAccess: true },
      object: {
        publicAccess: "r-------",
        externalAccess: true,
        user: { id: "Owner000001" },
        userAccesses: [{ id: "User0000001", name: "A", displayName: "A", access: "rw------" }],
        userGroupAccesses: [{ id: "Group000001", name: "G", access: "r-r-----" }],
      },
    });
    const fromBlock = parseSharing({
      id: "x",
      sharing: {
        owner: "Owner000001",
        external: true,
        public: "r-------",
        users: { User0000001: { id: "User0000001", access: "rw------" } },
        userGroups: { Group000001: { id: "Group000001", access: "r-r-----" } },
      },
    });
    expect(fromBlock).toEqual({
      public: "r-------",
      external: true,
      owner: "Owner000001",
      users: [{ id: "User0000001", access: "rw------" }],
      userGroups: [{ id: "Group000001", access: "r-r-----" }],
    });
    expect({ ...fromApi, users: fromApi.users.map(({ id, access }) => ({ id, access })) }).toEqual({
      ...fromBlock,
      userGroups: [{ id: "Group000001", access: "r-r-----", name: "G" }],
    });
    expect(() => parseSharing({ nothing: 1 })).toThrow(/not a DHIS2 sharing answer/);
  });
});

describe.each(["v41", "v42", "v43"] as const)("client.sharing on %s", (version) => {
  let emu: Emulator;
  let admin: Dhis2Client;
  let group: string;

  beforeAll(async () => {
    emu = await createEmulator({ version, seed: "demo" });
    admin = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    group = await admin.resources.userGroups.create({ name: "Programme managers" });
  });
  afterAll(async () => {
    await admin?.close();
    await emu?.close();
  });

  it("get reads public access, owner, users and groups; singular or plural type", async () => {
    const ds = emu.demo!.dataSet;
    const s = await admin.sharing.get("dataSet", ds);
    expect(s).toEqual({ public: "rw------", external: false, users: [], userGroups: [] });
    expect(await admin.sharing.get("dataSets", ds)).toEqual(s);
  });

  it("set changes what it is given, keeps the rest, and reads the result back", async () => {
    const ds = emu.demo!.dataSet;
    const after = await admin.sharing.set("dataSet", ds, {
      public: "r-r-----",
      users: [{ id: DEMO_USERS.district.id, access: "rwrw----" }],
      userGroups: [{ id: group, access: ACCESS.READ }],
    });
    expect(after).toEqual({
      public: "r-r-----",
      external: false,
      owner: DEMO_USERS.admin.id,
      users: [{ id: DEMO_USERS.district.id, access: "rwrw----", name: "Ama Mensah" }],
      userGroups: [{ id: group, access: "r-------", name: "Programme managers" }],
    });
    const onlyPublic = await admin.sharing.set("dataSet", ds, { public: ACCESS.READ_WRITE });
    expect(onlyPublic.public).toBe("rw------");
    expect(onlyPublic.users).toEqual(after.users);
    // The object's own sharing block says the same.
    const block = parseSharing(await admin.getRaw(`/api/dataSets/${ds}`, { params: { fields: "sharing" } }));
    expect(block).toMatchObject({
      public: "rw------",
      users: [{ id: DEMO_USERS.district.id, access: "rwrw----" }],
    });
  });

  it("refuses before any request what DHIS2 would refuse or silently change", async () => {
    const de = emu.demo!.dataElements[0]!;
    const before = emu.stats.total;
    const cases: [() => Promise<unknown>, new (...a: never[]) => Error, RegExp][] = [
      [
        () => admin.sharing.get("organisationUnit", emu.demo!.root),
        SharingInputError,
        /organisationUnit objects have no sharing/,
      ],
      [
        () => admin.sharing.get("dataSett", de),
        SharingInputError,
        /"dataSett" is no DHIS2 v4\d type; did you mean "dataSet"/,
      ],
      [() => admin.sharing.get("dataElement", "nope"), InvalidUidError, /uid "nope" is not a DHIS2 UID/],
      [
        () => admin.sharing.set("dataElement", de, { public: "rwrw----" }),
        SharingInputError,
        /public "rwrw----" grants data access, but dataElement objects have no data sharing.*use "rw------"/,
      ],
      [
        () =>
          admin.sharing.set("dataSet", de, {
            userGroups: [{ id: group, access: "rwx-----" as AccessString }],
          }),
        InvalidAccessStringError,
        /sharing\.set: userGroups\[0\]\.access: "rwx-----" is not a DHIS2 access string/,
      ],
      [
        () =>
          admin.sharing.set("dataSet", de, {
            users: [
              { id: DEMO_USERS.district.id, access: "r-------" },
              { id: DEMO_USERS.district.id, access: "rw------" },
            ],
          }),
        SharingInputError,
        /users\[1\]: DXyJmlo9rge is given twice/,
      ],
    ];
    for (const [call, type, message] of cases) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(type);
      expect((err as Error).message).toMatch(message);
    }
    expect(emu.stats.total).toBe(before);
  });

  it("names objects, users and groups that do not exist (DHIS2 would drop unknown users silently)", async () => {
    const missing = await admin.sharing.get("dataSet", "NoSuchDSet1").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ObjectNotFoundError);
    expect((missing as Error).message).toBe("sharing.get: dataSet NoSuchDSet1 does not exist on the server");
    const ds = emu.demo!.dataSet;
    const unknownUser = await admin.sharing
      .set("dataSet", ds, { users: [{ id: "NoSuchUser1", access: "r-------" }] })
      .catch((e: unknown) => e);
    expect(unknownUser).toMatchObject({ type: "user", ids: ["NoSuchUser1"] });
    await expect(
      admin.sharing.set("dataSet", ds, { userGroups: [{ id: "NoSuchGrp01", access: "r-------" }] }),
    ).rejects.toMatchObject({ type: "userGroup", ids: ["NoSuchGrp01"] });
  });

  it("says so when DHIS2 kept public access the user may not set", async () => {
    const district = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "district", password: "district" }),
    });
    const de = emu.demo!.dataElements[3]!;
    const err = await district.sharing
      .set("dataElement", de, { public: "r-------" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SharingNotAppliedError);
    expect(err).toMatchObject({ field: "public", wanted: "r-------" });
    expect((err as Error).message).toMatch(/DHIS2 kept public access "--------" of dataElement/);
    await district.close();
  });

  it("takes a signal", async () => {
    const signal = AbortSignal.abort(new Error("stop"));
    await expect(admin.sharing.get("dataSet", emu.demo!.dataSet, { signal })).rejects.toThrow("stop");
    await expect(
      admin.sharing.set("dataSet", emu.demo!.dataSet, { public: "r-------" }, { signal }),
    ).rejects.toThrow("stop");
  });
});
