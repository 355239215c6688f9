import { type Emulator, fixedClock } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { ADMIN, basic, call, useEmulator } from "./emulator-helpers.js";

describe("Basic auth", () => {
  const start = useEmulator();

  it("accepts admin/district", async () => {
    const emu = await start({ seed: "empty" });
    const res = await emu.fetch(`${emu.url}/api/me`, { headers: { Authorization: ADMIN } });
    expect(res.status).toBe(200);
  });

  it.each([
    ["a wrong password", basic("admin", "wrong")],
    ["an unknown user", basic("nobody", "district")],
    ["garbage", "Basic %%%"],
  ])("rejects %s with 401, WWW-Authenticate and a WebMessage body", async (_label, header) => {
    const emu = await start({ seed: "empty" });
    const res = await emu.fetch(`${emu.url}/api/me`, { headers: { Authorization: header } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Basic realm="DHIS2"');
    expect(await res.json()).toEqual({
      httpStatus: "Unauthorized",
      httpStatusCode: 401,
      status: "ERROR",
      message: "Unauthorized",
    });
  });

  it("answers 401 (not 404) for unknown API paths without credentials", async () => {
    const emu = await start({ seed: "empty" });
    expect((await emu.fetch(`${emu.url}/api/noSuchThing`)).status).toBe(401);
  });
});

describe("personal access tokens", () => {
  const start = useEmulator();

  async function createPat(emu: Emulator, expire: number): Promise<Response> {
    return emu.fetch(`${emu.url}/api/apiToken`, {
      method: "POST",
      headers: { Authorization: ADMIN, "Content-Type": "application/json" },
      body: JSON.stringify({ type: "PERSONAL_ACCESS_TOKEN_V2", expire }),
    });
  }

  it("creates a token shown once, usable after, never retrievable again", async () => {
    const clock = fixedClock(Date.UTC(2025, 5, 1));
    const emu = await start({ seed: "empty", clock });
    const res = await createPat(emu, clock.now() + 3600_000);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ httpStatus: "Created", httpStatusCode: 201, status: "OK" });
    expect(body.response.responseType).toBe("ApiTokenCreationResponse");
    const key: string = body.response.key;
    expect(key).toMatch(/^d2p_[A-Za-z0-9]{44}[A-Za-z0-9]{1,6}$/);

    const me = await emu.fetch(`${emu.url}/api/me`, { headers: { Authorization: `ApiToken ${key}` } });
    expect(me.status).toBe(200);
    expect((await me.json()).username).toBe("admin");

    const again = await call(emu, `/api/apiToken/${body.response.uid}`);
    expect(again.status).toBe(200);
    const text = await again.text();
    expect(text).not.toContain(key);
    expect(JSON.parse(text)).not.toHaveProperty("key");
    const list = await (await call(emu, "/api/apiToken")).text();
    expect(list).not.toContain(key);
  });

  it("rejects an expired token and an unknown one", async () => {
    const clock = fixedClock(Date.UTC(2025, 5, 1));
    const emu = await start({ seed: "empty", clock });
    const { response } = await (await createPat(emu, clock.now() + 60_000)).json();
    const auth = { Authorization: `ApiToken ${response.key}` };
    expect((await emu.fetch(`${emu.url}/api/me`, { headers: auth })).status).toBe(200);

    clock.advance(60_001);
    const expired = await emu.fetch(`${emu.url}/api/me`, { headers: auth });
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toBeTruthy();
    expect((await expired.json()).message).toMatch(/expired/);

    const unknown = await emu.fetch(`${emu.url}/api/me`, { headers: { Authorization: "ApiToken d2p_nope" } });
    expect(unknown.status).toBe(401);
  });

  it("stops accepting a deleted token", async () => {
    const emu = await start({ seed: "empty" });
    const { response } = await (await createPat(emu, Date.now() + 3600_000)).json();
    expect((await call(emu, `/api/apiToken/${response.uid}`, { method: "DELETE" })).status).toBe(200);
    const res = await emu.fetch(`${emu.url}/api/me`, {
      headers: { Authorization: `ApiToken ${response.key}` },
    });
    expect(res.status).toBe(401);
  });

  it("lets modules validate Bearer tokens", async () => {
    const emu = await start({
      seed: "empty",
      modules: [
        {
          name: "bearer-test",
          install(app) {
            app.auth.addBearerValidator((token, ctx) =>
              token === "good-token" ? ctx.state.users.byUsername("district") : undefined,
            );
          },
        },
      ],
    });
    const ok = await emu.fetch(`${emu.url}/api/me`, { headers: { Authorization: "Bearer good-token" } });
    expect((await ok.json()).username).toBe("district");
    const bad = await emu.fetch(`${emu.url}/api/me`, { headers: { Authorization: "Bearer bad-token" } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });
});
