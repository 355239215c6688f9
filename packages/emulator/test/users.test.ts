/**
 * Users managed over HTTP, as on DHIS2: `POST/PUT/PATCH/DELETE /api/users`, the collection-item
 * endpoint and the enable/disable actions change who can log in and where they may capture data,
 * and no read ever returns a password. Everything goes through the real HTTP path.
 */
import { DEMO_ROLES, DEMO_USERS, type Emulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { basic, call, useEmulator } from "./emulator-helpers.js";

const start = useEmulator();

const PASSWORD = "Clerk-Passw0rd!";
const NEW_PASSWORD = "Other-Passw0rd#2";

const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { "Content-Type": "application/json", ...headers },
  body: JSON.stringify(body),
});
const patch = (ops: unknown) => ({
  method: "PATCH",
  headers: { "Content-Type": "application/json-patch+json" },
  body: JSON.stringify(ops),
});

interface ErrorReports {
  response: { errorReports: { errorCode: string; message: string; errorProperty?: string }[] };
}
interface ImportSummary {
  response: { importCount: { imported: number }; conflicts: { errorCode: string }[] };
}

/** The demo facilities of region 0 and of region 1 (read over HTTP from their paths). */
async function facilitiesByRegion(emu: Emulator): Promise<{ inside: string; outside: string }> {
  const demo = emu.demo!;
  const res = await call(emu, "/api/organisationUnits?filter=level:eq:4&fields=id,path&paging=false");
  const { organisationUnits } = (await res.json()) as { organisationUnits: { id: string; path: string }[] };
  const inside = organisationUnits.find((o) => o.path.includes(demo.regions[0]!))?.id;
  const outside = organisationUnits.find((o) => o.path.includes(demo.regions[1]!))?.id;
  if (!inside || !outside) throw new Error("the demo seed has no facility in regions 0 and 1");
  return { inside, outside };
}

/** POSTs one data value as `auth`; the summary and the status. */
async function capture(emu: Emulator, auth: string, orgUnit: string, value: string) {
  const dataElement = emu.demo!.dataElements[0]!;
  const res = await call(
    emu,
    "/api/dataValueSets",
    json(
      "POST",
      { dataValues: [{ dataElement, period: "202401", orgUnit, value }] },
      { Authorization: auth },
    ),
  );
  return { status: res.status, body: (await res.json()) as ImportSummary };
}

async function createClerk(emu: Emulator, orgUnit: string, extra: Record<string, unknown> = {}) {
  const res = await call(
    emu,
    "/api/users",
    json("POST", {
      username: "clerk1",
      password: PASSWORD,
      firstName: "Kofi",
      surname: "Boateng",
      userRoles: [{ id: DEMO_ROLES.dataEntry.id }],
      organisationUnits: [{ id: orgUnit }],
      dataViewOrganisationUnits: [{ id: orgUnit }],
      ...extra,
    }),
  );
  expect(res.status).toBe(201);
  const body = (await res.json()) as { response: { uid: string } };
  expect(res.headers.get("location")).toBe(`/users/${body.response.uid}`);
  return body.response.uid;
}

const me = async (emu: Emulator, auth: string) => call(emu, "/api/me", { headers: { Authorization: auth } });

