/**
 * Users in `/api/metadata` bundles, the v41 `userCredentials` form, role changes reaching the
 * accounts, and the README recipe for an empty emulator: giving `admin` a capture org unit over
 * HTTP. All through real HTTP.
 */
import { DEMO_ROLES, DEMO_USERS, type Emulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { ADMIN, basic, call, useEmulator } from "./emulator-helpers.js";

const start = useEmulator();

const PASSWORD = "Import-Passw0rd!";
const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { "Content-Type": "application/json", ...headers },
  body: JSON.stringify(body),
});
const me = (emu: Emulator, auth: string) => call(emu, "/api/me", { headers: { Authorization: auth } });

describe("users in a metadata import", () => {
  it("creates accounts that log in, with their role and org units, and no password on export", async () => {
    const emu = await start({ seed: "demo" });
    const region = emu.demo!.regions[1]!;
    const res = await call(
      emu,
      "/api/metadata",
      json("POST", {
        userRoles: [{ id: "RoleViewer1", name: "Viewer", authorities: ["F_VIEW_UNAPPROVED_DATA"] }],
        users: [
          {
            id: "UserImprt01",
            username: "imported",
            password: PASSWORD,
            firstName: "Efua",
            surname: "Owusu",
            userRoles: [{ id: "RoleViewer1" }],
            organisationUnits: [{ id: region }],
          },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const meRes = await me(emu, basic("imported", PASSWORD));
    expect(meRes.status).toBe(200);
    expect(await meRes.json()).toMatchObject({
      id: "UserImprt01",
      organisationUnits: [{ id: region }],
      authorities: ["F_VIEW_UNAPPROVED_DATA"],
    });
    const exported = await (await call(emu, "/api/metadata?users=true")).text();
    expect(exported).toContain("UserImprt01");
    expect(exported).not.toContain(PASSWORD);

    // A second import (CREATE_AND_UPDATE) without a password keeps it and moves the user.
    const again = await call(
      emu,
      "/api/metadata",
      json("POST", {
        users: [
          {
            id: "UserImprt01",
            username: "imported",
            firstName: "Efua",
            surname: "Owusu",
            userRoles: [{ id: "RoleViewer1" }],
            organisationUnits: [{ id: emu.demo!.regions[0] }],
          },
        ],
      }),
    );
    expect(again.status).toBe(200);
    const moved = (await (await me(emu, basic("imported", PASSWORD))).json()) as {
      organisationUnits: { id: string }[];
    };
    expect(moved.organisationUnits).toEqual([{ id: emu.demo!.regions[0] }]);

    // Deleting through the import removes the account.
    const del = await call(
      emu,
      "/api/metadata?importStrategy=DELETE",
      json("POST", { users: [{ id: "UserImprt01" }] }),
    );
    expect(del.status).toBe(200);
    expect((await me(emu, basic("imported", PASSWORD))).status).toBe(401);
  });

  it("a dry run creates no account", async () => {
    const emu = await start({ seed: "demo" });
    const user = {
      username: "dryrun",
      password: PASSWORD,
      firstName: "D",
      surname: "R",
      userRoles: [{ id: DEMO_ROLES.dataEntry.id }],
    };
    expect((await call(emu, "/api/metadata?dryRun=true", json("POST", { users: [user] }))).status).toBe(200);
    expect((await me(emu, basic("dryrun", PASSWORD))).status).toBe(401);
  });

  it("v41 lifts `userCredentials` onto the user (username, password, roles)", async () => {
    const emu = await start({ version: "v41", seed: "demo" });
    const res = await call(
      emu,
      "/api/users",
      json("POST", {
        firstName: "Legacy",
        surname: "Form",
        userCredentials: {
          username: "legacy",
          password: PASSWORD,
          userRoles: [{ id: DEMO_ROLES.dataEntry.id }],
        },
        organisationUnits: [{ id: emu.demo!.regions[0] }],
      }),
    );
    expect(res.status).toBe(201);
    const body = (await (await me(emu, basic("legacy", PASSWORD))).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ username: "legacy", userRoles: [{ id: DEMO_ROLES.dataEntry.id }] });
  });

  it("a role's new authorities reach its users' accounts", async () => {
    const emu = await start({ seed: "demo" });
    const district = basic(DEMO_USERS.district.username, DEMO_USERS.district.password);
    const can = async () =>
      (
        await call(emu, "/api/me/authorization/F_EXPORT_DATA", { headers: { Authorization: district } })
      ).json();
    expect(await can()).toBe(false);
    const role = (await (await call(emu, `/api/userRoles/${DEMO_ROLES.dataEntry.id}`)).json()) as {
      authorities: string[];
    };
    const res = await call(
      emu,
      `/api/userRoles/${DEMO_ROLES.dataEntry.id}`,
      json("PUT", { ...role, authorities: [...role.authorities, "F_EXPORT_DATA"] }),
    );
    expect(res.status).toBe(200);
    expect(await can()).toBe(true);
  });
});

describe("an empty emulator holding imported metadata", () => {
  it("lets admin capture once given an org unit over HTTP (PATCH or collection item)", async () => {
    const emu = await start({ seed: "empty" });
    const imported = await call(
      emu,
      "/api/metadata",
      json("POST", {
        organisationUnits: [
          { id: "RootOrgUnt1", name: "Root", shortName: "Root", openingDate: "2000-01-01" },
          {
            id: "ChildOrgUn1",
            name: "Child",
            shortName: "Child",
            openingDate: "2000-01-01",
            parent: { id: "RootOrgUnt1" },
          },
        ],
        dataElements: [
          {
            id: "DataElemnt1",
            name: "Cases",
            shortName: "Cases",
            valueType: "INTEGER",
            domainType: "AGGREGATE",
            aggregationType: "SUM",
          },
        ],
      }),
    );
    expect(imported.status).toBe(200);
    const push = (orgUnit: string) =>
      call(
        emu,
        "/api/dataValueSets",
        json("POST", { dataValues: [{ dataElement: "DataElemnt1", period: "202401", orgUnit, value: "3" }] }),
      );
    const before = await push("ChildOrgUn1");
    expect(before.status).toBe(409);
    expect(
      ((await before.json()) as { response: { conflicts: { errorCode: string }[] } }).response.conflicts[0],
    ).toMatchObject({ errorCode: "E7617" });

    const adminId = DEMO_USERS.admin.id;
    const patched = await call(emu, `/api/users/${adminId}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json-patch+json" },
      body: JSON.stringify([{ op: "add", path: "/organisationUnits/-", value: { id: "ChildOrgUn1" } }]),
    });
    expect(patched.status).toBe(200);
    expect((await push("ChildOrgUn1")).status).toBe(200);
    expect((await push("RootOrgUnt1")).status).toBe(409);

    expect(
      (await call(emu, `/api/users/${adminId}/organisationUnits/RootOrgUnt1`, { method: "POST" })).status,
    ).toBe(200);
    expect((await push("RootOrgUnt1")).status).toBe(200);
    const meBody = (await (await me(emu, ADMIN)).json()) as { organisationUnits: { id: string }[] };
    expect(meBody.organisationUnits.map((o) => o.id).sort()).toEqual(["ChildOrgUn1", "RootOrgUnt1"]);
    // admin kept its password and superuser role through the PATCH.
    expect(await (await call(emu, "/api/me/authorization")).json()).toEqual(["ALL"]);
  });
});
