/** How profile files are written: modes, atomic swaps, comments kept, nothing ever lost. */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Profile } from "@dhis2w/client";
import {
  addProfile,
  listProfiles,
  ProfileFileError,
  removeProfile,
  renameProfile,
  resolveProfile,
  setDefaultProfile,
} from "@dhis2w/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const pat: Profile = { baseUrl: "http://pat.example", auth: "pat", token: "d2p_tok" };
const basic: Profile = {
  baseUrl: "http://basic.example",
  auth: "basic",
  username: "admin",
  password: "district",
};
let root: string;
let o: { env: Record<string, string>; globalDir: string; start: string };
const globalFile = () => path.join(o.globalDir, "profiles.toml");
const projectDir = () => path.join(o.start, ".dhis2");
const mode = (p: string) => statSync(p).mode & 0o777;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "dhis2w-files-"));
  o = { env: {}, globalDir: path.join(root, "cfg", "dhis2"), start: path.join(root, "proj") };
  mkdirSync(o.start, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(process.platform === "win32")(
  "file modes (POSIX permissions do not exist on Windows)",
  () => {
    it("creates files 0600 and folders 0700 in both scopes", async () => {
      await addProfile("g", pat, o);
      await addProfile("p", pat, { ...o, scope: "project" });
      expect(mode(globalFile())).toBe(0o600);
      expect(mode(o.globalDir)).toBe(0o700);
      expect(mode(path.join(projectDir(), "profiles.toml"))).toBe(0o600);
      expect(mode(projectDir())).toBe(0o700);
    });

    it("tightens a looser existing file on the next write", async () => {
      mkdirSync(o.globalDir, { recursive: true });
      writeFileSync(globalFile(), "", { mode: 0o644 });
      chmodSync(globalFile(), 0o644);
      await addProfile("g", pat, o);
      expect(mode(globalFile())).toBe(0o600);
    });
  },
);

describe("atomic writes", () => {
  const original = `# my notes\ndefault = "a"\n\n[profiles.a]\nbase_url = "http://a.example"\nauth = "pat"\ntoken = "ta"\n`;
  beforeEach(() => {
    mkdirSync(o.globalDir, { recursive: true });
    writeFileSync(globalFile(), original);
  });

  it("a crash between the temp write and the rename leaves the old file intact and no temp behind", async () => {
    let tempSeen = "";
    let tempText = "";
    const io = {
      afterTempWrite: (temp: string) => {
        tempSeen = temp;
        tempText = readFileSync(temp, "utf8");
        if (process.platform !== "win32") expect(mode(temp)).toBe(0o600);
      },
      rename: async () => {
        throw new Error("simulated crash before rename");
      },
    };
    await expect(addProfile("b", basic, { ...o, io })).rejects.toThrow("simulated crash");
    // The temp file was complete before the swap that never happened.
    expect(tempText).toContain("[profiles.b]");
    expect(path.dirname(tempSeen)).toBe(o.globalDir);
    expect(readFileSync(globalFile(), "utf8")).toBe(original);
    expect(readdirSync(o.globalDir)).toEqual(["profiles.toml"]);
    expect(resolveProfile("a", o).token).toBe("ta");
    await expect(removeProfile("a", { ...o, io })).rejects.toThrow("simulated crash");
    expect(readFileSync(globalFile(), "utf8")).toBe(original);
  });

  it("a failing hook before the swap aborts the write the same way", async () => {
    const io = {
      afterTempWrite: () => {
        throw new Error("disk full");
      },
    };
    await expect(renameProfile("a", "z", { ...o, io })).rejects.toThrow("disk full");
    expect(readFileSync(globalFile(), "utf8")).toBe(original);
  });
});

describe("hand-edited files keep their comments and unrelated content", () => {
  const handEdited = [
    "# Team DHIS2 servers. Ask Ana before changing prod.",
    "",
    'default = "prod" # what scripts use',
    "",
    "# Production: read-only PAT",
    "[profiles.prod] # the real one",
    'base_url = "https://prod.example"',
    "# rotated 2025-01",
    'auth = "pat"',
    'token = "d2p_prod"',
    "",
    "# Staging is reset every night",
    "[profiles.staging]",
    'base_url = "https://staging.example"',
    'auth = "basic"',
    'username = "admin"',
    'password = "district"',
    "",
    "[tooling] # not ours: must survive",
    'editor = "vim"',
    'notes = """',
    "[profiles.fake]",
    '"""',
    "",
  ].join("\n");

  beforeEach(() => {
    mkdirSync(o.globalDir, { recursive: true });
    writeFileSync(globalFile(), handEdited);
  });

  it("adding a profile changes nothing else (only appends)", async () => {
    await addProfile("dev", pat, o);
    const text = readFileSync(globalFile(), "utf8");
    expect(text.startsWith(handEdited)).toBe(true);
    expect(text.slice(handEdited.length)).toBe(
      '\n[profiles.dev]\nbase_url = "http://pat.example"\nauth = "pat"\ntoken = "d2p_tok"\n',
    );
  });

  it("overwriting a profile rewrites its key lines in place, keeping comments inside the table", async () => {
    await addProfile(
      "prod",
      { baseUrl: "https://prod2.example", auth: "basic", username: "ro", password: "pw" },
      {
        ...o,
        overwrite: true,
      },
    );
    const text = readFileSync(globalFile(), "utf8");
    expect(text).toContain("# rotated 2025-01");
    expect(text).toContain("[profiles.prod] # the real one");
    expect(text).not.toContain("token =");
    expect(text).toContain(
      'base_url = "https://prod2.example"\n# rotated 2025-01\nauth = "basic"\nusername = "ro"\npassword = "pw"\n',
    );
    expect(text).toContain("# Staging is reset every night\n[profiles.staging]");
    expect(text).toContain('notes = """\n[profiles.fake]\n"""');
  });

  it("rename, set-default and remove touch only their lines", async () => {
    await renameProfile("prod", "production", o);
    let text = readFileSync(globalFile(), "utf8");
    expect(text).toContain("[profiles.production] # the real one");
    expect(text).toContain('default = "production"\n');
    await setDefaultProfile("staging", o);
    await removeProfile("production", o);
    text = readFileSync(globalFile(), "utf8");
    expect(text).toBe(
      [
        "# Team DHIS2 servers. Ask Ana before changing prod.",
        "",
        'default = "staging"',
        "",
        "# Production: read-only PAT",
        "",
        "# Staging is reset every night",
        "[profiles.staging]",
        'base_url = "https://staging.example"',
        'auth = "basic"',
        'username = "admin"',
        'password = "district"',
        "",
        "[tooling] # not ours: must survive",
        'editor = "vim"',
        'notes = """',
        "[profiles.fake]",
        '"""',
        "",
      ].join("\n"),
    );
  });

  it("a layout the line editor cannot handle (inline tables) is rewritten in full, losing no profile", async () => {
    writeFileSync(
      globalFile(),
      '# comment\n[profiles]\nold = { base_url = "http://old.example", auth = "pat", token = "t" }\n[extra]\nkeep = [1, 2]\n',
    );
    await addProfile("old", basic, { ...o, overwrite: true });
    await addProfile("new", pat, o);
    const rows = await listProfiles(o);
    expect(rows.map((r) => [r.name, r.auth])).toEqual([
      ["new", "pat"],
      ["old", "basic"],
    ]);
    expect(readFileSync(globalFile(), "utf8")).toMatch(/\[extra\]\nkeep = \[ 1, 2 \]/);
  });
});

describe("refusing to touch what cannot be read", () => {
  it("a malformed file is never overwritten; the error names path, line and column", async () => {
    mkdirSync(o.globalDir, { recursive: true });
    const bad = '[profiles.a]\nbase_url = "http://a"\nauth = pat\n';
    writeFileSync(globalFile(), bad);
    const error = await addProfile("b", basic, o).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileFileError);
    expect(error).toMatchObject({ path: globalFile(), line: 3 });
    expect((error as Error).message).toMatch(/profiles\.toml:3:\d+: invalid TOML/);
    expect(readFileSync(globalFile(), "utf8")).toBe(bad);
  });

  it("CRLF files keep their line endings", async () => {
    mkdirSync(o.globalDir, { recursive: true });
    writeFileSync(
      globalFile(),
      '# win\r\n[profiles.a]\r\nbase_url = "http://a.example"\r\nauth = "pat"\r\ntoken = "t"\r\n',
    );
    await addProfile("b", basic, o);
    const text = readFileSync(globalFile(), "utf8");
    expect(text.split("\n").every((l, i, all) => i === all.length - 1 || l.endsWith("\r"))).toBe(true);
    expect((await listProfiles(o)).map((r) => r.name)).toEqual(["a", "b"]);
  });
});
