/**
 * `/api/sharing` and `PUT /api/{plural}/{uid}/sharing` with `SharingController`'s semantics, on
 * each version, through `emu.fetch`.
 */
import { DEMO_USERS, type Emulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { basic, call, useEmulator } from "./emulator-helpers.js";

const start = useEmulator();
const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { "Content-Type": "application/json", ...headers },
  body: JSON.stringify(body),
});

interface SharingAnswer {
  meta: { allowPublicAccess: boolean; allowExternalAccess: boolean };
  object: {
    id: string;
    publicAccess: string;
    externalAccess: boolean;
    user?: { id: string };
    userAccesses: { id: string; access: string; name: string }[];
    userGroupAccesses: { id: string; access: string; name: string }[];
  };
}

async function group(emu: Emulator, name: string): Promise<string> {
  const res = await call(emu, "/api/userGroups", json("POST", { name }));
  expect(res.status).toBe(201);
  return ((await res.json()) as { response: { uid: string } }).response.uid;
}

const read = async (emu: Emulator, type: string, id: string, auth?: string) => {
  const res = await call(
    emu,
    `/api/sharing?type=${type}&id=${id}`,
    auth ? { headers: { Authorization: auth } } : {},
  );
  return { status: res.status, body: (await res.json()) as SharingAnswer & { message?: string } };
};

