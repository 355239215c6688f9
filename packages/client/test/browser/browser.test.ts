/**
 * The client in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core)
 * loads a page from one origin whose script, `page.ts` bundled by esbuild for the browser from
 * the client's root entry, talks to the emulator on another origin through the emulator's CORS
 * allowlist, with a personal access token and with Basic. It lists, iterates, runs analytics and
 * reports back in the DOM; the test compares that with what Node reads from the same emulator.
 * A page from an origin outside the allowlist must fail at the preflight, so the CORS path is
 * the one being exercised. Screenshots go to `test-artifacts/browser/` (git-ignored).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AnalyticsMetaData, BasicAuth, Dhis2Client, gridToRecords, WebMessageResponse } from "@dhis2w/client";
import { type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { build } from "esbuild";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PageCredentials, PageReport } from "./page.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../../..");
const artifacts = path.join(repoRoot, "test-artifacts/browser");
const CHROMIUM = "/usr/bin/chromium";
const ADMIN = { username: "admin", password: "district" };
const PERIOD = "2025Q1";
const MONTHS = ["202501", "202502", "202503"];
// A page waits on several cross-origin round trips; on 2 loaded cores that can take a while.
const PAGE_WAIT_MS = 90_000;
/** A test's budget: a page load with both connections, with room to spare. */
const TEST_MS = 3 * PAGE_WAIT_MS;