describe("users created over HTTP", () => {
  it("log in at once, capture inside their org units and get E7617 outside", async () => {
    const emu = await start({ seed: "demo" });
    const { inside, outside } = await facilitiesByRegion(emu);
    const id = await createClerk(emu, emu.demo!.regions[0]!);
    const clerk = basic("clerk1", PASSWORD);

    const meRes = await me(emu, clerk);
    expect(meRes.status).toBe(200);
    const body = (await meRes.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id,
      username: "clerk1",
      name: "Kofi Boateng",
      organisationUnits: [{ id: emu.demo!.regions[0] }],
      userRoles: [{ id: DEMO_ROLES.dataEntry.id }],
    });
    expect(body.authorities).toContain("F_DATAVALUE_ADD");
    expect((await me(emu, basic("clerk1", "wrong-Passw0rd"))).status).toBe(401);

    const ok = await capture(emu, clerk, inside, "7");
    expect(ok.status).toBe(200);
    expect(ok.body.response.importCount.imported).toBe(1);
    const refused = await capture(emu, clerk, outside, "7");
    expect(refused.status).toBe(409);
    expect(refused.body.response.conflicts.map((c) => c.errorCode)).toEqual(["E7617"]);
  });

  it("follow org unit changes made with JSON Patch and the collection-item endpoint", async () => {
    const emu = await start({ seed: "demo" });
    const { inside, outside } = await facilitiesByRegion(emu);
    const id = await createClerk(emu, emu.demo!.regions[0]!);
    const clerk = basic("clerk1", PASSWORD);

    const moved = await call(
      emu,
      `/api/users/${id}`,
      patch([{ op: "replace", path: "/organisationUnits", value: [{ id: emu.demo!.regions[1] }] }]),
    );
    expect(moved.status).toBe(200);
    expect((await capture(emu, clerk, inside, "1")).body.response.conflicts[0]?.errorCode).toBe("E7617");
    expect((await capture(emu, clerk, outside, "1")).status).toBe(200);

    const added = await call(emu, `/api/users/${id}/organisationUnits/${emu.demo!.regions[0]}`, {
      method: "POST",
    });
    expect(added.status).toBe(200);
    expect((await capture(emu, clerk, inside, "2")).status).toBe(200);
    const stored = (await (await call(emu, `/api/users/${id}?fields=organisationUnits`)).json()) as {
      organisationUnits: { id: string }[];
    };
    expect(stored.organisationUnits.map((o) => o.id).sort()).toEqual(
      [emu.demo!.regions[0]!, emu.demo!.regions[1]!].sort(),
    );

    const removed = await call(emu, `/api/users/${id}/organisationUnits/${emu.demo!.regions[1]}`, {
      method: "DELETE",
    });
    expect(removed.status).toBe(200);
    expect((await capture(emu, clerk, outside, "3")).status).toBe(409);
    const meBody = (await (await me(emu, clerk)).json()) as { organisationUnits: { id: string }[] };
    expect(meBody.organisationUnits).toEqual([{ id: emu.demo!.regions[0] }]);
  });

  it("change password with PUT; a weak one is refused with E4005 without echoing it", async () => {
    const emu = await start({ seed: "demo" });
    const id = await createClerk(emu, emu.demo!.regions[0]!);
    const current = (await (await call(emu, `/api/users/${id}`)).json()) as Record<string, unknown>;

    const weak = await call(emu, `/api/users/${id}`, json("PUT", { ...current, password: "weakpass" }));
    expect(weak.status).toBe(409);
    const text = await weak.text();
    expect(text).not.toContain("weakpass");
    expect((JSON.parse(text) as ErrorReports).response.errorReports[0]).toMatchObject({
      errorCode: "E4005",
      errorProperty: "password",
    });
    expect((await me(emu, basic("clerk1", PASSWORD))).status).toBe(200);

    const put = await call(emu, `/api/users/${id}`, json("PUT", { ...current, password: NEW_PASSWORD }));
    expect(put.status).toBe(200);
    expect((await me(emu, basic("clerk1", PASSWORD))).status).toBe(401);
    expect((await me(emu, basic("clerk1", NEW_PASSWORD))).status).toBe(200);
    // A PUT without a password keeps the current one, and the username it left out.
    const { username: _u, ...withoutUsername } = current;
    const again = await call(emu, `/api/users/${id}`, json("PUT", { ...withoutUsername, surname: "Mensah" }));
    expect(again.status).toBe(200);
    const meBody = (await (await me(emu, basic("clerk1", NEW_PASSWORD))).json()) as { name: string };
    expect(meBody.name).toBe("Kofi Mensah");
  });

  it("get 401 once disabled (PATCH or POST .../disabled), and again after /enabled they log in", async () => {
    const emu = await start({ seed: "demo" });
    const id = await createClerk(emu, emu.demo!.regions[0]!);
    const clerk = basic("clerk1", PASSWORD);

    const off = await call(
      emu,
      `/api/users/${id}`,
      patch([{ op: "replace", path: "/disabled", value: true }]),
    );
    expect(off.status).toBe(200);
    expect((await me(emu, clerk)).status).toBe(401);
    expect((await call(emu, `/api/users/${id}/enabled`, { method: "POST" })).status).toBe(204);
    expect((await me(emu, clerk)).status).toBe(200);
    expect((await call(emu, `/api/users/${id}/disabled`, { method: "POST" })).status).toBe(204);
    expect((await me(emu, clerk)).status).toBe(401);
    const stored = (await (await call(emu, `/api/users/${id}?fields=disabled`)).json()) as {
      disabled: boolean;
    };
    expect(stored.disabled).toBe(true);
  });

  it("cannot log in once deleted", async () => {
    const emu = await start({ seed: "demo" });
    const id = await createClerk(emu, emu.demo!.regions[0]!);
    expect((await me(emu, basic("clerk1", PASSWORD))).status).toBe(200);
    expect((await call(emu, `/api/users/${id}`, { method: "DELETE" })).status).toBe(200);
    expect((await me(emu, basic("clerk1", PASSWORD))).status).toBe(401);
    expect((await call(emu, `/api/users/${id}`)).status).toBe(404);
  });

  it("refuse an invalid username (E4049), a taken one (E4054), a rename (E4056) and no role (E4055)", async () => {
    const emu = await start({ seed: "demo" });
    const base = {
      password: PASSWORD,
      firstName: "A",
      surname: "B",
      userRoles: [{ id: DEMO_ROLES.dataEntry.id }],
    };
    const codes = async (res: Response) =>
      ((await res.json()) as ErrorReports).response.errorReports.map((e) => e.errorCode);

    const bad = await call(emu, "/api/users", json("POST", { ...base, username: "_x" }));
    expect(bad.status).toBe(409);
    expect(await codes(bad)).toContain("E4049");
    const taken = await call(
      emu,
      "/api/users",
      json("POST", { ...base, username: DEMO_USERS.district.username }),
    );
    expect(await codes(taken)).toContain("E4054");
    const roleless = await call(
      emu,
      "/api/users",
      json("POST", { ...base, username: "roleless", userRoles: [] }),
    );
    expect(await codes(roleless)).toEqual(["E4055"]);
    expect((await me(emu, basic("roleless", PASSWORD))).status).toBe(401);

    const id = await createClerk(emu, emu.demo!.regions[0]!);
    const renamed = await call(
      emu,
      `/api/users/${id}`,
      patch([{ op: "replace", path: "/username", value: "clerk2" }]),
    );
    expect(renamed.status).toBe(409);
    expect(await codes(renamed)).toEqual(["E4056"]);
    expect((await me(emu, basic("clerk1", PASSWORD))).status).toBe(200);
  });
});

describe("passwords", () => {
  it("never appear in any read of the user", async () => {
    const emu = await start({ seed: "demo" });
    const id = await createClerk(emu, emu.demo!.regions[0]!);
    const reads = [
      `/api/users/${id}`,
      `/api/users/${id}?fields=*`,
      `/api/users/${id}?fields=:all,password`,
      `/api/users/${id}/password`,
      "/api/users?fields=*&paging=false",
      "/api/metadata?users=true&fields=*",
      "/api/me",
    ];
    for (const path of reads) {
      const res = await call(
        emu,
        path,
        path === "/api/me" ? { headers: { Authorization: basic("clerk1", PASSWORD) } } : {},
      );
      const text = await res.text();
      expect(text, path).not.toContain(PASSWORD);
      expect(text, path).not.toMatch(/"password"\s*:/);
    }
    const one = (await (await call(emu, `/api/users/${id}?fields=passwordLastUpdated`)).json()) as Record<
      string,
      unknown
    >;
    expect(typeof one.passwordLastUpdated).toBe("string");
  });
});
