/**
 * Profile tools and error hygiene: profiles come from a temp profiles.toml, and no tool answer or
 * error ever carries a password, a PAT or a Basic credential.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { addProfile } from "@dhis2w/core";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectHarness, textOf } from "./support/harness.js";

const WRONG_PASSWORD = "Wr0ng-Secret-Pa55word";
const PAT = "d2p_NotARealTokenButSecretAnyway0123456789";
const basicSecret = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString("base64");

describe("d2w-mcp profiles and secrets (emulator v42)", () => {
  let emu: RunningEmulator;
  let dir: string;
  const location = () => ({ globalDir: dir, start: dir, env: {} });

  beforeAll(async () => {
    emu = await startEmulator({ version: "v42", seed: "demo" });
    dir = mkdtempSync(path.join(tmpdir(), "d2w-mcp-"));
    const opts = { ...location(), scope: "global" as const };
    await addProfile(
      "emu",
      { baseUrl: emu.url, auth: "basic", username: "admin", password: "district" },
      { ...opts, makeDefault: true },
    );
    await addProfile(
      "wrong",
      { baseUrl: emu.url, auth: "basic", username: "admin", password: WRONG_PASSWORD },
      opts,
    );
    await addProfile("tokened", { baseUrl: emu.url, auth: "pat", token: PAT }, opts);
  });
  afterAll(async () => {
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("profiles_list shows the profiles without a secret and the active one", async () => {
    const h = await connectHarness({ profileName: "emu", profileLocation: location() });
    const r = await h.call("profiles_list");
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as {
      profiles: { name: string; auth: string; isDefault: boolean }[];
      active: unknown;
    };
    expect(out.profiles.map((p) => [p.name, p.auth, p.isDefault])).toEqual([
      ["emu", "basic", true],
      ["tokened", "pat", false],
      ["wrong", "basic", false],
    ]);
    expect(out.active).toEqual({ name: "emu", baseUrl: emu.url, auth: "basic" });
    const text = JSON.stringify(r);
    for (const secret of [PAT, WRONG_PASSWORD, "district"]) expect(text).not.toContain(secret);
    await h.close();
  });

  it("profile_verify reports the user and version, or the failure without the password", async () => {
    const h = await connectHarness({ profileName: "emu", profileLocation: location() });
    const good = await h.ok<Record<string, unknown>>("profile_verify", { name: "emu" });
    expect(good).toMatchObject({ ok: true, name: "emu", user: "admin", baseUrl: emu.url });
    expect(good.version).toMatch(/^2\.42\./);
    const self = await h.ok<Record<string, unknown>>("profile_verify");
    expect(self).toMatchObject({ ok: true, name: "emu", user: "admin" });

    const bad = await h.call("profile_verify", { name: "wrong" });
    expect(bad.isError).toBeFalsy();
    expect(bad.structuredContent).toMatchObject({ ok: false, name: "wrong" });
    expect(String((bad.structuredContent as { error: string }).error)).toMatch(/401|authenticat/i);
    expect(JSON.stringify(bad)).not.toContain(WRONG_PASSWORD);
    expect(JSON.stringify(bad)).not.toContain(basicSecret("admin", WRONG_PASSWORD));

    expect(await h.fails("profile_verify", { name: "nope" })).toMatch(/profile "nope".*emu/);
    await h.close();
  });

  it("a profile that gets 401 makes tools fail with a clear error and no secret", async () => {
    const h = await connectHarness({
      profile: { baseUrl: emu.url, auth: "basic", username: "admin", password: WRONG_PASSWORD },
      profileLocation: { env: {} },
    });
    for (const tool of ["whoami", "metadata_list"]) {
      const r = await h.call(tool, tool === "metadata_list" ? { type: "dataElements" } : {});
      expect(r.isError, tool).toBe(true);
      expect(textOf(r)).toMatch(/401|authenticat/i);
      expect(JSON.stringify(r)).not.toContain(WRONG_PASSWORD);
      expect(JSON.stringify(r)).not.toContain(basicSecret("admin", WRONG_PASSWORD));
    }
    // Tools that need no server still work.
    expect((await h.ok<{ uids: string[] }>("uid_generate")).uids).toHaveLength(1);
    await h.close();
  });

  it("a PAT profile the server rejects fails without the token", async () => {
    const h = await connectHarness({ profileName: "tokened", profileLocation: location() });
    const r = await h.call("system_info");
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/401|authenticat|token/i);
    expect(JSON.stringify(r)).not.toContain(PAT);
    await h.close();
  });

  it("with no profile anywhere, server tools say where they looked", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "d2w-mcp-empty-"));
    try {
      const h = await connectHarness({ profileLocation: { globalDir: empty, start: empty, env: {} } });
      expect(await h.fails("whoami")).toMatch(/no DHIS2 profile found.*DHIS2_URL/s);
      const list = await h.ok<{ profiles: unknown[]; active: unknown }>("profiles_list");
      expect(list).toEqual({ profiles: [], active: null });
      await h.close();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