describe.each(["v41", "v42", "v43"] as const)("sharing on %s", (version) => {
  it("reads an object's sharing; unset public access shows as rw------ to a superuser", async () => {
    const emu = await start({ version, seed: "demo" });
    const { status, body } = await read(emu, "dataSet", emu.demo!.dataSet);
    expect(status).toBe(200);
    expect(body.meta).toEqual({ allowPublicAccess: true, allowExternalAccess: true });
    expect(body.object).toMatchObject({
      id: emu.demo!.dataSet,
      publicAccess: "rw------",
      externalAccess: false,
      userAccesses: [],
      userGroupAccesses: [],
    });
  });

  it("sets sharing: users and groups by name, unknown ones dropped, the 2.36+ block stored", async () => {
    const emu = await start({ version, seed: "demo" });
    const ds = emu.demo!.dataSet;
    const b = await group(emu, "B group");
    const a = await group(emu, "A group");
    const posted = await call(
      emu,
      `/api/sharing?type=dataSet&id=${ds}`,
      json("POST", {
        object: {
          publicAccess: "r-r-----",
          externalAccess: false,
          userAccesses: [
            { id: DEMO_USERS.district.id, access: "rwr-----" },
            { id: "NoSuchUser1", access: "rw------" },
          ],
          userGroupAccesses: [
            { id: b, access: "rwrw----" },
            { id: a, access: "r-------" },
          ],
        },
      }),
    );
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({ status: "OK", message: "Access control set" });
    const { body } = await read(emu, "dataSet", ds);
    expect(body.object.publicAccess).toBe("r-r-----");
    expect(body.object.userAccesses).toEqual([
      { id: DEMO_USERS.district.id, name: "Ama Mensah", displayName: "Ama Mensah", access: "rwr-----" },
    ]);
    expect(body.object.userGroupAccesses.map((g) => g.name)).toEqual(["A group", "B group"]);
    expect(body.object.user?.id).toBe(DEMO_USERS.admin.id);
    const block = (await (await call(emu, `/api/dataSets/${ds}?fields=sharing`)).json()) as {
      sharing: {
        public: string;
        users: Record<string, { access: string }>;
        userGroups: Record<string, unknown>;
      };
    };
    expect(block.sharing.public).toBe("r-r-----");
    expect(block.sharing.users[DEMO_USERS.district.id]?.access).toBe("rwr-----");
    expect(Object.keys(block.sharing.userGroups).sort()).toEqual([a, b].sort());
  });

  it("strips data access on a type without data sharing, without a word", async () => {
    const emu = await start({ version, seed: "demo" });
    const de = emu.demo!.dataElements[0]!;
    const res = await call(
      emu,
      `/api/sharing?type=dataElement&id=${de}`,
      json("POST", { object: { publicAccess: "rwrw----", userAccesses: [], userGroupAccesses: [] } }),
    );
    expect(res.status).toBe(200);
    expect((await read(emu, "dataElement", de)).body.object.publicAccess).toBe("rw------");
  });

  it("refuses invalid access strings, unshareable types, default objects and missing ones", async () => {
    const emu = await start({ version, seed: "demo" });
    const ds = emu.demo!.dataSet;
    const bad = await call(
      emu,
      `/api/sharing?type=dataSet&id=${ds}`,
      json("POST", { object: { publicAccess: "rwx-----" } }),
    );
    expect(bad.status).toBe(409);
    expect(((await bad.json()) as { message: string }).message).toBe(
      "Invalid public access string: rwx-----",
    );
    const badGroup = await call(
      emu,
      `/api/sharing?type=dataSet&id=${ds}`,
      json("POST", {
        object: { publicAccess: "r-------", userGroupAccesses: [{ id: "abcdefghijk", access: "rw" }] },
      }),
    );
    expect(((await badGroup.json()) as { message: string }).message).toBe(
      "Invalid user group access string: rw",
    );
    const ou = await read(emu, "organisationUnit", emu.demo!.root);
    expect(ou.status).toBe(409);
    expect(ou.body.message).toBe("Type organisationUnit is not supported.");
    const missing = await read(emu, "dataSet", "NoSuchDSet1");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Object of type dataSet with ID NoSuchDSet1 was not found.");
    const combos = (await (
      await call(emu, "/api/categoryCombos?filter=name:eq:default&fields=id")
    ).json()) as {
      categoryCombos: { id: string }[];
    };
    const def = await call(
      emu,
      `/api/sharing?type=categoryCombo&id=${combos.categoryCombos[0]!.id}`,
      json("POST", { object: { publicAccess: "r-------" } }),
    );
    expect(def.status).toBe(409);
    expect(((await def.json()) as { message: string }).message).toBe(
      "Sharing settings of system default metadata object of type categoryCombo cannot be modified.",
    );
  });

  it("ignores public and external access from a user who may not set them", async () => {
    const emu = await start({ version, seed: "demo" });
    const ds = emu.demo!.dataSet;
    const district = basic("district", "district");
    // Unset public access: everyone may manage it; district may not make data sets public.
    const res = await call(
      emu,
      `/api/sharing?type=dataSet&id=${ds}`,
      json(
        "POST",
        { object: { publicAccess: "--------", externalAccess: true } },
        { Authorization: district },
      ),
    );
    expect(res.status).toBe(200);
    const after = await read(emu, "dataSet", ds, district);
    expect(after.body.meta.allowPublicAccess).toBe(false);
    expect(after.body.object.externalAccess).toBe(false);
    // The caller became the owner (the object had none), as SharingController does.
    expect(after.body.object.user?.id).toBe(DEMO_USERS.district.id);
    // An object admin made private: district has no write on it and is refused.
    const de = emu.demo!.dataElements[2]!;
    await call(
      emu,
      `/api/sharing?type=dataElement&id=${de}`,
      json("POST", { object: { publicAccess: "r-------" } }),
    );
    const refused = await call(
      emu,
      `/api/sharing?type=dataElement&id=${de}`,
      json("POST", { object: { publicAccess: "rw------" } }, { Authorization: district }),
    );
    expect(refused.status).toBe(403);
  });

  it("PUT /api/{plural}/{uid}/sharing takes the 2.36+ block (204)", async () => {
    const emu = await start({ version, seed: "demo" });
    const de = emu.demo!.dataElements[1]!;
    const res = await call(
      emu,
      `/api/dataElements/${de}/sharing`,
      json("PUT", { public: "r-------", external: false, users: {}, userGroups: {} }),
    );
    expect(res.status).toBe(204);
    expect((await read(emu, "dataElement", de)).body.object.publicAccess).toBe("r-------");
  });
});
