/** The five-step precedence of resolveProfile / profileFromEnv, scopes, and the errors bad files give. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { NoProfileError } from "@dhis2w/client";
import {
  explainProfile,
  findProjectProfilesPath,
  globalConfigDir,
  ProfileError,
  ProfileFileError,
  profileFromEnv,
} from "@dhis2w/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SECRET = "d2p_SUPERSECRETtoken0123456789";
let root: string;
let globalDir: string;
let project: string;
let start: string;

function write(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}
const globalFile = () => path.join(globalDir, "profiles.toml");
const projectFile = () => path.join(project, ".dhis2", "profiles.toml");
const pat = (name: string, url: string) =>
  `[profiles.${name}]\nbase_url = "${url}"\nauth = "pat"\ntoken = "${SECRET}"\n`;
/** Options with nothing from the real machine: an empty env, temp global dir, temp project. */
const opts = (env: Record<string, string> = {}) => ({ env, globalDir, start });

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "dhis2w-profiles-"));
  globalDir = path.join(root, "config", "dhis2");
  project = path.join(root, "repo");
  start = path.join(project, "src", "deep");
  mkdirSync(start, { recursive: true });
  write(
    globalFile(),
    `default = "g"\n${pat("g", "http://global.example")}\n${pat("shared", "http://shared-global.example")}`,
  );
  write(
    projectFile(),
    `default = "p"\n${pat("p", "http://project.example")}\n${pat("shared", "http://shared-project.example")}`,
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("precedence, each step winning", () => {
  const rawEnv = { DHIS2_URL: "http://raw.example", DHIS2_PAT: "d2p_raw" };

  it("1. an explicit name beats DHIS2_PROFILE, raw env and both defaults", () => {
    const r = explainProfile("g", opts({ DHIS2_PROFILE: "p", ...rawEnv }));
    expect(r).toMatchObject({ name: "g", source: "explicit", scope: "global", path: globalFile() });
    expect(r.profile.baseUrl).toBe("http://global.example");
  });

  it("2. DHIS2_PROFILE beats raw env and the defaults", () => {
    const r = explainProfile(undefined, opts({ DHIS2_PROFILE: "g", ...rawEnv }));
    expect(r).toMatchObject({ name: "g", source: "env:DHIS2_PROFILE", scope: "global" });
  });

  it("3. raw DHIS2_URL + DHIS2_PAT beats the file defaults", () => {
    const r = explainProfile(undefined, opts(rawEnv));
    expect(r).toEqual({
      source: "env:raw",
      profile: { baseUrl: "http://raw.example", auth: "pat", token: "d2p_raw" },
    });
  });

  it("3. raw DHIS2_URL + DHIS2_USERNAME + DHIS2_PASSWORD builds a basic profile", () => {
    const r = explainProfile(
      undefined,
      opts({ DHIS2_URL: "http://raw.example", DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" }),
    );
    expect(r.profile).toEqual({
      baseUrl: "http://raw.example",
      auth: "basic",
      username: "admin",
      password: "district",
    });
  });

  it("4. the project default (found walking up from start) beats the global default", () => {
    const r = explainProfile(undefined, opts());
    expect(r).toMatchObject({ name: "p", source: "project-default", scope: "project", path: projectFile() });
  });

  it("5. the global default is the last resort", () => {
    rmSync(projectFile());
    const r = explainProfile(undefined, opts());
    expect(r).toMatchObject({ name: "g", source: "global-default", scope: "global" });
    expect(profileFromEnv(opts()).baseUrl).toBe("http://global.example");
  });
});

describe("precedence, each fallthrough", () => {
  it("falls through an unset/blank DHIS2_PROFILE to raw env", () => {
    const r = explainProfile(
      undefined,
      opts({ DHIS2_PROFILE: "  ", DHIS2_URL: "http://raw.example", DHIS2_PAT: "x" }),
    );
    expect(r.source).toBe("env:raw");
  });

  it("falls through incomplete raw env (URL without credentials) to the project default", () => {
    expect(explainProfile(undefined, opts({ DHIS2_URL: "http://raw.example" })).source).toBe(
      "project-default",
    );
    expect(
      explainProfile(undefined, opts({ DHIS2_URL: "http://raw.example", DHIS2_USERNAME: "a" })).source,
    ).toBe("project-default");
  });

  it("falls through a project file without default to the global default", () => {
    write(projectFile(), pat("p", "http://project.example"));
    expect(explainProfile(undefined, opts())).toMatchObject({ source: "global-default", name: "g" });
  });

  it("falls through everything to a NoProfileError that lists what it looked at, never a value", () => {
    rmSync(projectFile());
    rmSync(globalFile());
    const env = { DHIS2_URL: "http://raw.example", DHIS2_PASSWORD: SECRET };
    const error = (() => {
      try {
        explainProfile(undefined, opts(env));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(NoProfileError);
    const msg = error?.message ?? "";
    for (const word of [
      "DHIS2_PROFILE",
      "DHIS2_URL (set)",
      "DHIS2_PAT (unset)",
      "DHIS2_PASSWORD (set)",
      globalFile(),
      start,
    ]) {
      expect(msg).toContain(word);
    }
    expect(msg).not.toContain(SECRET);
    expect(msg).not.toContain("raw.example");
  });

  it("a file that is missing reads as empty; an explicit unknown name lists the defined ones", () => {
    expect(() => explainProfile("nope", opts())).toThrow(/profile "nope".*defined profiles: g, p, shared/);
    expect(() => explainProfile("nope", opts())).toThrow(NoProfileError);
  });

  it("a default naming a missing profile says which file's default it was", () => {
    write(projectFile(), `default = "ghost"\n${pat("p", "http://project.example")}`);
    expect(() => explainProfile(undefined, opts())).toThrow(`the default in ${projectFile()}`);
  });
});

describe("scopes and discovery", () => {
  it("a project profile shadows a global one of the same name", () => {
    const r = explainProfile("shared", opts());
    expect(r).toMatchObject({ scope: "project", profile: { baseUrl: "http://shared-project.example" } });
  });

  it("a project default may name a global profile", () => {
    write(projectFile(), `default = "g"\n`);
    expect(explainProfile(undefined, opts())).toMatchObject({
      source: "project-default",
      name: "g",
      scope: "global",
    });
  });

  it("the walk up finds the nearest .dhis2/profiles.toml, and none above an unrelated start", () => {
    expect(findProjectProfilesPath({ start })).toBe(projectFile());
    expect(findProjectProfilesPath({ start: path.join(root, "config") })).toBeUndefined();
  });

  it("the global folder comes from globalDir, else XDG_CONFIG_HOME, else HOME/.config", () => {
    expect(globalConfigDir({ globalDir: "/x/y" })).toBe("/x/y");
    expect(globalConfigDir({ env: { XDG_CONFIG_HOME: "/xdg", HOME: "/home/u" } })).toBe("/xdg/dhis2");
    expect(globalConfigDir({ env: { XDG_CONFIG_HOME: "relative", HOME: "/home/u" } })).toBe(
      "/home/u/.config/dhis2",
    );
    expect(globalConfigDir({ env: { HOME: "/home/u" } })).toBe("/home/u/.config/dhis2");
    const viaXdg = explainProfile("g", { env: { XDG_CONFIG_HOME: path.join(root, "config") }, start: root });
    expect(viaXdg.path).toBe(globalFile());
  });
});

describe("bad names and bad files", () => {
  it.each(["my prod", "1abc", "-x", "a.b", "", "ünï"])("rejects the profile name %j", (name) => {
    expect(() => explainProfile(name, opts())).toThrow(ProfileError);
    expect(() => explainProfile(name, opts())).toThrow(/invalid profile name/);
  });

  it("an invalid DHIS2_PROFILE says it came from DHIS2_PROFILE", () => {
    expect(() => explainProfile(undefined, opts({ DHIS2_PROFILE: "bad name" }))).toThrow(
      /from DHIS2_PROFILE/,
    );
  });

  it("malformed TOML names the file, line and column, and does not echo the secret on that line", () => {
    write(
      globalFile(),
      `default = "g"\n[profiles.g]\nbase_url = "http://x"\ntoken = "${SECRET}\nauth = "pat"\n`,
    );
    let error: ProfileFileError | undefined;
    try {
      explainProfile("g", opts());
    } catch (e) {
      error = e as ProfileFileError;
    }
    expect(error).toBeInstanceOf(ProfileFileError);
    expect(error?.path).toBe(globalFile());
    expect(error?.line).toBe(4);
    expect(error?.message).toMatch(new RegExp(`^${escapeRegExp(globalFile())}:4:\\d+: invalid TOML`));
    expect(JSON.stringify({ m: error?.message, s: error?.stack, c: String(error?.cause) })).not.toContain(
      SECRET,
    );
  });

  it("an invalid profile names the file, profile, field and line, without the value", () => {
    write(
      projectFile(),
      `[profiles.p]\nbase_url = "http://x"\nauth = "pat"\n\n[profiles.q]\nauth = "basic"\nbase_url = "ftp://${SECRET}"\nusername = "u"\npassword = "pw"\n`,
    );
    expect(() => explainProfile("p", opts())).toThrow(
      `${projectFile()}:1 (profile "p", field "token"): auth "pat" needs token`,
    );
    expect(() => explainProfile("q", opts())).toThrow(`${projectFile()}:7 (profile "q", field "base_url")`);
    try {
      explainProfile("q", opts());
    } catch (e) {
      expect((e as Error).message).not.toContain(SECRET);
    }
  });

  it("an unknown key (a typo) is named with the keys that are allowed", () => {
    write(projectFile(), `[profiles.p]\nbase_url = "http://x"\nauth = "pat"\ntokne = "${SECRET}"\n`);
    expect(() => explainProfile("p", opts())).toThrow(
      /:4 \(profile "p", field "tokne"\): unknown key; expected one of base_url/,
    );
  });

  it("a wrongly typed default is an error naming the file and line", () => {
    write(globalFile(), `default = 3\n`);
    rmSync(projectFile());
    expect(() => explainProfile(undefined, opts())).toThrow(`${globalFile()}:1 (field "default")`);
  });

  it("one invalid profile does not block resolving another in the same file", () => {
    write(
      projectFile(),
      `default = "ok"\n[profiles.broken]\nauth = "pat"\n\n${pat("ok", "http://ok.example")}`,
    );
    expect(explainProfile(undefined, opts()).profile.baseUrl).toBe("http://ok.example");
  });

  it("raw env wins even when a profiles file is malformed", () => {
    write(globalFile(), "this is = = not toml");
    expect(explainProfile(undefined, opts({ DHIS2_URL: "http://raw.example", DHIS2_PAT: "t" })).source).toBe(
      "env:raw",
    );
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
