/**
 * DHIS2 behaviours that surprise people (QUIRKS.md), as the emulator reproduces them, through
 * real HTTP. The client's side of each is in packages/client/test/quirks.test.ts.
 */
import { createHash } from "node:crypto";
import { fixedClock, QUERY_ALIAS_TTL_MS } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { basic, call, useEmulator } from "./emulator-helpers.js";

const start = useEmulator();

const postJson = (body: unknown, init: { headers?: Record<string, string> } = {}) => ({
  method: "POST",
  headers: { "Content-Type": "application/json", ...init.headers },
  body: JSON.stringify(body),
});

describe("wire formats", () => {
  it("quirk: POST /api/messageConversations gives the new UID only in the Location header", async () => {
    const emu = await start({ seed: "demo" });
    const res = await call(
      emu,
      "/api/messageConversations",
      postJson({ subject: "Stock-out", text: "Out of BCG", users: [{ id: "DXyJmlo9rge" }] }),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      httpStatusCode: 201,
      status: "OK",
      message: "Message conversation created",
    });
    expect(body.response).toBeUndefined();
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(new RegExp(`^${emu.url}/api/messageConversations/[A-Za-z][A-Za-z0-9]{10}$`));
    const uid = location.split("/").pop()!;
    const stored = await call(emu, `/api/messageConversations/${uid}?fields=id,subject`);
    expect(await stored.json()).toEqual({ id: uid, subject: "Stock-out" });

    const none = await call(emu, "/api/messageConversations", postJson({ subject: "x", text: "y" }));
    expect(none.status).toBe(409);
    expect(((await none.json()) as { message: string }).message).toBe("No recipients selected.");
  });

  it("quirk: /api/me leaves out null members (no email key for a user created without one)", async () => {
    const emu = await start({ seed: "demo" });
    emu.state.users.add({ username: "noemail", password: "Passw0rd!", firstName: "No", surname: "Email" });
    const me = (await (
      await call(emu, "/api/me", { headers: { Authorization: basic("noemail", "Passw0rd!") } })
    ).json()) as Record<string, unknown>;
    expect(me.username).toBe("noemail");
    expect("email" in me).toBe(false);
    expect(Object.values(me)).not.toContain(null);
  });
});

describe("semantics", () => {
  it("quirk: a soft-deleted data value blocks deleting its data element (E4030) until softDeletedDataValueRemoval", async () => {
    const emu = await start({ seed: "demo" });
    const de = emu.demo!.dataElements[0]!;
    const ou = emu.demo!.facilities[0]!;
    const key = `de=${de}&pe=202401&ou=${ou}`;
    expect((await call(emu, `/api/dataValues?${key}&value=5`, { method: "POST" })).status).toBe(201);
    expect((await call(emu, `/api/dataValues?${key}`, { method: "DELETE" })).status).toBe(204);
    // Gone for readers...
    expect((await call(emu, `/api/dataValues?${key}`)).status).toBe(409);
    // ...but still there for the deletion check.
    const blocked = await call(emu, `/api/dataElements/${de}`, { method: "DELETE" });
    expect(blocked.status).toBe(409);
    const report = (await blocked.json()) as {
      response: { errorReports: { errorCode: string; message: string }[] };
    };
    expect(report.response.errorReports[0]).toMatchObject({
      errorCode: "E4030",
      message: "Object could not be deleted because it is associated with another object: DataValue",
    });
    const org = await call(emu, `/api/organisationUnits/${ou}`, { method: "DELETE" });
    expect(org.status).toBe(409);

    const purge = await call(emu, "/api/maintenance/softDeletedDataValueRemoval", { method: "POST" });
    expect(purge.status).toBe(200);
    expect(await purge.json()).toMatchObject({ httpStatusCode: 200, status: "OK" });
    expect((await call(emu, `/api/dataElements/${de}`, { method: "DELETE" })).status).toBe(200);
  });

  it("quirk: writing data outside the user's capture scope is refused per row (E7617)", async () => {
    const emu = await start({ seed: "demo" });
    const de = emu.demo!.dataElements[0]!;
    const ou = emu.demo!.facilities[0]!;
    emu.state.users.add({
      username: "nowhere",
      password: "Passw0rd!",
      authorities: ["ALL"],
      organisationUnits: [],
    });
    const res = await call(
      emu,
      "/api/dataValueSets",
      postJson(
        { dataValues: [{ dataElement: de, period: "202401", orgUnit: ou, value: "1" }] },
        { headers: { Authorization: basic("nowhere", "Passw0rd!") } },
      ),
    );
    expect(res.status).toBe(409);
    const body = (await res.json()) as { response: { conflicts: { errorCode: string }[] } };
    expect(body.response.conflicts[0]?.errorCode).toBe("E7617");
  });

  it("quirk: a category combo written with `categorys` is saved with no categories and no error", async () => {
    const emu = await start({ version: "v43", seed: "demo" });
    const res = await call(
      emu,
      "/api/categoryCombos",
      postJson({ name: "Sex", dataDimensionType: "DISAGGREGATION", categorys: [{ id: "GLevLNI9wkl" }] }),
    );
    expect(res.status).toBe(201);
    const uid = ((await res.json()) as { response: { uid: string } }).response.uid;
    const combo = (await (await call(emu, `/api/categoryCombos/${uid}?fields=*`)).json()) as Record<
      string,
      unknown
    >;
    expect(combo.categories).toEqual([]);
    expect("categorys" in combo).toBe(false);
  });

  it.each([
    ["v43", 409],
    ["v42", 200],
  ] as const)(
    "quirk: %s: dataValueSets without dataSet, data element in two data sets -> %i (E8002 on 2.43)",
    async (version, status) => {
      const emu = await start({ version, seed: "demo" });
      const de = emu.demo!.dataElements[0]!;
      const ou = emu.demo!.facilities[0]!;
      const second = await call(
        emu,
        "/api/dataSets",
        postJson({
          name: "Second set",
          shortName: "Second set",
          periodType: "Monthly",
          dataSetElements: [{ dataElement: { id: de } }],
        }),
      );
      expect(second.status).toBe(201);
      const rows = { dataValues: [{ dataElement: de, period: "202401", orgUnit: ou, value: "3" }] };
      const res = await call(emu, "/api/dataValueSets", postJson(rows));
      expect(res.status).toBe(status);
      if (status === 409) {
        const body = (await res.json()) as { errorCode: string; message: string; status: string };
        expect(body).toMatchObject({ errorCode: "E8002", status: "ERROR" });
        expect(body.message).toMatch(/^Data set detection failed, found multiple sets: `.+, .+`$/);
        const named = await call(
          emu,
          "/api/dataValueSets",
          postJson({ ...rows, dataSet: emu.demo!.dataSet }),
        );
        expect(named.status).toBe(200);
      }
    },
  );

  it("quirk: /api/validationResults answers one shape whatever fields says (fields=* expands nothing)", async () => {
    const emu = await start({ seed: "demo" });
    emu.app.extensions.validationResults!.push({
      id: 7,
      validationRule: "vR1aBcDeF2g",
      period: "202401",
      organisationUnit: emu.demo!.facilities[0]!,
      attributeOptionCombo: "HllvX50cXC0",
      leftsideValue: 12,
      rightsideValue: 10,
      created: "2024-02-01T00:00:00.000",
    });
    const plain = await (await call(emu, "/api/validationResults")).json();
    const star = await (await call(emu, "/api/validationResults?fields=*")).json();
    const narrow = await (await call(emu, "/api/validationResults?fields=id")).json();
    expect(star).toEqual(plain);
    expect(narrow).toEqual(plain);
    const first = (star as { validationResults: Record<string, unknown>[] }).validationResults[0]!;
    expect(first.organisationUnit).toEqual({ id: emu.demo!.facilities[0] });
    expect(await (await call(emu, "/api/validationResults/7?fields=id")).json()).toEqual(first);
  });

  it("quirk: unknown query parameters are ignored, even on data endpoints", async () => {
    const emu = await start({ seed: "demo" });
    const a = await (await call(emu, "/api/me?fields=id,username")).json();
    const b = await (await call(emu, "/api/me?fields=id,username&noSuchParameter=1&paging=maybe")).json();
    expect(b).toEqual(a);
  });
});

