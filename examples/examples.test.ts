/**
 * Every runnable example under examples/ runs in CI against the embedded emulator, on each DHIS2
 * version we support: an example that throws, exits non-zero or prints nothing fails the suite.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const examples = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_") && !f.endsWith(".test.ts") && f !== "demo.ts")
  .sort();

function run(
  file: string,
  version: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DHIS2_EMULATOR_VERSION: version };
    // Never let a developer's real server leak into CI's example run.
    for (const key of ["DHIS2_URL", "DHIS2_PAT", "DHIS2_USERNAME", "DHIS2_PASSWORD", "DHIS2_PROFILE"])
      delete env[key];
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", path.join(here, file)], {
      cwd: path.dirname(here),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(["v41", "v42", "v43"])("examples on %s", (version) => {
  it.each(examples)(
    "%s runs to completion",
    async (file) => {
      const { code, stdout, stderr } = await run(file, version);
      expect(stderr.trim() === "" || code === 0 ? code : `${code}\n${stderr}`).toBe(0);
      expect(stdout.trim().length).toBeGreaterThan(0);
    },
    120_000,
  );
});

describe("npm run demo", () => {
  it("prints the server version, the user, and every section of the walk", async () => {
    const { code, stdout } = await run("demo.ts", "v42");
    expect(code).toBe(0);
    expect(stdout).toMatch(/Connected to DHIS2 2\.42\.\d+(\.\d+)? \(bound to v42\)/);
    expect(stdout).toContain("logged in as: admin");
    expect(stdout).toMatch(/walked \d+ org units with iterate\(\)/);
    expect(stdout).toMatch(/OK: imported=\d+ .* balanced=true/);
    expect(stdout).toMatch(/\[x\] INFO/);
    expect(stdout).toMatch(/Eastern Region\s+\d+/);
    expect(stdout).toMatch(/tracked entities, \d+ events/);
  }, 120_000);
});
