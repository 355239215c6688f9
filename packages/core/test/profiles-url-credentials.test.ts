/**
 * Trust, "Passwords in URLs", in core's profile files: `addProfile` refuses a URL with
 * `user:password@`, writing nothing, and a `profiles.toml` that already holds one gives a clear
 * error naming the file and the profile, never the user info.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { NoProfileError } from "@dhis2w/client";
import {
  addProfile,
  createPat,
  listProfiles,
  ProfileError,
  ProfileFileError,
  resolveProfile,
  verifyProfile,
} from "@dhis2w/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const USER = "fileuser-Pq42";
const PASSWORD = "filepass-Wz77";
const URL_WITH_CREDENTIALS = `http://${USER}:${PASSWORD}@dhis2.example/dhis`;

let root: string;
let o: { env: Record<string, string>; globalDir: string; start: string };
const globalFile = () => path.join(o.globalDir, "profiles.toml");

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "dhis2w-urlcred-"));
  o = { env: {}, globalDir: path.join(root, "config", "dhis2"), start: path.join(root, "proj") };
  mkdirSync(o.start, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function shown(error: unknown): string {
  return [String(error), JSON.stringify(error), inspect(error, { depth: 5 })].join("\n");
}
async function failure(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}
function expectNoUserinfo(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(USER);
}

describe("Trust: passwords in URLs (profile files)", () => {
  it("addProfile refuses a base URL with user:password@ and writes no file", async () => {
    const error = await failure(() =>
      addProfile("dev", { baseUrl: URL_WITH_CREDENTIALS, auth: "pat", token: "d2p_x" }, o),
    );
    expect(error).toBeInstanceOf(ProfileError);
    expect(shown(error)).toContain("--username");
    expect(shown(error)).toContain("DHIS2_PASSWORD");
    expectNoUserinfo(shown(error));
    expect(existsSync(globalFile())).toBe(false);
  });

  it("a profiles.toml that already holds such a URL names the file, line, profile and field, never the user info", async () => {
    mkdirSync(o.globalDir, { recursive: true });
    writeFileSync(
      globalFile(),
      `default = "old"\n\n[profiles.old]\nbase_url = "${URL_WITH_CREDENTIALS}"\nauth = "basic"\nusername = "admin"\npassword = "district"\n`,
    );
    for (const resolve of [() => resolveProfile("old", o), () => resolveProfile(undefined, o)]) {
      const error = await failure(resolve);
      expect(error).toBeInstanceOf(ProfileFileError);
      expect(error).toMatchObject({ path: globalFile(), line: 4, profile: "old", field: "base_url" });
      expect(String(error)).toContain(`${globalFile()}:4 (profile "old", field "base_url")`);
      expect(String(error)).toContain("base_url must not hold a user name or password");
      expectNoUserinfo(shown(error));
    }
    const rows = await listProfiles(o);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.problem).toContain("must not hold a user name or password");
    expectNoUserinfo(JSON.stringify(rows));
    expectNoUserinfo(shown(await failure(() => verifyProfile("old", o))));
  });

  it("raw DHIS2_URL with user info stops resolveProfile with the variable's name, even when a file default exists", async () => {
    await addProfile("dev", { baseUrl: "http://dhis2.example", auth: "pat", token: "d2p_x" }, o);
    const error = await failure(() =>
      resolveProfile(undefined, { ...o, env: { DHIS2_URL: URL_WITH_CREDENTIALS } }),
    );
    expect(error).toBeInstanceOf(NoProfileError);
    expect(String(error)).toContain("DHIS2_URL must not hold a user name or password");
    expectNoUserinfo(shown(error));
  });

  it("createPat refuses such a URL before sending anything, without echoing it", async () => {
    let sent = 0;
    const error = await failure(() =>
      createPat({
        url: URL_WITH_CREDENTIALS,
        adminPat: "d2p_admin",
        fetch: async () => {
          sent++;
          return new Response("{}");
        },
      }),
    );
    expect(sent).toBe(0);
    expect(String(error)).toContain("must not hold a user name or password");
    expectNoUserinfo(shown(error));
  });
});
