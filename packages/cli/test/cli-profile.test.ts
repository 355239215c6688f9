/**
 * The profile commands end to end: a real `d2w` process against a running emulator, in a sandbox
 * (temporary XDG_CONFIG_HOME, HOME and project folder), plus the error paths and their exit codes.
 */
import { readFileSync, statSync } from "node:fs";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliSandbox } from "./support/run-cli.js";

let emu: RunningEmulator;
const sandbox = new CliSandbox();
const ADMIN_PASSWORD = "district"; // the emulator's demo password

beforeAll(async () => {
  emu = await startEmulator({ version: "v42", seed: "empty" });
});
afterAll(async () => {
  await emu?.close();
  sandbox.dispose();
});

describe("d2w profile", () => {
  it("walks add / list / show / verify / set-default / rename / remove", async () => {
    const add = await sandbox.run(
      ["profile", "add", "dev", "--url", emu.url, "--auth", "basic", "--username", "admin"],
      {
        env: { DHIS2_PASSWORD: ADMIN_PASSWORD },
      },
    );
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('added profile "dev"');
    expect(add.stdout).not.toContain(ADMIN_PASSWORD);

    const file = `${sandbox.configHome}/dhis2/profiles.toml`;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toContain('base_url = "' + emu.url);

    const addProject = await sandbox.run([
      "profile",
      "add",
      "local",
      "--url",
      emu.url,
      "--auth",
      "basic",
      "--username",
      "admin",
      "--password",
      ADMIN_PASSWORD,
      "--scope",
      "project",
    ]);
    expect(addProject.code).toBe(0);
    expect(addProject.stdout).not.toContain(ADMIN_PASSWORD);

    const list = await sandbox.run(["--json", "profile", "list"]);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { name: string; scope: string; isDefault: boolean }[];
    expect(rows.map((r) => [r.name, r.scope, r.isDefault])).toEqual([
      ["dev", "global", true],
      ["local", "project", true],
    ]);

    const show = await sandbox.run(["profile", "show", "dev"]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("password: ***");
    expect(show.stdout).not.toContain(ADMIN_PASSWORD);
    const withSecrets = await sandbox.run(["profile", "show", "dev", "--secrets"]);
    expect(withSecrets.stdout).toContain(`password: ${ADMIN_PASSWORD}`);

    const verify = await sandbox.run(["profile", "verify", "dev"]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok: dev -> .*DHIS2 2\.42\.\S+ as admin/);

    // The project default wins over the global one when no profile is named.
    const me = await sandbox.run(["--json", "system", "me"]);
    expect(me.code).toBe(0);
    expect(JSON.parse(me.stdout).username).toBe("admin");

    expect((await sandbox.run(["profile", "rename", "dev", "prod"])).code).toBe(0);
    const afterRename = JSON.parse((await sandbox.run(["--json", "profile", "list"])).stdout) as {
      name: string;
      isDefault: boolean;
    }[];
    expect(afterRename.find((r) => r.name === "prod")?.isDefault).toBe(true);
    expect(afterRename.some((r) => r.name === "dev")).toBe(false);

    expect((await sandbox.run(["profile", "set-default", "prod", "--scope", "project"])).code).toBe(0);
    const info = await sandbox.run(["--json", "profile", "verify"]);
    expect(JSON.parse(info.stdout)).toMatchObject({ ok: true, name: "prod", source: "project-default" });

    const remove = await sandbox.run(["profile", "remove", "local"]);
    expect(remove.code).toBe(0);
    const remaining = JSON.parse((await sandbox.run(["--json", "profile", "list"])).stdout) as {
      name: string;
    }[];
    expect(remaining.map((r) => r.name)).toEqual(["prod"]);
  });

  it("an unknown profile is a user error (exit 1) naming the profiles that exist", async () => {
    const r = await sandbox.run(["--profile", "nope", "system", "me"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^d2w: profile "nope" .*is not defined in .*profiles\.toml; defined profiles: /);
  });

  it("a refused credential exits 1 and never prints the secret, not even with --verbose", async () => {
    const token = "d2p_wrongButSecretTokenValue1234567890";
    const add = await sandbox.run(["profile", "add", "badpat", "--url", emu.url, "--auth", "pat"], {
      env: { DHIS2_PAT: token },
    });
    expect(add.code).toBe(0);
    for (const extra of [[], ["--verbose"]]) {
      const r = await sandbox.run([...extra, "--profile", "badpat", "system", "info"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^d2w: pat authentication was refused: .*HTTP 401/m);
      expect(r.stdout + r.stderr).not.toContain(token);
      expect(r.stdout + r.stderr).not.toContain(token.slice(4, 20));
    }
    const verbose = await sandbox.run(["--verbose", "--profile", "badpat", "system", "info"]);
    expect(verbose.stderr).toContain("d2w: debug: -> GET");
    const verify = await sandbox.run(["profile", "verify", "badpat"]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain("failed");
    expect(verify.stdout + verify.stderr).not.toContain(token);
  });

  it("missing flags are usage errors (exit 2)", async () => {
    const r = await sandbox.run(["profile", "add", "x", "--url", emu.url, "--auth", "pat"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("d2w: profile add: auth pat needs --token (or DHIS2_PAT)\n");
    const missingArg = await sandbox.run(["profile", "show"]);
    expect(missingArg.code).toBe(2);
    expect(missingArg.stderr).toMatch(/^d2w: missing required argument 'name'/);
  });

  it("pat create mints a token with the admin password from the environment and saves it", async () => {
    const r = await sandbox.run(
      [
        "profile",
        "pat",
        "create",
        "--url",
        emu.url,
        "--admin-user",
        "admin",
        "--description",
        "cli test",
        "--save",
        "minted",
      ],
      { env: { DHIS2_ADMIN_PASSWORD: ADMIN_PASSWORD } },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/saved it as profile "minted"/);
    expect(r.stdout).not.toMatch(/d2p_/);
    const me = await sandbox.run(["--profile", "minted", "--json", "system", "me"]);
    expect(me.code).toBe(0);
    expect(JSON.parse(me.stdout).username).toBe("admin");
    const noSecret = await sandbox.run([
      "profile",
      "pat",
      "create",
      "--url",
      emu.url,
      "--admin-user",
      "admin",
    ]);
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain("DHIS2_ADMIN_PASSWORD");
  });
});
