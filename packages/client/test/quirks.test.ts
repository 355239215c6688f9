/**
 * The client absorbing DHIS2's surprises (QUIRKS.md), through the real HTTP path against the
 * emulator (which reproduces each one: packages/emulator/test/quirks.test.ts).
 */
import {
  BasicAuth,
  Dhis2ApiError,
  Dhis2Client,
  type Dhis2ClientOptions,
  OAuth2Auth,
  OAuth2FlowError,
  QueryValidationError,
  requestToken,
  WebMessageResponse,
} from "@dhis2w/client";
import { createEmulator, type Emulator, type EmulatorOptions } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function setup(opts: EmulatorOptions = {}, clientOpts: Partial<Dhis2ClientOptions> = {}) {
  const emu = await createEmulator({ version: "v42", seed: "demo", ...opts });
  running.push(emu);
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
    ...clientOpts,
  });
  return { emu, client, demo: emu.demo! };
}

describe("wire formats", () => {
  it("quirk: create() of a message conversation takes the UID from the Location header", async () => {
    const { emu, client } = await setup();
    // `text` is part of the POST body, not of the MessageConversation model.
    type Body = Parameters<typeof client.resources.messageConversations.create>[0];
    const uid = await client.resources.messageConversations.create({
      subject: "Stock-out",
      text: "Out of BCG",
      users: [{ id: "DXyJmlo9rge" }],
    } as Body);
    expect(uid).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
    expect(emu.state.metadata.get("messageConversations", uid)?.subject).toBe("Stock-out");

    let location: string | null = null;
    const raw = await client.postRaw(
      "/api/messageConversations",
      { subject: "Again", text: "x", users: [{ id: "DXyJmlo9rge" }] },
      {
        onHeaders: (h) => {
          location = h.get("location");
        },
      },
    );
    expect(WebMessageResponse.parse(raw).createdUid).toBeUndefined();
    const created = WebMessageResponse.parse(raw, { location }).createdUid;
    expect(created && emu.state.metadata.get("messageConversations", created)?.subject).toBe("Again");
  });

  it("quirk: me() takes bare-UID programs and null optional fields", async () => {
    const { emu, client } = await setup();
    emu.faults.add({
      path: "/api/me",
      status: 200,
      contentType: "application/json;charset=UTF-8",
      body: JSON.stringify({
        id: "M5zQapPyTZI",
        username: "admin",
        email: null,
        firstName: null,
        programs: ["IpHINAT79UW"],
        organisationUnits: [{ id: "ImspTQPwCqd" }],
      }),
    });
    const me = await client.system.me();
    expect(me.email).toBeUndefined();
    expect(me.programs).toEqual(["IpHINAT79UW"]);
    expect(await client.getRaw("/api/me/authorization/ALL")).toEqual({ data: true });
  });
});

describe("semantics", () => {
  it("quirk: deleting a data element with a soft-deleted value names E4030 and the maintenance fix", async () => {
    const { client, demo } = await setup();
    const de = demo.dataElements[0]!;
    const value = { dataElement: de, period: "202401", orgUnit: demo.facilities[0]!, value: "4" };
    await client.dataValues.import({ dataValues: [value] });
    await client.dataValues.import({ dataValues: [value] }, { importStrategy: "DELETE" });
    const error = await client.resources.dataElements.delete(de).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Dhis2ApiError);
    expect((error as Error).message).toContain(
      "Object could not be deleted because it is associated with another object: DataValue [E4030]",
    );
    expect((error as Error).message).toContain("/api/maintenance/softDeletedDataValueRemoval");
    await client.maintenance.removeSoftDeletedDataValues();
    await client.resources.dataElements.delete(de);
    expect(await client.resources.dataElements.get(de).catch((e: Dhis2ApiError) => e.statusCode)).toBe(404);
  });

  it("quirk: a row outside the user's capture scope comes back as an E7617 conflict, the others land", async () => {
    const { emu, demo } = await setup();
    const client = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "district", password: "district" }),
    });
    const inside = demo.facilities[0]!;
    const outside = demo.facilities.at(-1)!;
    const de = demo.dataElements[0]!;
    const result = await client.dataValues.import({
      dataValues: [
        { dataElement: de, period: "202402", orgUnit: inside, value: "1" },
        { dataElement: de, period: "202402", orgUnit: outside, value: "2" },
      ],
    });
    expect(result.importCount).toMatchObject({ imported: 1, ignored: 1 });
    expect(result.conflicts.map((c) => [c.errorCode, c.indexes])).toEqual([["E7617", [1]]]);
    await client.close();
  });

  it("quirk: `categorys` is refused before any request (DHIS2 would save an empty combo)", async () => {
    const { emu, client } = await setup({ version: "v43" });
    emu.stats.reset();
    // What an untyped caller (JavaScript, JSON read from a file) can send.
    const combo = { name: "Sex", categorys: [{ id: "GLevLNI9wkl" }] } as { name: string };
    const viaCreate = await client.resources.categoryCombos.create(combo).catch((e: unknown) => e);
    expect(viaCreate).toBeInstanceOf(QueryValidationError);
    expect((viaCreate as Error).message).toMatch(/`categorys`.*Use `categories`/);
    const viaImport = await client.metadata.import({ categoryCombos: [combo] }).catch((e: unknown) => e);
    expect(viaImport).toBeInstanceOf(QueryValidationError);
    expect((viaImport as Error).message).toContain("bundle.categoryCombos[0]");
    expect(emu.stats.count("/api/categoryCombos") + emu.stats.count("/api/metadata")).toBe(0);
  });

  it("quirk: on 2.43 an upload without dataSet that DHIS2 cannot place (E8002) says to pass dataSet", async () => {
    const { client, demo } = await setup({ version: "v43" });
    const de = demo.dataElements[0]!;
    await client.resources.dataSets.create({
      name: "Second set",
      shortName: "Second set",
      periodType: "Monthly",
      dataSetElements: [{ dataElement: { id: de } }],
    });
    const rows = {
      dataValues: [{ dataElement: de, period: "202401", orgUnit: demo.facilities[0]!, value: "3" }],
    };
    const failed = await client.dataValues.import(rows);
    expect(failed.status).toBe("ERROR");
    expect(failed.failedChunks[0]?.status).toBe(409);
    expect(failed.failedChunks[0]?.error.message).toMatch(
      /E8002.*pass the data set's UID as the dataSet option/,
    );
    expect(client.versionBehaviour.dataValues.setNeedsDataSet).toBe(true);
    const ok = await client.dataValues.import(rows, { dataSet: demo.dataSet });
    expect(ok).toMatchObject({ status: "OK", importCount: { imported: 1 } });
  });

  it("quirk: a flush error on a data set + sections import is thrown as DHIS2 said it, never retried or hidden", async () => {
    const { emu, client } = await setup();
    // Synthetic answer: the wording of the real failure varies (see docs/quirks.md).
    emu.faults.add({
      path: "/api/metadata",
      method: "POST",
      status: 500,
      contentType: "application/json;charset=UTF-8",
      body: JSON.stringify({
        httpStatus: "Internal Server Error",
        httpStatusCode: 500,
        status: "ERROR",
        message:
          "object references an unsaved transient instance - save the transient instance before flushing",
      }),
    });
    emu.stats.reset();
    const bundle = { dataSets: [{ name: "DS", shortName: "DS", periodType: "Monthly" }] };
    const error = await client.metadata.import(bundle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Dhis2ApiError);
    expect((error as Dhis2ApiError).statusCode).toBe(500);
    expect((error as Error).message).toContain("before flushing");
    expect(emu.stats.count("/api/metadata", "POST")).toBe(1);
    // The second pass, which the caller decides to make, goes through.
    expect((await client.metadata.import(bundle)).status).toBe("OK");
  });
});

