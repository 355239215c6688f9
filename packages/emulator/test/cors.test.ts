/**
 * CORS as dhis2-core answers it (2.41 `CorsFilter`, 2.42/2.43 `DhisCorsProcessor`; see
 * `src/cors.ts`): allowed origins get their origin echoed with credentials allowed, a preflight is
 * answered 204 before authentication, other origins are refused the way each version does it,
 * and `/api/configuration/corsWhitelist` changes the list at runtime.
 */
import type { Emulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { ADMIN, basic, call, useEmulator } from "./emulator-helpers.js";

const APP = "http://localhost:3000";
const EVIL = "https://evil.example.org";

/** The CORS-related headers of an answer, by lower-case name. */
function corsHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of res.headers) if (k.startsWith("access-control-") || k === "vary") out[k] = v;
  return out;
}

/** The browser's preflight: no credentials, only what it is about to send. */
function preflight(emu: Emulator, origin: string, method = "POST", headers = "authorization,content-type") {
  return emu.fetch(`${emu.url}/api/dataValueSets`, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": method,
      "Access-Control-Request-Headers": headers,
    },
  });
}

const ALLOWED_ACTUAL = (origin: string) => ({
  "access-control-allow-credentials": "true",
  "access-control-allow-origin": origin,
  "access-control-expose-headers": "ETag, Location",
  vary: "Origin",
});

