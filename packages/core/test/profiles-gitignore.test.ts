/**
 * Trust, ".gitignore": the first project-scope write in a git checkout leaves nothing for `git add`
 * to pick up: `.dhis2/` gets a `.gitignore` that ignores everything in it, `tokens.sqlite` too.
 * Checked with the real `git status` of a temporary checkout.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Profile } from "@dhis2w/client";
import { addProfile, tokenStoreForScope } from "@dhis2w/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const pat: Profile = { baseUrl: "http://pat.example", auth: "pat", token: "d2p_gitignoreSECRET" };
let root: string;
let repo: string;
let o: { env: Record<string, string>; globalDir: string; start: string };

const git = (...args: string[]) =>
  execFileSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd: repo, encoding: "utf8" });
/** What `git add -A` would stage: untracked files, one per line, every file listed. */
const untracked = () => git("status", "--porcelain", "--untracked-files=all").trim();

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "dhis2w-gitignore-"));
  repo = path.join(root, "repo");
  mkdirSync(path.join(repo, "src"), { recursive: true });
  o = { env: {}, globalDir: path.join(root, "cfg", "dhis2"), start: path.join(repo, "src") };
  git("init", "-q");
  writeFileSync(path.join(repo, "README.md"), "x\n");
  git("add", "README.md");
  git("-c", "user.name=t", "-c", "user.email=t@example", "commit", "-qm", "init");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("Trust: .gitignore", () => {
  it("addProfile --scope project in a git checkout leaves no untracked file: .dhis2/.gitignore ignores profiles.toml and tokens.sqlite", async () => {
    expect(untracked()).toBe("");
    await addProfile("dev", pat, { ...o, scope: "project" });
    const dir = path.join(repo, "src", ".dhis2");
    expect(existsSync(path.join(dir, "profiles.toml"))).toBe(true);
    expect(untracked()).toBe("");

    const store = tokenStoreForScope("project", { start: o.start });
    await store.set("dev", { accessToken: "at", refreshToken: "rt", expiresAt: Date.now() + 60_000 });
    store.close();
    expect(existsSync(path.join(dir, "tokens.sqlite"))).toBe(true);
    expect(untracked()).toBe("");
  });

  it("the token store alone (no profiles.toml yet) writes the .gitignore too", async () => {
    const store = tokenStoreForScope("project", { start: repo });
    await store.set("dev", { accessToken: "at", expiresAt: Date.now() + 60_000 });
    store.close();
    expect(existsSync(path.join(repo, ".dhis2", "tokens.sqlite"))).toBe(true);
    expect(untracked()).toBe("");
  });

  it("an existing .dhis2/.gitignore is never overwritten", async () => {
    const dir = path.join(repo, ".dhis2");
    mkdirSync(dir);
    const mine = "# mine: share the profiles, not the tokens\ntokens.sqlite*\n";
    writeFileSync(path.join(dir, ".gitignore"), mine);
    await addProfile("dev", pat, { ...o, start: repo, scope: "project" });
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe(mine);
    expect(untracked()).toBe("?? .dhis2/.gitignore\n?? .dhis2/profiles.toml");
  });

  it("global-scope writes add no .gitignore (the user's config folder is not a checkout)", async () => {
    await addProfile("dev", pat, o);
    expect(existsSync(path.join(o.globalDir, "profiles.toml"))).toBe(true);
    expect(existsSync(path.join(o.globalDir, ".gitignore"))).toBe(false);
  });
});
