/**
 * Error names survive minification: bundled with esbuild `--minify`, class names become `ka`, so
 * a name taken from the class (`new.target.name`) printed "ka: GET ... failed". Every error class
 * spells its name out; the bundle's errors, raised through real requests to the emulator, carry
 * them, and a source scan makes sure a new error class does not forget its line.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && file.endsWith(".ts") && !file.includes(`${path.sep}generated${path.sep}`)) {
      out.push(file);
    }
  }
  return out;
}

/** The error a promise rejects with; a promise that resolves fails the test. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("error names", () => {
  let emu: Emulator;
  let dir: string;
  beforeAll(async () => {
    emu = await createEmulator({ version: "v42", seed: "demo" });
    dir = await mkdtemp(path.join(tmpdir(), "dhis2w-error-names-"));
  });
  afterAll(async () => {
    await emu?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("every error class in every package declares its own literal name", async () => {
    const missing: string[] = [];
    let seen = 0;
    for (const file of await sources(path.join(repo, "packages"))) {
      if (!file.includes(`${path.sep}src${path.sep}`)) continue;
      const text = await readFile(file, "utf8");
      for (const m of text.matchAll(/class (\w+) extends (\w*Error|Error)\b[^{]*\{/g)) {
        seen++;
        const body = text.slice(m.index + m[0].length, m.index + m[0].length + 600);
        const declared = new RegExp(
          `^(\\s*//[^\\n]*\\n)*\\s*override readonly name(: string)? = "${m[1]}"( as const)?;`,
        );
        if (!declared.test(body)) missing.push(`${path.relative(repo, file)}: ${m[1]}`);
      }
    }
    expect(seen).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it("bundled with --minify, the client's errors keep their names (raised through real requests)", async () => {
    const result = await build({
      entryPoints: [path.join(repo, "packages/client/src/index.ts")],
      bundle: true,
      minify: true,
      platform: "browser",
      format: "esm",
      conditions: ["source"],
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    // The minifier did rename the classes: otherwise this test could not fail.
    expect(code).not.toMatch(/class Dhis2ApiError\b/);
    const file = path.join(dir, "client.min.mjs");
    await writeFile(file, code);
    const m = (await import(pathToFileURL(file).href)) as typeof import("../src/index.js");

    const refused = await failure(
      m.Dhis2Client.open({
        baseUrl: emu.url,
        fetch: emu.fetch,
        auth: new m.BasicAuth({ username: "admin", password: "wrong-password" }),
      }),
    );
    expect(refused).toBeInstanceOf(m.AuthenticationError);
    expect(refused.name).toBe("AuthenticationError");
    expect(String(refused)).toMatch(/^AuthenticationError: /);

    const client = await m.Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new m.BasicAuth({ username: "admin", password: "district" }),
    });
    try {
      const notFound = await failure(client.getRaw("/api/dataElements/nopeNopeNop"));
      expect(notFound).toBeInstanceOf(m.Dhis2ApiError);
      expect(notFound.name).toBe("Dhis2ApiError");
      expect(notFound.stack?.split("\n")[0]).toMatch(/^Dhis2ApiError: /);

      const typo = await failure(client.resources.dataElements.list({ filters: ["nmae:eq:x"] }));
      expect(typo.name).toBe("QueryValidationError");

      const dimension = await failure(client.analytics.query({ dimensions: ["dx"] }));
      expect(dimension.name).toBe("InvalidDimensionError");

      const tooBig = await failure(
        m.Dhis2Client.open({
          baseUrl: emu.url,
          fetch: emu.fetch,
          maxResponseBytes: 64,
          auth: new m.BasicAuth({ username: "admin", password: "district" }),
        }),
      );
      expect(tooBig.name).toBe("ResponseTooLargeError");
    } finally {
      await client.close();
    }
  });
});
