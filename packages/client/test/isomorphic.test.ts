/**
 * The client's root entry must run in a browser, Deno or Bun: nothing reachable from
 * `src/index.ts` may import a `node:*` module (Node-only helpers live behind `@dhis2w/client/node`).
 * Walks the real import graph of the sources, static and dynamic imports alike.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src");
const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function graph(entry: string): { files: Set<string>; nodeImports: string[] } {
  const files = new Set<string>();
  const nodeImports: string[] = [];
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith("node:")) nodeImports.push(`${path.relative(src, file)} imports ${spec}`);
      else if (spec.startsWith(".")) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")));
    }
  };
  visit(entry);
  return { files, nodeImports };
}

describe("isomorphic client root", () => {
  it("imports no node:* module anywhere in the graph of src/index.ts", () => {
    const { files, nodeImports } = graph(path.join(src, "index.ts"));
    expect(files.size).toBeGreaterThan(50);
    expect(nodeImports).toEqual([]);
  });

  it("keeps node:* imports to the ./node entry", () => {
    const { nodeImports } = graph(path.join(src, "node/index.ts"));
    expect(nodeImports.length).toBeGreaterThan(0);
  });
});
