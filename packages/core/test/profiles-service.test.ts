/** The profile service (add / list / show / rename / set-default / remove) against temp folders. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Profile } from "@dhis2w/client";
import {
  addProfile,
  explainProfile,
  listProfiles,
  ProfileError,
  removeProfile,
  renameProfile,
  setDefaultProfile,
  showProfile,
} from "@dhis2w/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const TOKEN = "d2p_TOKENsecretVALUE_abcdef";
const PASSWORD = "pw-SECRET-district-42";
const CLIENT_SECRET = "oauth-CLIENT-secret-zz";
const pat: Profile = { baseUrl: "http://pat.example", auth: "pat", token: TOKEN };
const basic: Profile = {
  baseUrl: "http://basic.example",
  auth: "basic",
  username: "admin",
  password: PASSWORD,
};
const oauth: Profile = {
  baseUrl: "https://oauth.example",
  auth: "oauth2",
  clientId: "cli",
  clientSecret: CLIENT_SECRET,
  scope: "ALL",
  redirectUri: "http://localhost:8765",
};
const SECRETS = [TOKEN, PASSWORD, CLIENT_SECRET];

let root: string;
let o: { env: Record<string, string>; globalDir: string; start: string };
const globalFile = () => path.join(o.globalDir, "profiles.toml");
const projectFile = () => path.join(o.start, ".dhis2", "profiles.toml");

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "dhis2w-service-"));
  o = { env: {}, globalDir: path.join(root, "home", ".config", "dhis2"), start: path.join(root, "proj") };
  mkdirSync(o.start, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("addProfile", () => {
  it("writes a snake_case table to the global file by default; the first profile becomes the default", async () => {
    const row = await addProfile("dev", pat, o);
    expect(row).toMatchObject({
      name: "dev",
      scope: "global",
      auth: "pat",
      isDefault: true,
      path: globalFile(),
    });
    const text = readFileSync(globalFile(), "utf8");
    expect(text).toContain('default = "dev"');
    expect(text).toContain('[profiles.dev]\nbase_url = "http://pat.example"\nauth = "pat"\ntoken = ');
    expect(explainProfile(undefined, o)).toMatchObject({
      name: "dev",
      source: "global-default",
      profile: pat,
    });
  });

  it("writes every field of an oauth2 profile and reads it back unchanged", async () => {
    await addProfile("sso", oauth, { ...o, scope: "project" });
    expect(readFileSync(projectFile(), "utf8")).toMatch(
      /client_id = "cli"\nclient_secret = .*\nscope = "ALL"\nredirect_uri = /,
    );
    expect(explainProfile("sso", o).profile).toEqual(oauth);
  });

  it("does not move the default for a second profile unless makeDefault", async () => {
    await addProfile("a", pat, o);
    expect((await addProfile("b", basic, o)).isDefault).toBe(false);
    expect((await addProfile("c", basic, { ...o, makeDefault: true })).isDefault).toBe(true);
    expect(explainProfile(undefined, o).name).toBe("c");
  });

  it("refuses to replace an existing profile unless overwrite", async () => {
    await addProfile("a", pat, o);
    await expect(addProfile("a", basic, o)).rejects.toThrow(/already exists .*overwrite: true/);
    await addProfile("a", basic, { ...o, overwrite: true });
    expect(explainProfile("a", o).profile).toEqual(basic);
  });

  it("rejects an invalid name and an invalid profile, naming the field but not the secret", async () => {
    await expect(addProfile("bad name", pat, o)).rejects.toThrow(ProfileError);
    const bad = { baseUrl: "not a url", auth: "pat", token: TOKEN } as Profile;
    const error = await addProfile("x", bad, o).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as Error).message).toContain("baseUrl");
    expect((error as Error).message).not.toContain(TOKEN);
    await expect(
      addProfile("y", { baseUrl: "http://x", auth: "basic", username: "u" } as Profile, o),
    ).rejects.toThrow(/password/);
  });
});

describe("listProfiles", () => {
  beforeEach(async () => {
    await addProfile("shared", pat, o);
    await addProfile("global-only", basic, o);
    await addProfile("shared", oauth, { ...o, scope: "project" });
    await addProfile("proj", basic, { ...o, scope: "project", makeDefault: true });
  });

  it("merges both scopes; a shadowed global profile is hidden", async () => {
    const rows = await listProfiles(o);
    expect(rows.map((r) => [r.name, r.scope, r.isDefault, r.shadowed])).toEqual([
      ["global-only", "global", false, false],
      ["proj", "project", true, false],
      ["shared", "project", false, false],
    ]);
  });

  it("includeShadowed shows both, the global one marked shadowed", async () => {
    const rows = await listProfiles({ ...o, includeShadowed: true });
    const shared = rows.filter((r) => r.name === "shared");
    expect(shared.map((r) => [r.scope, r.auth, r.baseUrl, r.shadowed, r.isDefault])).toEqual([
      ["project", "oauth2", "https://oauth.example", false, false],
      ["global", "pat", "http://pat.example", true, true],
    ]);
  });

  it("never carries a secret", async () => {
    const serialized = JSON.stringify(await listProfiles({ ...o, includeShadowed: true }));
    for (const s of SECRETS) expect(serialized).not.toContain(s);
  });

  it("lists an invalid profile with its problem instead of failing", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(projectFile(), `${readFileSync(projectFile(), "utf8")}\n[profiles.broken]\nauth = "pat"\n`);
    const broken = (await listProfiles(o)).find((r) => r.name === "broken");
    expect(broken).toMatchObject({ auth: undefined, baseUrl: undefined });
    expect(broken?.problem).toMatch(/profile "broken", field "base_url"/);
  });
});

describe("showProfile", () => {
  it("redacts token, password and client secret as *** unless includeSecrets", async () => {
    await addProfile("p", pat, o);
    await addProfile("b", basic, o);
    await addProfile("s", oauth, o);
    const views = await Promise.all(["p", "b", "s"].map((n) => showProfile(n, o)));
    expect(views.map((v) => v.profile.token ?? v.profile.password ?? v.profile.clientSecret)).toEqual([
      "***",
      "***",
      "***",
    ]);
    expect(views[1]?.profile.username).toBe("admin");
    const serialized = JSON.stringify(views);
    for (const s of SECRETS) expect(serialized).not.toContain(s);
    const full = await showProfile("s", { ...o, includeSecrets: true });
    expect(full).toMatchObject({ profile: oauth, secretsRedacted: false, scope: "global", isDefault: false });
  });

  it("shows the project profile when both scopes have the name, and the global one on request", async () => {
    await addProfile("x", pat, o);
    await addProfile("x", basic, { ...o, scope: "project" });
    expect((await showProfile("x", o)).profile.auth).toBe("basic");
    expect(await showProfile("x", { ...o, scope: "global" })).toMatchObject({
      shadowed: true,
      profile: { auth: "pat" },
    });
    await expect(showProfile("missing", o)).rejects.toThrow(
      /profile "missing" not found in .*proj.*or .*profiles.toml/,
    );
  });
});

describe("renameProfile / setDefaultProfile / removeProfile", () => {
  it("rename moves the default along and keeps the other profiles", async () => {
    await addProfile("old", pat, o);
    await addProfile("other", basic, o);
    const row = await renameProfile("old", "new", o);
    expect(row).toMatchObject({ name: "new", isDefault: true });
    expect(readFileSync(globalFile(), "utf8")).toContain('default = "new"');
    expect((await listProfiles(o)).map((r) => r.name)).toEqual(["new", "other"]);
    await expect(renameProfile("new", "other", o)).rejects.toThrow(/"other" already exists/);
    await expect(renameProfile("new", "1bad", o)).rejects.toThrow(/invalid profile name/);
  });

  it("rename of a non-default profile leaves the default alone; scope picks the file", async () => {
    await addProfile("a", pat, { ...o, scope: "project" });
    await addProfile("b", basic, { ...o, scope: "project" });
    await addProfile("b", basic, o);
    await renameProfile("b", "c", { ...o, scope: "global" });
    expect((await listProfiles(o)).map((r) => `${r.scope}:${r.name}:${r.isDefault}`)).toEqual([
      "project:a:true",
      "project:b:false",
      "global:c:true",
    ]);
  });

  it("set-default writes the default of the chosen scope", async () => {
    await addProfile("a", pat, o);
    await addProfile("b", basic, o);
    await setDefaultProfile("b", { ...o, scope: "global" });
    expect(explainProfile(undefined, o)).toMatchObject({ name: "b", source: "global-default" });
    await setDefaultProfile("a", { ...o, scope: "project" });
    expect(explainProfile(undefined, o)).toMatchObject({
      name: "a",
      source: "project-default",
      scope: "global",
    });
    await expect(setDefaultProfile("zzz", o)).rejects.toThrow(/not found/);
  });

  it("a global default cannot name a project-only profile", async () => {
    await addProfile("p", pat, { ...o, scope: "project" });
    await expect(setDefaultProfile("p", { ...o, scope: "global" })).rejects.toThrow(/not found in .*config/);
  });

  it("remove deletes the profile and clears a default that named it", async () => {
    await addProfile("a", pat, o);
    await addProfile("b", basic, o);
    expect(await removeProfile("b", o)).toMatchObject({ clearedDefault: false, scope: "global" });
    expect(await removeProfile("a", o)).toMatchObject({ clearedDefault: true });
    expect(readFileSync(globalFile(), "utf8")).not.toMatch(/default|profiles\./);
    expect(readFileSync(globalFile(), "utf8")).not.toContain("\n\n\n");
    expect(await listProfiles(o)).toEqual([]);
    await expect(removeProfile("a", o)).rejects.toThrow(/not found/);
  });

  it("remove with a scope leaves the same name in the other scope", async () => {
    await addProfile("x", pat, o);
    await addProfile("x", basic, { ...o, scope: "project" });
    await removeProfile("x", { ...o, scope: "project" });
    expect(explainProfile("x", o)).toMatchObject({ scope: "global", profile: pat });
  });

  it("concurrent adds to one file in one process lose nothing", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `p${i}`);
    await Promise.all(names.map((n) => addProfile(n, pat, o)));
    expect((await listProfiles(o)).map((r) => r.name).sort()).toEqual(names);
  });
});