/** A static server on 127.0.0.1 for the page and its bundle: one origin per server. */
async function staticServer(files: Map<string, { type: string; body: Buffer }>): Promise<{
  origin: string;
  close(): Promise<void>;
}> {
  const server = http.createServer((req, res) => {
    const name = new URL(req.url ?? "/", "http://x").pathname;
    const file = files.get(name === "/" ? "/index.html" : name);
    if (!file || req.method !== "GET") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": file.type, "cache-control": "no-store" }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `page.ts` bundled for the browser, split so the version tables load as lazy chunks. */
async function bundlePage(): Promise<Map<string, { type: string; body: Buffer }>> {
  const result = await build({
    entryPoints: { page: path.join(here, "page.ts") },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    // The workspace's sources (the `source` export condition), as the rest of the suite uses.
    conditions: ["source"],
    outdir: "/out",
    write: false,
    logLevel: "silent",
  });
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const out of result.outputFiles) {
    files.set(`/${path.relative("/out", out.path)}`, {
      type: "text/javascript",
      body: Buffer.from(out.contents),
    });
  }
  files.set("/index.html", { type: "text/html", body: await readFile(path.join(here, "index.html")) });
  return files;
}

/** Opens the page, waits until it reports, saves a screenshot, returns the report. */
async function runPage(
  context: BrowserContext,
  url: string,
  credentials: PageCredentials,
  screenshot: string,
): Promise<{ report: PageReport; console: string[] }> {
  const page: Page = await context.newPage();
  const consoleLines: string[] = [];
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
  try {
    // The credentials reach the page as a script global, never in its URL.
    await page.addInitScript((c) => {
      window.dhis2wCredentials = c;
    }, credentials);
    await page.goto(url, { timeout: PAGE_WAIT_MS });
    try {
      await page.waitForFunction(() => document.title === "done", undefined, { timeout: PAGE_WAIT_MS });
    } catch (error) {
      throw new Error(`the page never reported; its console:\n${consoleLines.join("\n")}`, { cause: error });
    } finally {
      await page.screenshot({ path: path.join(artifacts, screenshot), fullPage: true });
    }
    const text = (await page.locator("#result").textContent()) ?? "";
    return { report: JSON.parse(text) as PageReport, console: consoleLines };
  } finally {
    await page.close();
  }
}

// Skipped where Debian's chromium is not installed (`apt-get install -y chromium`); `.ci/run`
// installs it, so CI always runs this.
describe.skipIf(!existsSync(CHROMIUM))("the client in headless Chromium, across origins", () => {
  let files: Map<string, { type: string; body: Buffer }>;
  let allowed: Awaited<ReturnType<typeof staticServer>>;
  let blocked: Awaited<ReturnType<typeof staticServer>>;
  let profileDir: string;
  let context: BrowserContext;

  beforeAll(async () => {
    files = await bundlePage();
    allowed = await staticServer(files);
    blocked = await staticServer(files);
    await mkdir(artifacts, { recursive: true });
    profileDir = await mkdtemp(path.join(tmpdir(), "dhis2w-chromium-"));
    // A new empty profile; without the background-networking switches Chromium keeps calling
    // Google's hosts, which this closed network refuses.
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      timeout: PAGE_WAIT_MS,
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await allowed?.close();
    await blocked?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  describe.each(["v41", "v42", "v43"] as const)("DHIS2 %s", (version) => {
    let emu: RunningEmulator;
    let node: Dhis2Client;
    let credentials: PageCredentials;
    let de: string;
    let root: string;
    let regions: string[];
    let expectedByRegion: Map<string, number>;

    beforeAll(async () => {
      emu = await startEmulator({ version, seed: "demo", port: 0, allowedOrigins: [allowed.origin] });
      node = await Dhis2Client.open({ baseUrl: emu.url, auth: new BasicAuth(ADMIN) });
      const demo = emu.app.demo!;
      de = demo.dataElements[0]!;
      root = demo.root;
      regions = demo.regions;
      // The demo seed has no aggregate values: import some for every facility, through the client.
      const values = demo.facilities.flatMap((orgUnit, i) =>
        MONTHS.map((period, m) => ({ dataElement: de, period, orgUnit, value: String(1 + ((i + m) % 7)) })),
      );
      const imported = await node.dataValues.import({ dataValues: values });
      expect(imported.importCount.imported).toBe(values.length);
      expectedByRegion = new Map(regions.map((r) => [r, 0]));
      for (const v of values) {
        const ouPath = String(emu.state.metadata.get("organisationUnits", v.orgUnit)?.path);
        const region = regions.find((r) => ouPath.includes(r))!;
        expectedByRegion.set(region, expectedByRegion.get(region)! + Number(v.value));
      }
      const created = WebMessageResponse.parse(
        await node.postRaw("/api/apiToken", {
          type: "PERSONAL_ACCESS_TOKEN_V2",
          expire: Date.now() + 3_600_000,
        }),
      );
      credentials = { pat: String(created.response?.key), ...ADMIN };
    }, 120_000);

    afterAll(async () => {
      await node?.close();
      await emu?.close();
    });

    const pageUrl = (origin: string) => {
      const q = new URLSearchParams({ baseUrl: emu.url, dx: de, pe: PERIOD, ou: `${root};LEVEL-2` });
      return `${origin}/?${q}`;
    };

    it(
      "from an allowed origin, a PAT and Basic read what Node reads",
      async () => {
        const { report, console: lines } = await runPage(
          context,
          pageUrl(allowed.origin),
          credentials,
          `${version}-allowed-origin.png`,
        );
        expect(report.origin).toBe(allowed.origin);
        expect(report.origin).not.toBe(new URL(emu.url).origin);
        expect(report.reports.map((r) => r.auth)).toEqual(["pat", "basic"]);

        const me = await node.system.me();
        const dataElements = await node.resources.dataElements.list({ fields: "id,name", pageSize: 5 });
        const orgUnitIds = emu.state.metadata
          .list("organisationUnits")
          .map((ou) => String(ou.id))
          .sort();
        const grid = await node.analytics.query({
          dimensions: [`dx:${de}`, `pe:${PERIOD}`, `ou:${root};LEVEL-2`],
        });
        const nodeRows = gridToRecords(grid);
        const items = AnalyticsMetaData.parse(grid.metaData ?? {}).items;
        for (const r of report.reports) {
          if (!r.ok) throw new Error(`${r.auth}: ${r.error.name}: ${r.error.message}\n${lines.join("\n")}`);
          expect(r.versionKey).toBe(version);
          expect(r.me).toEqual({ username: "admin", displayName: me.displayName });
          expect(r.dataElements).toHaveLength(5);
          expect(r.dataElements).toEqual(dataElements.map((d) => ({ id: d.id, name: d.name })));
          expect(r.dataElementTotal).toBe(emu.state.metadata.count("dataElements"));
          // Every org unit exactly once, across several pages of 10.
          expect(orgUnitIds.length).toBeGreaterThan(20);
          expect([...r.orgUnitIds].sort()).toEqual(orgUnitIds);
          expect(r.analytics.headers).toEqual(["dx", "pe", "ou", "value"]);
          expect(r.analytics.rows).toEqual(nodeRows);
          for (const region of regions) {
            expect(r.analytics.ouNames[region]).toBe(
              emu.state.metadata.get("organisationUnits", region)?.name,
            );
            expect(r.analytics.ouNames[region]).toBe(items[region]?.name);
          }
          const byRegion = Object.fromEntries(r.analytics.rows.map((x) => [x.ou, Number(x.value)]));
          expect(byRegion).toEqual(Object.fromEntries(expectedByRegion));
        }
      },
      TEST_MS,
    );

    it(
      "fails at the preflight from an origin outside the allowlist, reaching no handler",
      async () => {
        const before = emu.stats.count("/api/system/info", "GET");
        const preflightsBefore = emu.stats.count("/api/system/info", "OPTIONS");
        const { report, console: lines } = await runPage(
          context,
          pageUrl(blocked.origin),
          credentials,
          `${version}-blocked-origin.png`,
        );
        expect(report.origin).toBe(blocked.origin);
        for (const r of report.reports) {
          expect(r.ok).toBe(false);
          if (r.ok) continue;
          // The browser's TypeError ("Failed to fetch") becomes the client's network error.
          expect(r.error.name).toBe("Dhis2NetworkError");
          expect(r.error.message).toContain(`${emu.url}/api/system/info`);
        }
        // Chromium itself says why: the answer to the preflight carried no allowed origin.
        expect(lines.some((l) => l.includes("blocked by CORS policy") && l.includes(blocked.origin))).toBe(
          true,
        );
        // One preflight per connection attempt; the real request never went out.
        expect(emu.stats.count("/api/system/info", "OPTIONS") - preflightsBefore).toBe(2);
        expect(emu.stats.count("/api/system/info", "GET")).toBe(before);
      },
      TEST_MS,
    );
  });
});
