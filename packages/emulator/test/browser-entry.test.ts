/**
 * `@dhis2w/emulator/browser` must run in a browser page or a Service Worker: nothing reachable from
 * `src/browser.ts` (the client's sources and the dependencies included) may import a `node:*`
 * module, esbuild must bundle it for the browser platform, and the bundle must serve the demo.
 */
import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { ADMIN } from "./emulator-helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../../..");
const entry = path.join(repo, "packages/emulator/src/browser.ts");
/** Static imports/re-exports at the start of a line (not in comments), side-effect imports, literal dynamic imports. */
const IMPORT_RE =
  /^\s*(?:import|export)\s[^'";]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

/** Where a bare specifier lives: workspace packages by their `source` export, others by `import`/`default`. */
async function resolveBare(spec: string): Promise<string> {
  const parts = spec.split("/");
  const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  const sub = `.${spec.slice(name.length)}` || ".";
  const dir = path.join(repo, "node_modules", name);
  const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as {
    exports?: Record<string, string | Record<string, string>>;
    main?: string;
  };
  const target = pkg.exports?.[sub === "." ? "." : sub] ?? (sub === "." ? pkg.main : undefined);
  const file = typeof target === "string" ? target : (target?.source ?? target?.import ?? target?.default);
  if (!file) throw new Error(`cannot resolve ${spec}`);
  return path.resolve(dir, file);
}

async function graph(start: string): Promise<{ files: Set<string>; nodeImports: string[] }> {
  const files = new Set<string>();
  const nodeImports: string[] = [];
  const visit = async (file: string): Promise<void> => {
    const real = await realpath(file);
    if (files.has(real)) return;
    files.add(real);
    const text = await readFile(real, "utf8");
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (spec.startsWith("node:") || ["crypto", "fs", "http", "zlib", "stream", "buffer"].includes(spec)) {
        nodeImports.push(`${path.relative(repo, real)} imports ${spec}`);
      } else if (spec.startsWith(".")) {
        const next = path.resolve(path.dirname(real), spec);
        await visit(real.endsWith(".ts") ? next.replace(/\.js$/, ".ts") : next);
      } else await visit(await resolveBare(spec));
    }
  };
  await visit(start);
  return { files, nodeImports };
}

describe("the browser entry", () => {
  it("imports no node:* module anywhere in its graph, the client and @noble/hashes included", async () => {
    const { files, nodeImports } = await graph(entry);
    const rel = [...files].map((f) => path.relative(repo, f));
    expect(rel).toContain("packages/emulator/src/seed/demo.ts");
    expect(rel).toContain("packages/client/src/generated/v42/index.gen.ts");
    expect(rel.some((f) => f.startsWith("node_modules/@noble/hashes/"))).toBe(true);
    expect(nodeImports).toEqual([]);
  });

  it("keeps node:* to the package root (the node:http server)", async () => {
    const { nodeImports } = await graph(path.join(repo, "packages/emulator/src/index.ts"));
    expect(nodeImports.map((s) => s.split(" imports ")[1]).sort()).toEqual([
      "node:http",
      "node:http",
      "node:net",
    ]);
  });

  it("bundles with esbuild for the browser platform, and the bundle serves the demo seed", async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "browser",
      format: "esm",
      conditions: ["source"],
      write: false,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*["']node:/);
    const dir = await mkdtemp(path.join(tmpdir(), "emu-browser-"));
    try {
      const file = path.join(dir, "emulator.browser.mjs");
      await writeFile(file, code);
      const bundled = (await import(pathToFileURL(file).href)) as typeof import("../src/browser.js");
      const emu = await bundled.createEmulator({ version: "v43", seed: "demo" });
      const info = await emu.fetch(`${emu.url}/api/system/info`, { headers: { Authorization: ADMIN } });
      expect(((await info.json()) as { version: string }).version).toBe("2.43.0");
      const units = await emu.fetch(`${emu.url}/api/organisationUnits?fields=id&paging=false`, {
        headers: { Authorization: ADMIN },
      });
      const body = (await units.json()) as { organisationUnits: unknown[] };
      expect(body.organisationUnits.length).toBe(
        1 + emu.demo!.regions.length + emu.demo!.districts.length + emu.demo!.facilities.length,
      );

      // The Service Worker listener answers the emulator's origin and leaves the rest alone.
      const answered: Promise<Response>[] = [];
      const listen = bundled.serviceWorkerListener(emu.url, emu);
      const event = (url: string) => ({
        request: new Request(url, { headers: { Authorization: ADMIN } }),
        respondWith: (r: Response | Promise<Response>) => void answered.push(Promise.resolve(r)),
      });
      listen(event("https://cdn.example.org/app.js"));
      expect(answered).toHaveLength(0);
      listen(event(`${emu.url}/api/me`));
      expect(((await (await answered[0]!).json()) as { username: string }).username).toBe("admin");
      await emu.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
