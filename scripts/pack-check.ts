/**
 * The pack check (CI, after the tests): packs every workspace as `npm publish` would, lints each
 * tarball (publint, arethetypeswrong), installs them into a new folder outside the repository and
 * uses them there as a user would: an ESM import of every subpath, `d2w --help`, `d2w dev
 * emulator` without `@dhis2w/emulator` (says what to install), `d2w-mcp` listing its tools, the
 * emulator, an esbuild browser bundle (size recorded, no `node:` import), an esbuild Node bundle
 * that imports a file of data values, `tsc --noEmit` on a typed usage file, and the client on
 * Node, Bun and Deno against the emulator. Prints one line per check; exits 1 on the first failure.
 *
 *   npx tsx scripts/pack-check.ts [--keep]     (--keep leaves the folder for a look)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HERE = fileURLToPath(new URL("./pack-check/", import.meta.url));
const BIN = (dir: string, name: string) => path.join(dir, "node_modules", ".bin", name);
const ADMIN = `Basic ${Buffer.from("admin:district").toString("base64")}`;
const keep = process.argv.includes("--keep");
const started = performance.now();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; rejects with its output unless it exits `expect` (default 0). */
function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; expect?: number; input?: string },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    child.stdin.end(opts.input ?? "");
    child.on("error", reject);
    child.on("close", (code) => {
      const r = { code, stdout, stderr };
      if (code === (opts.expect ?? 0)) resolve(r);
      else
        reject(
          new Error(
            `${cmd} ${args.join(" ")} exited ${code}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`,
          ),
        );
    });
  });
}

let passed = 0;