describe("size limits", () => {
  it("quirk: a URL over the limit gets 414; POST /api/query/alias makes a short one that answers the same", async () => {
    const clock = fixedClock(Date.UTC(2024, 0, 1));
    const emu = await start({ seed: "demo", maxUrlLength: 300, clock });
    const ids = emu.demo!.dataElements.join(",");
    const target = `/api/dataElements?fields=id,name&order=name:asc&filter=id:in:[${ids},${"x".repeat(300)}]`;
    expect((await call(emu, target)).status).toBe(414);

    const res = await call(emu, "/api/query/alias", postJson({ target }));
    expect(res.status).toBe(200);
    const alias = (await res.json()) as { id: string; path: string; href: string; target: string };
    const sha1 = createHash("sha1").update(target).digest("hex");
    expect(alias).toEqual({
      id: sha1,
      path: `/api/query/alias/${sha1}`,
      href: `${emu.url}/api/query/alias/${sha1}`,
      target,
    });
    const via = (await (await call(emu, alias.path)).json()) as { dataElements: { id: string }[] };
    expect(via.dataElements.map((d) => d.id).sort()).toEqual([...emu.demo!.dataElements].sort());

    const bad = await call(emu, "/api/query/alias", postJson({ target: "/me" }));
    expect(bad.status).toBe(400);
    clock.advance(QUERY_ALIAS_TTL_MS);
    expect((await call(emu, alias.path)).status).toBe(404);
  });
});

describe("auth", () => {
  it("quirk: after a restart without configured signing keys, a refresh token gets invalid_grant", async () => {
    const emu = await start({ seed: "empty" });
    const oauth2 = emu.app.extensions.oauth2!;
    const client = oauth2.authenticateClient("dhis2w-demo", "dhis2w-demo-secret");
    const admin = emu.state.users.byUsername("admin")!;
    const code = oauth2.issueCode(client, "http://127.0.0.1:8765/callback", admin.id, "ALL");
    const tokens = oauth2.exchangeCode(client, code, "http://127.0.0.1:8765/callback", undefined);
    const refresh = String(tokens.refresh_token);
    oauth2.restart();
    const res = await emu.fetch(`${emu.url}/oauth2/token/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: basic("dhis2w-demo", "dhis2w-demo-secret"),
      },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refresh }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_grant");
  });
});
