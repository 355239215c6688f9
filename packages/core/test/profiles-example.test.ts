/** examples/profile-crud.ts runs in-process against its own temp folder and cleans up after itself. */
import { readdirSync } from "node:fs";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { main } from "../../../examples/profile-crud.js";

describe("examples/profile-crud.ts", () => {
  it("walks add / list / show / rename / set-default / remove and skips verify without DHIS2_URL", async () => {
    const before = new Set(readdirSync(os.tmpdir()).filter((f) => f.startsWith("dhis2w-profile-crud-")));
    const lines: string[] = [];
    await main({ env: {}, log: (l) => lines.push(l) });
    const out = lines.join("\n");
    expect(out).toMatch(/project local +basic http:\/\/127\.0\.0\.1:8080 \(default\)/);
    expect(out).toMatch(/global +local +basic http:\/\/localhost:8080 \(default, shadowed\)/);
    expect(out).toContain("show staging: token=***");
    expect(out).toContain("resolved: stage (global-default)");
    expect(out).toContain("default cleared: true");
    expect(out).toContain("verify: skipped");
    expect(out).not.toContain("d2p_example");
    expect(out).not.toContain("district");
    const after = readdirSync(os.tmpdir()).filter(
      (f) => f.startsWith("dhis2w-profile-crud-") && !before.has(f),
    );
    expect(after).toEqual([]);
  });
});
