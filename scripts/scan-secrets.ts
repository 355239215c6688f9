/**
 * Scans saved test output for the sentinel secrets of the last `secrets-hygiene` test run.
 *
 *   npm test 2>&1 | tee test-output.txt
 *   npx tsx --conditions=source scripts/scan-secrets.ts test-output.txt [more files ...]
 *
 * `packages/core/test/secrets-hygiene.test.ts` writes its unique random sentinels (a user
 * password, a minted PAT, a client secret, access and refresh tokens, wrong credentials, secret
 * query values) to `<os tmpdir>/dhis2w-secret-sentinels.json` (mode 0600). This script looks for
 * each of them, raw, URL-encoded and base64-encoded, in the given files (or stdin with `-`), and
 * exits 1 naming the secret and the line when one is found. It never prints a secret.
 * `--sentinels FILE` reads another sentinel file. The in-test sweep is the stronger check (it sees
 * every error and trace event, not only what the reporter printed); this one is CI evidence that
 * nothing printed during the run carried a secret.
 */
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const DEFAULT_SENTINELS = path.join(os.tmpdir(), "dhis2w-secret-sentinels.json");

function usage(message: string): never {
  console.error(
    `scan-secrets: ${message}\nusage: scan-secrets [--sentinels FILE] OUTPUT_FILE... (or - for stdin)`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): { sentinels: string; files: string[] } {
  let sentinels = DEFAULT_SENTINELS;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--sentinels") {
      const next = argv[++i];
      if (!next) usage("--sentinels needs a file");
      sentinels = next;
    } else files.push(arg);
  }
  if (files.length === 0) usage("give at least one file to scan");
  return { sentinels, files };
}

function loadSentinels(file: string): Map<string, string[]> {
  if (!existsSync(file)) {
    usage(
      `${file} does not exist: run packages/core/test/secrets-hygiene.test.ts first (it writes the sentinels)`,
    );
  }
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    usage(`${file} is not a JSON object of label -> secret (or list of forms)`);
  }
  const out = new Map<string, string[]>();
  // label -> a secret, or the list of forms it travels in (the test writes the list).
  for (const [label, value] of Object.entries(parsed)) {
    const given = (Array.isArray(value) ? value : [value]).filter(
      (v): v is string => typeof v === "string" && v.length >= 8,
    );
    const forms = given.flatMap((v) => [v, encodeURIComponent(v), Buffer.from(v, "utf8").toString("base64")]);
    if (forms.length > 0) out.set(label, [...new Set(forms)]);
  }
  if (out.size === 0) usage(`${file} holds no sentinel`);
  return out;
}

function main(): void {
  const { sentinels, files } = parseArgs(process.argv.slice(2));
  const needles = loadSentinels(sentinels);
  let found = 0;
  for (const file of files) {
    const text = readFileSync(file === "-" ? 0 : file, "utf8");
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      for (const [label, forms] of needles) {
        if (forms.some((f) => line.includes(f))) {
          found++;
          console.error(`${file}:${i + 1}: the sentinel "${label}" appears here`);
        }
      }
    });
  }
  if (found > 0) {
    console.error(`scan-secrets: ${found} occurrence(s) of sentinel secrets found`);
    process.exit(1);
  }
  console.log(`scan-secrets: none of ${needles.size} sentinels found in ${files.join(", ")}`);
}

main();
