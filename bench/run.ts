/**
 * `npm run bench [id ...]`: runs the benchmarks (all, or the ids given), prints them, and rewrites
 * each one's section of docs/benchmarks.md (between `<!-- bench:<id> -->` markers), leaving the
 * other sections as they are. Benchmarks measure; they never fail a build.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Benchmark, BenchResult } from "./harness.js";
import { BENCHMARKS } from "./registry.js";

const DOC = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const HEADER = `# Benchmarks

Produced by \`npm run bench\` (\`bench/run.ts\`); each section is rewritten by its benchmark, so
edit the benchmark, not this file. Numbers are for comparison on one machine, not promises.
`;

function section(b: Benchmark, r: BenchResult): string {
  return `<!-- bench:${b.id} -->\n## ${b.title}\n\n${r.markdown.trim()}\n<!-- /bench:${b.id} -->`;
}

async function updateDoc(results: ReadonlyArray<[Benchmark, BenchResult]>): Promise<void> {
  let doc = await readFile(DOC, "utf8").catch(() => HEADER);
  for (const [b, r] of results) {
    const block = section(b, r);
    const re = new RegExp(`<!-- bench:${b.id} -->[\\s\\S]*?<!-- /bench:${b.id} -->`);
    doc = re.test(doc) ? doc.replace(re, () => block) : `${doc.trimEnd()}\n\n${block}\n`;
  }
  await writeFile(DOC, doc.endsWith("\n") ? doc : `${doc}\n`);
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((id) => !BENCHMARKS.some((b) => b.id === id));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(", ")}; known: ${BENCHMARKS.map((b) => b.id).join(", ")}`,
  );
  process.exit(2);
}
const selected = wanted.length > 0 ? BENCHMARKS.filter((b) => wanted.includes(b.id)) : BENCHMARKS;
const results: [Benchmark, BenchResult][] = [];
for (const b of selected) {
  console.log(`\n== ${b.title} (${b.id})`);
  const r = await b.run();
  for (const line of r.lines) console.log(`   ${line}`);
  results.push([b, r]);
}
await updateDoc(results);
console.log(`\nupdated ${DOC}`);
