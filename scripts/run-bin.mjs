/**
 * What the committed bin shims (`packages/<name>/bin/*.js`) run. A checkout links those shims into
 * `node_modules/.bin` at `npm ci` (npm links a workspace bin only when its file exists, and
 * `dist/` does not yet), so `npx d2w`, `npx d2w-mcp` and `npx dhis2w-emulator` work right after
 * `npm ci`, offline: the built file when `npm run build` made one, else the TypeScript sources
 * through tsx (a dev dependency of the checkout) with workspace packages resolved to their
 * sources (the `source` export condition). Published packages point their bins at `dist/`
 * directly (scripts/publish-manifest.mjs), so none of this ships.
 */
import { existsSync } from "node:fs";
import { register } from "node:module";

/** Adds the `source` condition to every resolution, as `tsx --conditions=source` does. */
const SOURCE_CONDITION = `export async function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...context.conditions, "source"] });
}`;

/**
 * Runs `built` (relative to the shim) when it exists, else `source` through tsx.
 *
 * @param {string} shimUrl `import.meta.url` of the shim
 * @param {string} built e.g. `../dist/bin.js`
 * @param {string} source e.g. `../src/bin.ts`
 */
export async function runBin(shimUrl, built, source) {
  const builtUrl = new URL(built, shimUrl);
  if (existsSync(builtUrl)) {
    await import(builtUrl.href);
    return;
  }
  let tsx;
  try {
    tsx = await import("tsx/esm/api");
  } catch {
    process.stderr.write(
      `${new URL(source, shimUrl).pathname} is not built and tsx is not installed: run \`npm ci\` and \`npm run build\`\n`,
    );
    process.exit(70);
  }
  tsx.register();
  // Registered after tsx, so it runs first and hands the condition on to tsx's resolver.
  register(`data:text/javascript,${encodeURIComponent(SOURCE_CONDITION)}`);
  await import(new URL(source, shimUrl).href);
}
