/**
 * The browser test's page script, bundled by esbuild for the browser (browser.test.ts): the
 * client's root entry, `@dhis2w/client`, running in Chromium against an emulator on another
 * origin. It connects once with a personal access token and once with Basic, reads `/api/me`,
 * lists data elements, iterates every org unit page by page, runs an analytics query, and
 * reports what it saw as JSON in `<pre id="result">`, then sets `document.title` to "done".
 *
 * The emulator's URL and the analytics dimensions come in the query string. The credentials do
 * not (a URL ends up in logs and history): the test puts them on `window.dhis2wCredentials`
 * with an init script before the page loads. Nothing secret is written into the page.
 */
import {
  AnalyticsMetaData,
  type AuthProvider,
  BasicAuth,
  Dhis2Client,
  gridToRecords,
  PatAuth,
} from "@dhis2w/client";

/** What the test hands the page before it loads. */
export interface PageCredentials {
  pat: string;
  username: string;
  password: string;
}

/** One connection's report: what the page read, or the error that stopped it. */
export type AuthReport =
  | {
      auth: "pat" | "basic";
      ok: true;
      versionKey: string;
      me: { username: string; displayName: string | undefined };
      dataElements: { id: string; name: string }[];
      dataElementTotal: number | undefined;
      orgUnitIds: string[];
      /** The grid as records, and the names its metaData gives the org units. */
      analytics: { headers: string[]; rows: Record<string, unknown>[]; ouNames: Record<string, string> };
    }
  | { auth: "pat" | "basic"; ok: false; error: { name: string; message: string } };

/** The whole report the page writes into `<pre id="result">`. */
export interface PageReport {
  origin: string;
  baseUrl: string;
  reports: AuthReport[];
}

declare global {
  interface Window {
    dhis2wCredentials?: PageCredentials;
  }
}

async function exercise(
  auth: AuthProvider & { kind: string },
  baseUrl: string,
  q: URLSearchParams,
): Promise<AuthReport> {
  const kind = auth.kind === "pat" ? "pat" : "basic";
  try {
    // The browser's own fetch: no `fetch` option, as an app in a page would use the client.
    await using client = await Dhis2Client.open({ baseUrl, auth });
    const me = await client.system.me();
    const dataElements = await client.resources.dataElements.list({ fields: "id,name", pageSize: 5 });
    const page = await client.resources.dataElements.listRaw({ fields: "id", pageSize: 1 });
    const orgUnitIds: string[] = [];
    // A small page size, so iterating takes several page requests across origins.
    for await (const ou of client.resources.organisationUnits.iterate({ fields: "id", pageSize: 10 })) {
      orgUnitIds.push(ou.id);
    }
    const grid = await client.analytics.query({
      dimensions: [`dx:${q.get("dx")}`, `pe:${q.get("pe")}`, `ou:${q.get("ou")}`],
    });
    const items = AnalyticsMetaData.parse(grid.metaData ?? {}).items;
    const rows = gridToRecords(grid);
    const ouNames = Object.fromEntries(rows.map((r) => [String(r.ou), items[String(r.ou)]?.name ?? ""]));
    return {
      auth: kind,
      ok: true,
      versionKey: client.versionKey,
      me: { username: me.username, displayName: me.displayName },
      dataElements: dataElements.map((de) => ({ id: de.id, name: String(de.name) })),
      dataElementTotal: page.pager?.total,
      orgUnitIds,
      analytics: { headers: grid.headers.map((h) => h.name), rows, ouNames },
    };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { auth: kind, ok: false, error: { name: e.name, message: e.message } };
  }
}

function render(report: PageReport): void {
  const summary = document.getElementById("summary")!;
  for (const r of report.reports) {
    const row = document.createElement("tr");
    const names = r.ok ? r.analytics.ouNames : {};
    const cells = r.ok
      ? [
          r.auth,
          `ok (${r.versionKey})`,
          `${r.me.username} (${r.me.displayName ?? ""})`,
          `${r.dataElements.length} of ${r.dataElementTotal}: ${r.dataElements.map((d) => d.name).join(", ")}`,
          String(r.orgUnitIds.length),
          r.analytics.rows.map((x) => `${names[String(x.ou)] ?? x.ou} ${x.pe}: ${x.value}`).join("\n"),
        ]
      : [r.auth, r.error.name, r.error.message];
    for (const text of cells) {
      const td = document.createElement("td");
      td.textContent = text;
      row.append(td);
    }
    // An error's message spans the columns a success would fill.
    if (!r.ok) row.lastElementChild?.setAttribute("colspan", "4");
    row.className = r.ok ? "ok" : "failed";
    summary.append(row);
  }
  document.getElementById("origins")!.textContent = `page ${report.origin} -> DHIS2 ${report.baseUrl}`;
  document.getElementById("result")!.textContent = JSON.stringify(report);
  document.title = "done";
}

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const baseUrl = q.get("baseUrl") ?? "";
  const creds = window.dhis2wCredentials;
  const reports: AuthReport[] = [];
  if (!creds) {
    const error = { name: "Error", message: "window.dhis2wCredentials is not set" };
    reports.push({ auth: "pat", ok: false, error }, { auth: "basic", ok: false, error });
  } else {
    reports.push(await exercise(new PatAuth({ token: creds.pat }), baseUrl, q));
    reports.push(
      await exercise(new BasicAuth({ username: creds.username, password: creds.password }), baseUrl, q),
    );
  }
  render({ origin: location.origin, baseUrl, reports });
}

void main();
