import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, generateSnapshots, listGenerated, loadSchemaFile, snapshotFiles } from "@dhis2w/codegen";
import { describe, expect, it } from "vitest";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const committedDir = resolve(repoRoot, "packages/client/src/generated");
const HINT = "run `npm run codegen` (it writes src/generated and packages/emulator/schemas together)";

// The derived snapshots are committed, so this runs without the real ones in ../shared.
describe("the committed derived snapshots (packages/emulator/schemas/vNN.gen.json)", () => {
  it("regenerate the committed client code byte for byte", async () => {
    const docs = await Promise.all((await snapshotFiles()).map((f) => loadSchemaFile(f)));
    expect(docs.map((d) => d.versionKey)).toEqual(["v41", "v42", "v43"]);
    const files = generate(docs);
    expect([...files.keys()], HINT).toEqual(await listGenerated(committedDir));
    for (const [rel, content] of files) {
      expect(content === (await readFile(join(committedDir, rel), "utf8")), `${rel}: ${HINT}`).toBe(true);
    }
  });

  it("are their own normal form: derived again they are the same bytes", async () => {
    const files = await snapshotFiles();
    const again = generateSnapshots(await Promise.all(files.map((f) => loadSchemaFile(f))));
    for (const f of files) {
      const name = f.slice(f.lastIndexOf("/") + 1);
      expect(again.get(name) === (await readFile(f, "utf8")), name).toBe(true);
    }
  });
});