function ok(what: string): void {
  passed++;
  console.log(`pack-check: ok  ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`pack-check: ${what}`);
}

/** Starts `dhis2w-emulator` from the installed package; resolves with its URL (first stdout line). */
function startEmulator(dir: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN(dir, "dhis2w-emulator"), ["--port", "0", "--version", "v42", "--seed", "demo"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
      const url = /^(http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.on("error", reject);
    child.on("close", (code) => reject(new Error(`dhis2w-emulator exited ${code} before printing its URL`)));
  });
}

/** `d2w-mcp` over stdio: initialize, then tools/list; returns the tool names. */
async function mcpTools(dir: string): Promise<string[]> {
  const messages = [
    {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "pack-check", version: "0" },
      },
    },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { jsonrpc: "2.0", id: 2, method: "tools/list" },
  ];
  const child = spawn(BIN(dir, "d2w-mcp"), [], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
  const answer = new Promise<string[]>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
      for (const line of out.split("\n")) {
        if (!line.trim()) continue;
        const msg = JSON.parse(line) as {
          id?: number;
          result?: { tools?: { name: string }[] };
          error?: unknown;
        };
        if (msg.id === 2) {
          if (msg.error) reject(new Error(`tools/list: ${JSON.stringify(msg.error)}`));
          else resolve((msg.result?.tools ?? []).map((t) => t.name));
        }
      }
    });
    child.on("close", (code) => reject(new Error(`d2w-mcp exited ${code} before listing its tools`)));
  });
  for (const m of messages) child.stdin.write(`${JSON.stringify(m)}\n`);
  try {
    return await answer;
  } finally {
    child.kill("SIGTERM");
  }
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), "dhis2w-pack-check-"));
  const tarballs = path.join(work, "tarballs");
  const user = path.join(work, "user");
  await mkdir(tarballs);
  await mkdir(user);
  let emulator: ChildProcess | undefined;
  try {
    await run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-b"], { cwd: ROOT });
    ok("tsc -b");

    // 1. Pack as npm publish does (prepack writes the published manifest, postpack restores).
    const packed = JSON.parse(
      (await run("npm", ["pack", "--workspaces", "--json", "--pack-destination", tarballs], { cwd: ROOT }))
        .stdout,
    ) as { name: string; filename: string; files: { path: string }[] }[];
    check(packed.length === 6, `expected 6 tarballs, got ${packed.length}`);
    const leftovers = (await readdir(path.join(ROOT, "packages"))).filter((p) =>
      existsSync(path.join(ROOT, "packages", p, "package.workspace.json")),
    );
    check(leftovers.length === 0, `postpack did not restore ${leftovers.join(", ")}`);
    const file = (name: string) => path.join(tarballs, packed.find((p) => p.name === name)!.filename);
    for (const p of packed) {
      const paths = p.files.map((f) => f.path);
      check(
        paths.includes("LICENSE") && paths.includes("README.md"),
        `${p.name}: LICENSE or README.md missing`,
      );
      check(!paths.some((f) => f.startsWith("test/")), `${p.name}: ships its tests`);
    }
    ok(`packed ${packed.map((p) => p.filename).join(", ")} (each with LICENSE and README)`);

    // 2. Lint each tarball.
    for (const p of packed) {
      await run(BIN(ROOT, "publint"), ["--strict", file(p.name)], { cwd: ROOT });
      await run(BIN(ROOT, "attw"), ["--profile", "esm-only", "--format", "ascii", file(p.name)], {
        cwd: ROOT,
      });
    }
    ok("publint --strict and attw --profile esm-only clean on every tarball");

    // 3. A new project outside the repository; first without the CLI's optional peers.
    await writeFile(
      path.join(user, "package.json"),
      `${JSON.stringify({ name: "dhis2w-user", version: "0.0.0", private: true, type: "module" }, null, 2)}\n`,
    );
    const npmInstall = (args: string[]) =>
      run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...args], { cwd: user });
    await npmInstall([
      ...["@dhis2w/client", "@dhis2w/core", "@dhis2w/cli", "@dhis2w/mcp"].map(file),
      "esbuild@0.28",
      "typescript@5.9",
      "@types/node@20",
    ]);
    ok("installed client, core, cli, mcp (no emulator, no codegen)");
    const missing = await run(BIN(user, "d2w"), ["dev", "emulator", "--port", "0"], { cwd: user, expect: 1 });
    check(
      missing.stderr.includes("npm i -D @dhis2w/emulator"),
      `d2w dev emulator without the emulator said: ${missing.stderr}`,
    );
    ok("d2w dev emulator without @dhis2w/emulator: exit 1, says `npm i -D @dhis2w/emulator`");
    await npmInstall([file("@dhis2w/emulator"), file("@dhis2w/codegen"), "bun@1", "deno@2"]);
    ok("installed emulator, codegen, bun, deno");

    // 4. ESM import of every subpath of every package.
    const subpaths: string[] = [];
    for (const p of packed) {
      const manifest = JSON.parse(
        await readFile(path.join(user, "node_modules", p.name, "package.json"), "utf8"),
      ) as {
        exports: Record<string, unknown>;
      };
      check(
        !JSON.stringify(manifest.exports).includes('"source"'),
        `${p.name}: published exports keep "source"`,
      );
      for (const key of Object.keys(manifest.exports)) {
        if (key === "./package.json") continue;
        // A pattern export (`./schemas/*`) is data: import one file it matches, as JSON.
        const sub = key === "." ? p.name : `${p.name}/${key.slice(2).replace("*", "v42.gen.json")}`;
        subpaths.push(sub);
      }
    }
    const importAll = subpaths
      .map((s) =>
        s.endsWith(".json")
          ? `await import(${JSON.stringify(s)}, { with: { type: "json" } });`
          : `await import(${JSON.stringify(s)});`,
      )
      .join("\n");
    await run(process.execPath, ["--input-type=module", "-e", importAll], { cwd: user });
    ok(`ESM import of ${subpaths.join(", ")}`);

    // 5. The bins.
    const help = await run(BIN(user, "d2w"), ["--help"], { cwd: user });
    check(help.stdout.startsWith("Usage: d2w"), `d2w --help printed: ${help.stdout.slice(0, 200)}`);
    ok("d2w --help");
    const tools = await mcpTools(user);
    check(
      tools.includes("metadata_list") && tools.includes("analytics_query"),
      `d2w-mcp tools: ${tools.join(", ")}`,
    );
    ok(`d2w-mcp lists ${tools.length} tools`);
    const emu = await startEmulator(user);
    emulator = emu.child;
    const info = await fetch(`${emu.url}/api/system/info`, { headers: { Authorization: ADMIN } });
    check(info.status === 200, `emulator /api/system/info: ${info.status}`);
    ok(`dhis2w-emulator on ${emu.url}`);

    // Core and the CLI as a user meets them: a profile written, verified, and SQLite's token store.
    const home = { HOME: user, XDG_CONFIG_HOME: path.join(user, ".config"), DHIS2_PASSWORD: "district" };
    const d2w = (args: string[]) => run(BIN(user, "d2w"), args, { cwd: user, env: home });
    await d2w(["profile", "add", "local", "--url", emu.url, "--auth", "basic", "--username", "admin"]);
    const verified = await d2w(["--json", "profile", "verify", "local"]);
    check(verified.stdout.includes("2.42"), `d2w profile verify: ${verified.stdout}`);
    const store = `import { SqliteTokenStore } from "@dhis2w/core";
const store = new SqliteTokenStore({ path: "tokens.sqlite", scope: "project" });
await store.set("local", { accessToken: "at", expiresAt: 1 });
if ((await store.get("local"))?.accessToken !== "at") throw new Error("token store lost the token");`;
    await run(process.execPath, ["--input-type=module", "-e", store], { cwd: user });
    ok("d2w profile add + verify against the emulator; SqliteTokenStore set/get (better-sqlite3 built)");

    // 6. The browser bundle.
    await copyFile(path.join(ROOT, "bench/fixtures/browser-usage.ts"), path.join(user, "browser-usage.ts"));
    const esbuild = BIN(user, "esbuild");
    await run(
      esbuild,
      [
        "browser-usage.ts",
        "--bundle",
        "--minify",
        "--format=esm",
        "--platform=browser",
        "--outfile=out/browser.js",
      ],
      { cwd: user },
    );
    const browser = await readFile(path.join(user, "out/browser.js"));
    check(
      !/from\s*"node:|import\("node:|require\("node:/.test(browser.toString("utf8")),
      "the browser bundle imports node:",
    );
    ok(
      `esbuild browser bundle: ${(browser.length / 1024).toFixed(1)} KB minified, ${(gzipSync(browser, { level: 9 }).length / 1024).toFixed(1)} KB gzipped, no node: import`,
    );

    // 7. The Node bundle importing a file of data values (and streaming analytics to a file).
    const ds = (await (
      await fetch(
        `${emu.url}/api/dataSets?fields=id,dataSetElements[dataElement[id]],organisationUnits[id]&paging=false`,
        {
          headers: { Authorization: ADMIN },
        },
      )
    ).json()) as {
      dataSets: {
        id: string;
        dataSetElements: { dataElement: { id: string } }[];
        organisationUnits: { id: string }[];
      }[];
    };
    const set = ds.dataSets.find((d) => d.dataSetElements.length > 0 && d.organisationUnits.length > 0);
    check(set, "no data set with data elements and org units in the demo seed");
    const dataValues = set.organisationUnits.slice(0, 2).flatMap((ou, i) =>
      set.dataSetElements.slice(0, 2).map((e, j) => ({
        dataElement: e.dataElement.id,
        period: "202401",
        orgUnit: ou.id,
        value: String(10 * i + j + 1),
      })),
    );
    await writeFile(path.join(user, "values.json"), JSON.stringify({ dataSet: set.id, dataValues }));
    await copyFile(path.join(HERE, "node-usage.ts"), path.join(user, "node-usage.ts"));
    await run(
      esbuild,
      [
        "node-usage.ts",
        "--bundle",
        "--platform=node",
        "--target=node20.19",
        "--format=esm",
        "--outfile=out/node.mjs",
      ],
      {
        cwd: user,
      },
    );
    const nodeRun = await run(process.execPath, ["out/node.mjs", "values.json", "out/analytics.csv"], {
      cwd: user,
      env: { DHIS2_URL: emu.url },
    });
    const nodeResult = JSON.parse(nodeRun.stdout) as { rowsRead: number; imported: number; csvBytes: number };
    check(
      nodeResult.rowsRead === dataValues.length && nodeResult.imported === dataValues.length,
      nodeRun.stdout,
    );
    check(nodeResult.csvBytes > 0, `analytics CSV: ${nodeRun.stdout}`);
    ok(
      `esbuild Node bundle imported ${nodeResult.imported} values from values.json, wrote ${nodeResult.csvBytes} bytes of CSV`,
    );

    // 8. The published types, strictly.
    await copyFile(path.join(HERE, "typed-usage.ts"), path.join(user, "typed-usage.ts"));
    const tsconfig = {
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2023", "DOM", "DOM.Iterable", "ESNext.Disposable"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
      },
      files: ["typed-usage.ts"],
    };
    await writeFile(path.join(user, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    await run(BIN(user, "tsc"), ["-p", "tsconfig.json"], { cwd: user });
    ok("tsc --noEmit (strict, skipLibCheck false) on typed-usage.ts");

    // 9. The client on Node, Bun and Deno.
    await copyFile(path.join(HERE, "runtime-usage.mjs"), path.join(user, "runtime-usage.mjs"));
    const runtimes: [string, string[]][] = [
      [process.execPath, ["runtime-usage.mjs"]],
      [BIN(user, "bun"), ["runtime-usage.mjs"]],
      [BIN(user, "deno"), ["run", "--allow-net", "--allow-env", "--allow-read", "runtime-usage.mjs"]],
    ];
    for (const [cmd, args] of runtimes) {
      // No update checks or telemetry (nothing but the registry is reachable), Deno's cache in the folder.
      const quiet = { DENO_NO_UPDATE_CHECK: "1", DENO_DIR: path.join(work, "deno"), DO_NOT_TRACK: "1" };
      const r = await run(cmd, args, { cwd: user, env: { DHIS2_URL: emu.url, NO_COLOR: "1", ...quiet } });
      const got = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
      check(
        got.version === "v42" && Number(got.dataElements) > 0 && Number(got.orgUnits) > 0,
        `${cmd}: ${r.stdout}`,
      );
      check(Number(got.csvBytes) > 0 && got.errorName === "Dhis2ApiError", `${cmd}: ${r.stdout}`);
      ok(`${path.basename(cmd)}: ${r.stdout.trim()}`);
    }
  } finally {
    emulator?.kill("SIGTERM");
    if (keep) console.log(`pack-check: left ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

main().then(
  () => {
    console.log(`pack-check: all checks passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    console.log(`pack-check: ${passed} passed, 0 failed`);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.log(`pack-check: ${passed} passed, 1 failed`);
    process.exit(1);
  },
);
