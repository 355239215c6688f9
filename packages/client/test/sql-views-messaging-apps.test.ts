/**
 * `client.sqlViews`, `client.messaging` and `client.apps` against the emulator on each version:
 * grids, variables and criteria, ad-hoc SQL (the view is deleted even when the run fails), the
 * errors DHIS2 gives as typed errors; messages with their id from `Location` and replies as
 * text/plain; apps installed from a zip (in memory and streamed), and a zip that is not an app.
 */
import {
  AppInstallError,
  BasicAuth,
  Dhis2Client,
  gridToRecords,
  MessagingError,
  SqlViewError,
  SqlViewInputError,
} from "@dhis2w/client";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { zip } from "../../emulator/src/analytics/zip.js";

const DISTRICT_ID = "DXyJmlo9rge";

describe.each(["v41", "v42", "v43"] as const)("toolkit part 2 on %s", (version) => {
  const open: { emu: Emulator; clients: Dhis2Client[] }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      for (const c of o.clients) await c.close();
      await o.emu.close();
    }
  });
  async function setup(username = "admin") {
    const emu = await createEmulator({ version, seed: "demo" });
    const connect = (user: string) =>
      Dhis2Client.open({
        baseUrl: emu.url,
        fetch: emu.fetch,
        auth: new BasicAuth({ username: user, password: "district" }),
      });
    const client = await connect(username);
    const district = await connect("district");
    open.push({ emu, clients: [client, district] });
    return { emu, client, district };
  }

  it("sqlViews.execute: a Grid, with variables and criteria; a missing variable is a SqlViewError naming it", async () => {
    const { emu, client } = await setup();
    const ids = emu.app.extensions.toolkitDemo!.sqlViews;
    const grid = await client.sqlViews.execute(ids.orgUnitsAtLevel, { variables: { level: 3 } });
    expect(grid).toMatchObject({ title: "Org units at level", width: 4, height: 12 });
    expect(grid.headers.map((h) => h.name)).toEqual(["uid", "code", "name", "path"]);
    const one = await client.sqlViews.execute(ids.orgUnitsAtLevel, {
      variables: { level: 2 },
      criteria: { code: "OU_NORT" },
    });
    expect(gridToRecords(one).map((r) => r.name)).toEqual(["Northern Region"]);

    const err = await client.sqlViews.execute(ids.orgUnitsAtLevel).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlViewError);
    expect(err).toMatchObject({
      errorCode: "E4307",
      missingVariables: ["level"],
      view: ids.orgUnitsAtLevel,
      statusCode: 409,
    });
    expect((err as Error).message).toContain("give them as { variables: { level: ... } }");
    const before = emu.stats.total;
    await expect(
      client.sqlViews.execute(ids.orgUnitsAtLevel, { variables: { level: "2; drop" } }),
    ).rejects.toBeInstanceOf(SqlViewInputError);
    expect(emu.stats.total).toBe(before);
  });

  it("sqlViews.create then refresh; a VIEW not yet created says so", async () => {
    const { emu, client } = await setup();
    const ids = emu.app.extensions.toolkitDemo!.sqlViews;
    const early = await client.sqlViews.execute(ids.dataValueCounts).catch((e: unknown) => e);
    expect(early).toMatchObject({ errorCode: "E7144" });
    expect((early as Error).message).toContain("must be created first");
    await client.sqlViews.create(ids.dataValueCounts);
    expect((await client.sqlViews.execute(ids.dataValueCounts)).headers.map((h) => h.name)).toEqual([
      "dataelement",
      "name",
      "value_count",
    ]);
    await client.sqlViews.refresh(ids.orgUnitHierarchy);
    expect((await client.sqlViews.execute(ids.orgUnitHierarchy)).height).toBe(65);
    await expect(client.sqlViews.refresh(ids.orgUnitsAtLevel)).rejects.toThrow(/View could not be refreshed/);
  });

  it("sqlViews.adhoc creates, runs and deletes a view, also when the run fails", async () => {
    const { emu, client } = await setup();
    const count = () => emu.state.metadata.count("sqlViews");
    const views = count();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${name} is DHIS2's SQL view variable syntax
    const grid = await client.sqlViews.adhoc("select name from dataelement where code = '${code}'", {
      variables: { code: "DE_ANC1" },
    });
    expect(grid.rows).toEqual([["ANC 1st visit"]]);
    expect(count()).toBe(views);
    const err = await client.sqlViews.adhoc("select * from userinfo").catch((e: unknown) => e);
    expect(err).toMatchObject({ errorCode: "E4310" });
    expect(count()).toBe(views);
  });

  it("messaging: send (id from Location), list, get, reply as text/plain, read state, delete for me", async () => {
    const { emu, client, district } = await setup();
    const id = await client.messaging.send({
      subject: "Stock-out",
      text: "Out of BCG",
      users: [DISTRICT_ID],
    });
    expect(emu.state.metadata.get("messageConversations", id)?.subject).toBe("Stock-out");
    const inbox = await district.messaging.list();
    expect(inbox).toEqual([expect.objectContaining({ id, subject: "Stock-out", read: false })]);
    await district.messaging.reply(id, 'Sent "20" vials');
    const mc = await client.messaging.get(id);
    expect(mc.messages.map((m) => m.text)).toEqual(["Out of BCG", 'Sent "20" vials']);
    expect(mc.read).toBe(false);
    expect(await client.messaging.markRead([id])).toEqual([id]);
    expect(await client.messaging.markRead([id])).toEqual([]);
    expect(await client.messaging.markUnread([id])).toEqual([id]);
    expect(await district.messaging.delete(id)).toBe(true);
    expect(await district.messaging.list()).toEqual([]);
    expect((await client.messaging.list()).map((c) => c.id)).toEqual([id]);
    await expect(client.messaging.get("abcdefghijk")).rejects.toThrow(
      "message conversation abcdefghijk: No MessageConversation found with UID: abcdefghijk",
    );
  });

  it("messaging: no recipients is refused before sending; an unknown user is a MessagingError", async () => {
    const { emu, client } = await setup();
    const before = emu.stats.total;
    const none = await client.messaging.send({ subject: "Hi", text: "..." }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(MessagingError);
    expect(none).toMatchObject({ field: "recipients" });
    expect(emu.stats.total).toBe(before);
    await expect(client.messaging.send({ subject: "Hi", text: "x", users: ["abcdefghijk"] })).rejects.toThrow(
      "send: User does not exist: abcdefghijk",
    );
  });

  it("apps: install from bytes and from a stream, list, uninstall, reload; a zip that is not an app", async () => {
    const { client } = await setup();
    const manifest = { name: "Stock Tracker", version: "2.1.0", launch_path: "index.html" };
    const bytes = await zip([
      ["manifest.webapp", JSON.stringify(manifest)],
      ["index.html", "<html></html>"],
    ]);
    const app = await client.apps.install(bytes, { filename: "stock-tracker.zip" });
    expect(app).toMatchObject({ key: "Stock-Tracker", name: "Stock Tracker", version: "2.1.0" });
    expect((await client.apps.list()).map((a) => a.key)).toEqual(["Stock-Tracker"]);
    await client.apps.uninstall("Stock-Tracker");
    const streamed = await client.apps.install(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(), {
      filename: "stock-tracker.zip",
    });
    expect(streamed?.key).toBe("Stock-Tracker");
    await client.apps.reload();

    const notZip = await client.apps
      .install(new TextEncoder().encode("hello"), { filename: "x.zip" })
      .catch((e: unknown) => e);
    expect(notZip).toBeInstanceOf(AppInstallError);
    expect((notZip as Error).message).toMatch(
      /^x\.zip is not a zip file: an app is a zip with a manifest\.webapp/,
    );
    const noManifest = await client.apps
      .install(await zip([["index.html", "<html></html>"]]), { filename: "site.zip" })
      .catch((e: unknown) => e);
    expect(noManifest).toBeInstanceOf(AppInstallError);
    expect((noManifest as Error).message).toMatch(
      /^site\.zip was refused: Manifest file missing from zip file; /,
    );
    await expect(client.apps.uninstall("Nope")).rejects.toThrow(/App does not exist: Nope/);
  });
});