describe("size limits", () => {
  it("quirk: a GET too long for the server (414) goes through POST /api/query/alias", async () => {
    const { emu, client, demo } = await setup({ maxUrlLength: 400 });
    const padding = Array.from({ length: 40 }, (_, i) => `Zz${String(i).padStart(9, "0")}`);
    emu.stats.reset();
    const list = await client.resources.dataElements.list({
      filters: [`id:in:[${[...demo.dataElements, ...padding].join(",")}]`],
      fields: "id",
      paging: false,
    });
    expect(list.map((d) => d.id).sort()).toEqual([...demo.dataElements].sort());
    expect(emu.stats.count("/api/query/alias", "POST")).toBe(1);
    expect(emu.stats.requests("/api/dataElements").some((r) => r.status === 414)).toBe(true);
  });

  it("quirk: a chunk over the body limit (413) says to pass a smaller chunkSize", async () => {
    const { client, demo } = await setup({ maxBodyBytes: 4_000 });
    const rows = Array.from({ length: 60 }, (_, i) => ({
      dataElement: demo.dataElements[i % demo.dataElements.length]!,
      period: `2023${String((i % 12) + 1).padStart(2, "0")}`,
      orgUnit: demo.facilities[Math.floor(i / 12) % demo.facilities.length]!,
      value: String(i),
    }));
    const big = await client.dataValues.import({ dataValues: rows }, { chunkSize: 60 });
    expect(big.failedChunks[0]?.status).toBe(413);
    expect(big.failedChunks[0]?.error.message).toContain("pass a smaller chunkSize (now 60)");
    const small = await client.dataValues.import({ dataValues: rows }, { chunkSize: 10 });
    expect(small).toMatchObject({ status: "OK", balanced: true, failedChunks: [] });
  });
});

describe("auth", () => {
  it("quirk: after the server regenerates its signing keys, a refresh says to log in again", async () => {
    const { emu } = await setup({ seed: "empty" });
    const oauth2 = emu.app.extensions.oauth2!;
    const registered = oauth2.authenticateClient("dhis2w-demo", "dhis2w-demo-secret");
    const admin = emu.state.users.byUsername("admin")!;
    const redirectUri = "http://127.0.0.1:8765/callback";
    const code = oauth2.issueCode(registered, redirectUri, admin.id, "ALL");
    const client = {
      tokenUrl: `${emu.url}/oauth2/token`,
      fetch: emu.fetch,
      clientId: "dhis2w-demo",
      clientSecret: "dhis2w-demo-secret",
    };
    const token = await requestToken(client, "authorization_code", { code, redirect_uri: redirectUri });
    oauth2.restart();
    const auth = new OAuth2Auth({ ...client, token: { ...token, expiresAt: 0 }, profileName: "play" });
    const error = await auth.headers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2FlowError);
    expect((error as OAuth2FlowError).code).toBe("invalid_grant");
    expect((error as Error).message).toContain("d2w profile login play");
  });
});
