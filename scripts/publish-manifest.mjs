/**
 * `prepack` / `postpack` of every package (run by `npm pack` and `npm publish` in the package's
 * folder): writes the manifest users get, then puts the workspace's back.
 *
 * The workspace's `package.json` resolves sources through a `source` export condition (tsc,
 * vitest and tsx use it; docs/decisions.md) and points bins at committed shims that fall back
 * to the sources. Neither is in a tarball, so `prepack` saves the file as `package.workspace.json`
 * and writes, like octokit's build: exports without `source` (`types` first, `./package.json`
 * added), bins at `dist/`, no `scripts`/`devDependencies`, `files` (`dist` and `src`: the source
 * maps point at `src/`), and the root LICENSE copied in. Build output whose source is gone (a
 * moved file's old `.js`) is removed first, so a tarball never ships a stale module. `postpack`
 * restores the saved manifest and removes the copied LICENSE.
 *
 *   node ../../scripts/publish-manifest.mjs prepack|postpack
 */
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SAVED = "package.workspace.json";
const COPIED_MARK = ".license-copied";

function fail(message) {
  process.stderr.write(`publish-manifest: ${message}\n`);
  process.exit(1);
}

/** Drops workspace-only conditions from one exports entry; `types` first, `default` last. */
function publishedTarget(target) {
  if (typeof target === "string") return target;
  const { source: _source, types, default: fallback, ...rest } = target;
  return { ...(types ? { types } : {}), ...rest, ...(fallback ? { default: fallback } : {}) };
}

/** `./bin/d2w.js` (the checkout's shim) -> `./dist/bin.js` (what the shim runs). */
function publishedBin(pkgDir, file) {
  const shim = readFileSync(join(pkgDir, file), "utf8");
  const built = /runBin\(import\.meta\.url, "\.\.\/(dist\/[^"]+)"/.exec(shim)?.[1];
  if (!built) return file;
  if (!existsSync(join(pkgDir, built))) fail(`${built} is not built: run \`npx tsc -b\` first`);
  return `./${built}`;
}

/** Removes dist files whose source no longer exists (tsc -b never deletes outputs). */
function removeStaleOutputs(pkgDir) {
  const dist = join(pkgDir, "dist");
  if (!existsSync(dist)) fail("dist/ is missing: run `npx tsc -b` first");
  for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const rel = relative(dist, file);
    const stem = rel.replace(/(\.d)?\.(js|ts)(\.map)?$/, "");
    if (stem === rel) continue;
    if (!existsSync(join(pkgDir, "src", `${stem}.ts`))) {
      rmSync(file);
      process.stderr.write(`publish-manifest: removed stale dist/${rel} (its source is gone)\n`);
    }
  }
}

export function publishManifest(pkg, pkgDir, root) {
  const { scripts: _scripts, devDependencies: _dev, exports, bin, ...rest } = pkg;
  const out = {
    ...rest,
    license: root.license,
    author: root.author,
    homepage: `${root.homepage}/tree/main/${relative(ROOT, pkgDir)}#readme`,
    repository: { ...root.repository, directory: relative(ROOT, pkgDir) },
    bugs: root.bugs,
    sideEffects: false,
    // dist and src (for the source maps), plus any data folder the package lists itself
    // (the emulator's schema snapshots).
    files: [...new Set(["dist", "src", ...(pkg.files ?? [])])],
  };
  if (exports) {
    out.exports = Object.fromEntries(Object.entries(exports).map(([k, v]) => [k, publishedTarget(v)]));
    out.exports["./package.json"] = "./package.json";
    const main = out.exports["."];
    if (main && typeof main === "object") {
      out.types = main.types;
      out.main = main.default;
    }
  }
  if (bin) out.bin = Object.fromEntries(Object.entries(bin).map(([k, v]) => [k, publishedBin(pkgDir, v)]));
  return out;
}

function prepack(pkgDir) {
  if (existsSync(join(pkgDir, SAVED))) {
    fail(
      `${SAVED} exists: a previous pack did not finish; run \`node ${relative(pkgDir, fileURLToPath(import.meta.url))} postpack\` first`,
    );
  }
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  removeStaleOutputs(pkgDir);
  const out = publishManifest(pkg, pkgDir, root);
  renameSync(join(pkgDir, "package.json"), join(pkgDir, SAVED));
  writeFileSync(join(pkgDir, "package.json"), `${JSON.stringify(out, null, 2)}\n`);
  if (!existsSync(join(pkgDir, "LICENSE"))) {
    copyFileSync(join(ROOT, "LICENSE"), join(pkgDir, "LICENSE"));
    writeFileSync(join(pkgDir, COPIED_MARK), "");
  }
}

function postpack(pkgDir) {
  if (!existsSync(join(pkgDir, SAVED))) fail(`no ${SAVED} to restore in ${pkgDir}`);
  renameSync(join(pkgDir, SAVED), join(pkgDir, "package.json"));
  if (existsSync(join(pkgDir, COPIED_MARK))) {
    rmSync(join(pkgDir, "LICENSE"), { force: true });
    rmSync(join(pkgDir, COPIED_MARK));
  }
}

const step = process.argv[2];
if (step === "prepack") prepack(process.cwd());
else if (step === "postpack") postpack(process.cwd());
else if (step !== undefined) fail(`unknown step ${step}; give prepack or postpack`);