describe("CORS", () => {
  const start = useEmulator();

  for (const version of ["v41", "v42", "v43"] as const) {
    it(`${version}: answers an allowed origin's preflight 204 without credentials, echoing what was asked`, async () => {
      const emu = await start({ version, seed: "empty", allowedOrigins: [APP] });
      const res = await preflight(emu, APP);
      expect(res.status).toBe(204);
      expect(corsHeaders(res)).toEqual({
        "access-control-allow-credentials": "true",
        "access-control-allow-headers": "authorization,content-type",
        "access-control-allow-methods": "POST",
        "access-control-allow-origin": APP,
        "access-control-max-age": "3600",
        vary: "Origin",
      });
      expect(await res.text()).toBe("");
    });

    it(`${version}: adds the CORS headers to an allowed origin's answers, 401s included`, async () => {
      const emu = await start({ version, seed: "empty", allowedOrigins: [APP] });
      const me = await call(emu, "/api/me", { headers: { Origin: APP } });
      expect(me.status).toBe(200);
      expect(corsHeaders(me)).toEqual(ALLOWED_ACTUAL(APP));
      const anonymous = await emu.fetch(`${emu.url}/api/me`, { headers: { Origin: APP } });
      expect(anonymous.status).toBe(401);
      expect(corsHeaders(anonymous)).toEqual(ALLOWED_ACTUAL(APP));
    });
  }

  it("quirk: v41: another origin gets no CORS headers and its preflight meets the login wall (401)", async () => {
    const emu = await start({ version: "v41", seed: "empty", allowedOrigins: [APP] });
    const pre = await preflight(emu, EVIL);
    expect(pre.status).toBe(401);
    expect(corsHeaders(pre)).toEqual({});
    // 2.41's filter lets the request through: it is handled, the browser just cannot read it.
    const set = await call(emu, "/api/systemSettings/applicationTitle?value=Reached", {
      method: "POST",
      headers: { Origin: EVIL },
    });
    expect(set.status).toBe(200);
    expect(corsHeaders(set)).toEqual({});
    expect(emu.state.settings.get("applicationTitle")).toBe("Reached");
  });

  for (const version of ["v42", "v43"] as const) {
    it(`quirk: ${version}: another origin gets an empty 200 and the request is never handled`, async () => {
      const emu = await start({ version, seed: "empty", allowedOrigins: [APP] });
      const pre = await preflight(emu, EVIL);
      expect(pre.status).toBe(200);
      expect(corsHeaders(pre)).toEqual({});
      expect(await pre.text()).toBe("");
      const set = await call(emu, "/api/systemSettings/applicationTitle?value=Reached", {
        method: "POST",
        headers: { Origin: EVIL },
      });
      expect(set.status).toBe(200);
      expect(await set.text()).toBe("");
      // Never handled: nothing was stored (the title stays DHIS2's default, which is not stored).
      expect(emu.state.settings.has("applicationTitle")).toBe(false);
    });
  }

  it("allows the server's own origin (X-Forwarded-Proto decides its scheme) and DHIS2's globs", async () => {
    const emu = await start({ seed: "empty", allowedOrigins: ["http://localhost:*"] });
    const own = await call(emu, "/api/me", { headers: { Origin: emu.url } });
    expect(corsHeaders(own)["access-control-allow-origin"]).toBe(emu.url);
    const proxied = await call(emu, "/api/me", {
      headers: { Origin: "https://emulator.invalid", "X-Forwarded-Proto": "https" },
    });
    expect(corsHeaders(proxied)["access-control-allow-origin"]).toBe("https://emulator.invalid");
    expect(corsHeaders(await preflight(emu, "http://localhost:5173"))["access-control-allow-origin"]).toBe(
      "http://localhost:5173",
    );
    const lookalike = await preflight(emu, "http://localhost.evil.example.org");
    expect([lookalike.status, corsHeaders(lookalike)]).toEqual([200, {}]);
  });

  it("POST /api/configuration/corsWhitelist replaces the list at runtime; GET and /api/configuration show it", async () => {
    const emu = await start({ seed: "empty", allowedOrigins: [APP] });
    const json = { "Content-Type": "application/json" };
    const set = await call(emu, "/api/configuration/corsWhitelist", {
      method: "POST",
      headers: json,
      body: JSON.stringify(["https://apps.example.org"]),
    });
    expect(set.status).toBe(204);
    expect(await (await call(emu, "/api/configuration/corsWhitelist")).json()).toEqual([
      "https://apps.example.org",
    ]);
    expect(await (await call(emu, "/api/configuration/corsAllowlist")).json()).toEqual([
      "https://apps.example.org",
    ]);
    expect(await (await call(emu, "/api/configuration")).json()).toMatchObject({
      corsWhitelist: ["https://apps.example.org"],
      corsAllowlist: ["https://apps.example.org"],
    });
    expect((await preflight(emu, "https://apps.example.org")).status).toBe(204);
    expect((await preflight(emu, APP)).status).toBe(200); // no longer listed: refused (v42)

    // The alias writes too.
    await call(emu, "/api/configuration/corsAllowlist", {
      method: "POST",
      headers: json,
      body: JSON.stringify([APP]),
    });
    expect((await preflight(emu, APP)).status).toBe(204);
  });

  it("refuses a list change without F_SYSTEM_SETTING (403), in another shape (400) or content type (415)", async () => {
    const emu = await start({ seed: "demo" });
    const json = { "Content-Type": "application/json" };
    const clerk = await call(emu, "/api/configuration/corsWhitelist", {
      method: "POST",
      headers: { ...json, Authorization: basic("district", "district") },
      body: JSON.stringify([EVIL]),
    });
    expect(clerk.status).toBe(403);
    const object = await call(emu, "/api/configuration/corsWhitelist", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ origins: [APP] }),
    });
    expect(object.status).toBe(400);
    expect(((await object.json()) as { message: string }).message).toBe(
      "JSON parse error: the CORS allowlist must be a JSON array of origins, got an object",
    );
    const number = await call(emu, "/api/configuration/corsWhitelist", {
      method: "POST",
      headers: json,
      body: JSON.stringify([APP, 3000]),
    });
    expect(((await number.json()) as { message: string }).message).toBe(
      "JSON parse error: entry 1 of the CORS allowlist is 3000, not a string",
    );
    const text = await call(emu, "/api/configuration/corsWhitelist", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: APP,
    });
    expect(text.status).toBe(415);
    expect(await (await call(emu, "/api/configuration/corsWhitelist")).json()).toEqual([]);
  });

  it("answers the preflight over a socket too (the node:http adapter adds nothing)", async () => {
    const emu = await start({ version: "v43", seed: "empty", allowedOrigins: [APP], wire: true });
    const res = await fetch(`${emu.url}/api/me`, {
      method: "OPTIONS",
      headers: { Origin: APP, "Access-Control-Request-Method": "GET" },
    });
    expect(res.status).toBe(204);
    expect(corsHeaders(res)).toEqual({
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "GET",
      "access-control-allow-origin": APP,
      "access-control-max-age": "3600",
      vary: "Origin",
    });
    const me = await fetch(`${emu.url}/api/me`, { headers: { Origin: APP, Authorization: ADMIN } });
    expect(corsHeaders(me)).toEqual(ALLOWED_ACTUAL(APP));
  });
});
