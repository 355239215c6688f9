/**
 * `d2w sql-view run|adhoc`, `d2w files upload|download`, `d2w messaging list|send|reply` and
 * `d2w apps list|install|uninstall`, in process through `run(argv, io)` against the emulator on
 * each version.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zip } from "../../emulator/src/analytics/zip.js";
import { InProcessCli } from "./support/in-process.js";

describe.each(["v41", "v42", "v43"] as const)("d2w toolkit commands on %s", (version) => {
  let emu: RunningEmulator;
  const cli = new InProcessCli();

  beforeAll(async () => {
    emu = await startEmulator({ version, seed: "demo" });
    emu.app.extensions.files!.storeDelayMs = 0;
    cli.env = { DHIS2_URL: emu.url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: "district" };
  });
  afterAll(async () => {
    await emu?.close();
    cli.dispose();
  });

  it("sql-view run prints the grid (table, --csv, --json); a missing variable exits 1 naming it", async () => {
    const id = emu.app.extensions.toolkitDemo!.sqlViews.orgUnitsAtLevel;
    const table = await cli.run(["sql-view", "run", id, "--var", "level:2"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^uid\s+code\s+name\s+path$/);
    expect(table.stdout).toContain("Northern Region");
    const csv = await cli.run([
      "sql-view",
      "run",
      id,
      "--var",
      "level:2",
      "--criteria",
      "code:OU_EAST",
      "--csv",
    ]);
    expect(csv.stdout).toMatch(/^uid,code,name,path\n[A-Za-z0-9]{11},OU_EAST,Eastern Region,\/[^\n]+\n$/);
    const json = await cli.run(["--json", "sql-view", "run", id, "--var", "level:1"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      title: "Org units at level",
      height: 1,
      rows: [[expect.any(String), "OU_EMU", "Emuland", expect.any(String)]],
    });
    const missing = await cli.run(["sql-view", "run", id]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("SQL query contains variables not provided in request: `[level]`");
    expect(missing.stderr).toContain("--var name:value");
    const bad = await cli.run(["sql-view", "run", id, "--var", "level"]);
    expect(bad.code).toBe(2);
  });

  it("sql-view adhoc runs SQL and leaves no view behind", async () => {
    const before = emu.state.metadata.count("sqlViews");
    const res = await cli.run([
      "--json",
      "sql-view",
      "adhoc",
      "select count(*) as n from dataelement where domaintype = 'AGGREGATE'",
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).rows[0][0]).toBeGreaterThan(0);
    expect(emu.state.metadata.count("sqlViews")).toBe(before);
  });

  it("files upload streams a file from disk; download writes it back byte for byte (--out and stdout)", async () => {
    const file = cli.path("scan.bin");
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    writeFileSync(file, bytes);
    const up = await cli.run(["--json", "files", "upload", file, "--domain", "document"]);
    expect(up.code, up.stderr).toBe(0);
    const fr = JSON.parse(up.stdout);
    expect(fr).toMatchObject({
      name: "scan.bin",
      contentLength: 70_000,
      domain: "DOCUMENT",
      storageStatus: "STORED",
    });
    const out = cli.path("copy.bin");
    const down = await cli.run(["files", "download", fr.id, "--out", out]);
    expect(down.code, down.stderr).toBe(0);
    expect(readFileSync(out).equals(bytes)).toBe(true);

    const text = cli.path("note.txt");
    writeFileSync(text, "héllo\r\nwörld\n");
    const t = JSON.parse((await cli.run(["--json", "files", "upload", text, "--domain", "DOCUMENT"])).stdout);
    const piped = await cli.run(["files", "download", t.id]);
    expect(piped.stdout).toBe("héllo\r\nwörld\n");
    const none = await cli.run(["files", "upload", cli.path("missing.pdf")]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("file not found");
  });

  it("files upload of a file over the server's limit exits 1 with the hint", async () => {
    emu.app.extensions.files!.maxUploadBytes = 100;
    try {
      const file = cli.path("big.bin");
      writeFileSync(file, Buffer.alloc(101));
      const res = await cli.run(["files", "upload", file, "--domain", "DOCUMENT"]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(
        "big.bin (101 bytes) is larger than the server's limit of 100 bytes (max.file_upload_size",
      );
    } finally {
      emu.app.extensions.files!.maxUploadBytes = 10_000_000;
    }
  });

  it("messaging send prints the new id; list shows it; reply adds to it; no recipient is a usage error", async () => {
    const sent = await cli.run([
      "messaging",
      "send",
      "--subject",
      "Stock-out",
      "--to",
      "DXyJmlo9rge",
      "Out of BCG",
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    const id = sent.stdout.trim();
    expect(id).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
    const replied = await cli.run(["messaging", "reply", id, "Thanks"], { DHIS2_USERNAME: "district" });
    expect(replied.code, replied.stderr).toBe(0);
    const list = await cli.run(["--json", "messaging", "list"]);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ id, subject: "Stock-out", messageCount: 2 }),
    );
    const table = await cli.run(["messaging", "list", "--unread"]);
    expect(table.stdout).toContain("Stock-out");
    const none = await cli.run(["messaging", "send", "--subject", "x", "text"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("give at least one recipient");
  });

  it("apps install streams a zip; list and uninstall; a zip that is not an app exits 1 saying why", async () => {
    const file = cli.path("tracker-tools.zip");
    writeFileSync(
      file,
      await zip([
        [
          "manifest.webapp",
          JSON.stringify({ name: "Tracker Tools", version: "0.3.0", launch_path: "index.html" }),
        ],
      ]),
    );
    const inst = await cli.run(["apps", "install", file]);
    expect(inst.code, inst.stderr).toBe(0);
    expect(inst.stdout).toBe("installed Tracker-Tools 0.3.0\n");
    const list = await cli.run(["--json", "apps", "list"]);
    expect(JSON.parse(list.stdout).map((a: { key: string }) => a.key)).toContain("Tracker-Tools");
    expect((await cli.run(["apps", "uninstall", "Tracker-Tools"])).stdout).toBe(
      "uninstalled Tracker-Tools\n",
    );
    const notApp = cli.path("site.zip");
    writeFileSync(notApp, await zip([["index.html", "<html></html>"]]));
    const bad = await cli.run(["apps", "install", notApp]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("site.zip was refused: Manifest file missing from zip file");
  });
});
