/**
 * `d2w dev ...` and `d2w --version` through the real process: the emulator command serves until
 * SIGTERM, codegen's `--check` tells an up-to-date output folder from a stale one (also against the
 * emulator's `/api/schemas`), and `schema diff` compares two versions.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SNAPSHOT_DIR } from "@dhis2w/codegen";
import { startEmulator } from "@dhis2w/emulator";
import { afterAll, describe, expect, it } from "vitest";
import { CliSandbox } from "./support/run-cli.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const SNAPSHOTS = path.resolve(repoRoot, "../shared/dhis2/schemas");
const DERIVED = SNAPSHOT_DIR;
const sandbox = new CliSandbox();
afterAll(() => sandbox.dispose());

describe("d2w --version", () => {
  it("prints the CLI package's version and exits 0", async () => {
    const pkg = JSON.parse(readFileSync(path.resolve(repoRoot, "packages/cli/package.json"), "utf8")) as {
      version: string;
    };
    for (const flag of ["--version", "-V"]) {
      const r = await sandbox.run([flag]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
    expect((await sandbox.run(["--help"])).stdout).toContain("-V, --version");
  });
});

describe("d2w dev emulator", () => {
  it("prints its URL, answers /api/system/info, and stops on SIGTERM", async () => {
    const emu = sandbox.start(["dev", "emulator", "--port", "0", "--version", "v41", "--seed", "empty"]);
    const [url] = await emu.waitFor("stdout", /^http:\/\/127\.0\.0\.1:\d+$/m);
    await emu.waitFor("stderr", /Ctrl-C stops it/);
    expect(emu.stderr).toContain(`DHIS2 emulator v41 (seed empty) on ${url}`);

    const auth = `Basic ${Buffer.from("admin:district").toString("base64")}`;
    const res = await fetch(`${url}/api/system/info`, { headers: { Authorization: auth } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { version: string }).version).toMatch(/^2\.41\./);

    emu.child.kill("SIGTERM");
    const done = await emu.exited;
    expect(done.signal).toBeNull(); // it handled the signal itself...
    expect(done.code).toBe(0); // ...closed the server and exited cleanly
    expect(done.stdout).toBe(`${url}\n`);
    await expect(fetch(`${url}/api/system/info`, { headers: { Authorization: auth } })).rejects.toThrow();
  });

  it("a taken port is a user error (exit 1)", async () => {
    const first = sandbox.start(["dev", "emulator", "--port", "0", "--seed", "empty"]);
    const [url] = await first.waitFor("stdout", /^http:\/\/127\.0\.0\.1:\d+$/m);
    try {
      const port = new URL(url).port;
      const second = await sandbox.run(["dev", "emulator", "--port", port, "--seed", "empty"]);
      expect(second.code).toBe(1);
      expect(second.stderr.trim()).toMatch(new RegExp(`^d2w: .*${port}.*in use`));
    } finally {
      first.child.kill("SIGTERM");
      await first.exited;
    }
  });
});

// The schema snapshots live outside the repository, in the shared DHIS2 data; without them there
// is nothing to generate from.
describe.skipIf(!existsSync(SNAPSHOTS))("d2w dev codegen rebuild --check", () => {
  it("exits 0 when the client's generated models are up to date", async () => {
    const r = await sandbox.run(["dev", "codegen", "rebuild", "--check"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`${path.resolve(repoRoot, "packages/client/src/generated")} is up to date`);
  });

  it("exits 1 naming the stale files, and 0 once rebuilt", async () => {
    const out = sandbox.path("generated");
    const stale = await sandbox.run(["dev", "codegen", "rebuild", "--check", "--out", out]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe("");
    expect(stale.stderr).toMatch(/^out of date: .*v42.*; run `d2w dev codegen rebuild`$/m);
    expect(existsSync(out)).toBe(false); // --check writes nothing

    const rebuild = await sandbox.run(["dev", "codegen", "rebuild", "--out", out]);
    expect(rebuild.code).toBe(0);
    expect(rebuild.stdout).toMatch(/^v42 \(2\.42\.\S+\): \d+ models, \d+ resources/m);
    expect(rebuild.stdout).toMatch(new RegExp(`^wrote \\d+ files to ${out}$`, "m"));
    const fresh = await sandbox.run(["dev", "codegen", "rebuild", "--check", "--out", out]);
    expect(fresh.code).toBe(0);
  });
});

// The committed derived snapshots (packages/emulator/schemas): these run without ../shared.
describe("d2w dev codegen generate --url <emulator>", () => {
  it.each(["v41", "v42", "v43"] as const)(
    "%s: regenerates the committed generated code and snapshots byte for byte (--check exits 0)",
    async (version) => {
      const emu = await startEmulator({ version, seed: "empty" });
      try {
        const r = await sandbox.run(
          [
            "dev",
            "codegen",
            "generate",
            "--url",
            emu.url,
            "--username",
            "admin",
            "--snapshots",
            DERIVED,
            "--check",
          ],
          { env: { DHIS2_PASSWORD: "district" } },
        );
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout.trim()).toBe(
          `${path.resolve(repoRoot, "packages/client/src/generated")} is up to date`,
        );
      } finally {
        await emu.close();
      }
    },
  );

  it("names the stale files when the server's schemas differ from the committed ones", async () => {
    // A v42 emulator answering as 2.43: its schemas are not v43's, so v43's files come out different.
    const emu = await startEmulator({ version: "v42", seed: "empty", versionString: "2.43.0" });
    try {
      const r = await sandbox.run(
        [
          "dev",
          "codegen",
          "generate",
          "--url",
          emu.url,
          "--username",
          "admin",
          "--snapshots",
          DERIVED,
          "--check",
        ],
        { env: { DHIS2_PASSWORD: "district" } },
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^out of date: .*; run `d2w dev codegen rebuild`$/m);
      expect(r.stderr).toContain("v43/models.gen.ts");
      expect(r.stderr).toContain("v43.gen.json");
    } finally {
      await emu.close();
    }
  });
});

describe("d2w dev schema diff", () => {
  it("prints what changed between two versions' schemas", async () => {
    const r = await sandbox.run(["dev", "schema", "diff", "v42", "v43"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^schemas v42 \(2\.42\.4\.1\) -> v43 \(2\.43\.0\): \d+ types added, \d+ removed, \d+ changed$/,
    );
    expect(lines).toContain(
      "- type pushAnalysis (org.hisp.dhis.pushanalysis.PushAnalysis, /api/pushAnalysis)",
    );
    const item = lines.indexOf("~ dashboardItem (org.hisp.dhis.dashboard.DashboardItem)");
    expect(item).toBeGreaterThan(0);
    const next = lines.findIndex((l, i) => i > item && l.startsWith("~ "));
    expect(lines.slice(item, next)).toContain("    - user: REFERENCE User");
  });

  it("--json prints the same diff as data", async () => {
    const r = await sandbox.run(["--json", "dev", "schema", "diff", "v42", "v43"]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { from: { versionKey: string }; removed: { name: string }[] };
    expect(d.from.versionKey).toBe("v42");
    expect(d.removed.map((s) => s.name)).toContain("pushAnalysis");
  });

  it("an unknown version is a usage error (exit 2) naming the known ones", async () => {
    const r = await sandbox.run(["dev", "schema", "diff", "v42", "v44"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim()).toBe('d2w: schema diff: unknown version "v44" (known: v41, v42, v43)');
  });
});
