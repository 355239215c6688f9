/**
 * The metadata accessors end to end: real HTTP through `Dhis2Client` against `@dhis2w/emulator`
 * seeded with demo data (admin/district, Basic auth).
 */
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BasicAuth,
  bindMetadataAccessors,
  Dhis2ApiError,
  Dhis2Client,
  generateUid,
  loadResourceTable,
  type MetadataAccessorsFor,
  QueryValidationError,
  replaceOp,
} from "../src/index.js";

let emu: Emulator;
let client: Dhis2Client<"v42">;
let api: MetadataAccessorsFor<"v42">;

beforeAll(async () => {
  emu = await createEmulator({ version: "v42", seed: "demo" });
  client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    version: "v42",
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  api = bindMetadataAccessors(client, await loadResourceTable("v42"), "v42");
});
afterAll(async () => {
  await client?.close();
  await emu?.close();
});

describe("typed resource CRUD", () => {
  it("creates, reads with fields, updates, patches and deletes a data element", async () => {
    const des = api.resources.dataElements;
    const id = generateUid();
    const created = await des.create({
      id,
      name: `Example DE ${id}`,
      shortName: `Ex ${id.slice(0, 4)}`,
      code: `EX_DE_${id}`,
      domainType: "AGGREGATE",
      valueType: "NUMBER",
      aggregationType: "SUM",
      categoryCombo: { id: "bjDvmb4bfuf" },
    });
    expect(created).toBe(id);

    const fetched = await des.get(id, { fields: "id,name,shortName,valueType,categoryCombo[id]" });
    expect(fetched).toEqual({
      id,
      name: `Example DE ${id}`,
      shortName: `Ex ${id.slice(0, 4)}`,
      valueType: "NUMBER",
      categoryCombo: { id: "bjDvmb4bfuf" },
    });

    const whole = await des.get(id);
    await des.update({ ...whole, name: "Renamed" });
    expect((await des.get(id, { fields: "name" })).name).toBe("Renamed");

    await des.patch(id, [replaceOp("/shortName", "Px")]);
    expect((await des.get(id, { fields: "shortName" })).shortName).toBe("Px");

    await des.delete(id);
    const gone = await des.get(id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(Dhis2ApiError);
    expect((gone as Dhis2ApiError).statusCode).toBe(404);
  });

  it("adds and removes a collection item", async () => {
    const dsId = emu.demo!.dataSet;
    const ou = emu.demo!.districts[0]!;
    const ouIds = async () =>
      (
        (await api.resources.dataSets.get(dsId, { fields: "organisationUnits[id]" })).organisationUnits ?? []
      ).map((o) => o.id);
    await api.resources.dataSets.addCollectionItem(dsId, "organisationUnits", ou);
    expect(await ouIds()).toContain(ou);
    await api.resources.dataSets.removeCollectionItem(dsId, "organisationUnits", ou);
    expect(await ouIds()).not.toContain(ou);
  });

  it("refuses an unknown collection and an unknown filter property before any request", async () => {
    const before = emu.stats.requests().length;
    await expect(
      api.resources.dataSets.addCollectionItem(
        emu.demo!.dataSet,
        "orgUnits" as "organisationUnits",
        emu.demo!.root,
      ),
    ).rejects.toBeInstanceOf(QueryValidationError);
    await expect(api.resources.dataElements.list({ filters: ["nmae:like:ANC"] })).rejects.toThrow(
      /did you mean "name"/,
    );
    expect(emu.stats.requests().length).toBe(before);
  });
});

describe("filters, order, paging", () => {
  it("quirk: filters with like, and ORs filters with rootJunction", async () => {
    const penta = await api.resources.dataElements.list({ filters: ["name:like:Penta"], fields: "id,name" });
    expect(penta.map((d) => d.name)).toEqual(["Penta 1 doses given"]);

    const and = await api.resources.dataElements.list({ filters: ["name:like:ANC", "code:eq:DE_PENTA1"] });
    expect(and).toHaveLength(0);
    const or = await api.resources.dataElements.list({
      filters: ["name:like:ANC", "code:eq:DE_PENTA1"],
      rootJunction: "OR",
      fields: "code",
      order: "code:asc",
    });
    expect(or.map((d) => d.code)).toEqual(["DE_ANC1", "DE_ANC2", "DE_ANC4", "DE_PENTA1"]);
  });

  it("filters on nested paths and in-lists", async () => {
    const [first, second] = emu.demo!.regions;
    const children = await api.resources.organisationUnits.list({
      filters: [`parent.id:in:[${first},${second}]`],
      paging: false,
      fields: "id,parent[id]",
    });
    expect(children.length).toBeGreaterThan(0);
    expect(children.every((c) => c.parent?.id === first || c.parent?.id === second)).toBe(true);
  });

  it("orders, pages, and reports the pager from listRaw", async () => {
    const page2 = await api.resources.organisationUnits.list({
      order: ["level:asc", "name:asc"],
      pageSize: 2,
      page: 2,
      fields: "name,level",
    });
    const firstFour = await api.resources.organisationUnits.list({
      order: ["level:asc", "name:asc"],
      pageSize: 4,
      fields: "name,level",
    });
    expect(page2).toEqual(firstFour.slice(2, 4));

    const total = emu.state.metadata.count("dataElements");
    const envelope = await api.resources.dataElements.listRaw({ pageSize: 3, page: 1 });
    expect(envelope.pager).toMatchObject({ page: 1, pageSize: 3, total, pageCount: Math.ceil(total / 3) });
    expect(envelope.dataElements).toHaveLength(3);
  });

  it("lists everything with paging: false, and iterates every page", async () => {
    const everything = await api.resources.organisationUnits.list({ paging: false, fields: ":identifiable" });
    const seen: string[] = [];
    for await (const ou of api.resources.organisationUnits.iterate({ pageSize: 7, fields: "id" }))
      seen.push(ou.id);
    expect(seen.length).toBe(everything.length);
    expect(new Set(seen)).toEqual(new Set(everything.map((o) => o.id)));
  });
});

describe("metadata export/import", () => {
  it("exports selected types with per-type filters and fields", async () => {
    const bundle = await api.metadata.export({
      types: ["dataElements", "dataSets"],
      filters: { dataElements: "code:like:ANC" },
      fields: { dataElements: "id,code", dataSets: "id,name" },
    });
    expect(bundle.dataElements?.map((d) => d.code).sort()).toEqual(["DE_ANC1", "DE_ANC2", "DE_ANC4"]);
    expect(bundle.dataSets?.map((d) => d.id).sort()).toEqual(
      emu.state.metadata
        .list("dataSets")
        .map((d) => d.id)
        .sort(),
    );
    expect(bundle.dataSets?.every((d) => typeof d.name === "string" && !("code" in d))).toBe(true);
  });

  it("dry-runs, imports, and returns the report of a failed import", async () => {
    const id = generateUid();
    const de = {
      id,
      name: `Imported ${id}`,
      shortName: `Imp ${id.slice(0, 5)}`,
      domainType: "AGGREGATE" as const,
      valueType: "NUMBER" as const,
      aggregationType: "SUM" as const,
      categoryCombo: { id: "bjDvmb4bfuf" },
    };
    const dry = await api.metadata.import({ dataElements: [de] }, { dryRun: true });
    expect(dry.status).toBe("OK");
    await expect(api.resources.dataElements.get(id)).rejects.toBeInstanceOf(Dhis2ApiError);

    const real = await api.metadata.import({ dataElements: [de] });
    expect(real.stats.created).toBe(1);
    expect((await api.resources.dataElements.get(id, { fields: "name" })).name).toBe(de.name);

    const broken = await api.metadata.import({
      dataElements: [{ id: generateUid(), name: "no short name" }],
    });
    expect(broken.status).toBe("ERROR");
    expect(broken.errors().length).toBeGreaterThan(0);
    expect(broken.errors()[0]).toMatchObject({ type: "DataElement", index: 0 });
  });
});

describe("dataSets organisation unit helpers", () => {
  it("assigns and unassigns org units idempotently, reporting what changed", async () => {
    const ds = emu.demo!.dataSet;
    const [assigned] = emu.demo!.facilities;
    const [d1, d2] = emu.demo!.districts;
    const added = await api.dataSets.addOrganisationUnits(ds, [assigned!, d1!, d2!]);
    expect(added.changed.sort()).toEqual([d1, d2].sort());
    expect(added.unchanged).toEqual([assigned]);
    expect((await api.dataSets.addOrganisationUnits(ds, [d1!, d2!])).changed).toEqual([]);

    const removed = await api.dataSets.removeOrganisationUnits(ds, [d1!, d2!, emu.demo!.root]);
    expect(removed.changed.sort()).toEqual([d1, d2].sort());
    expect(removed.unchanged).toEqual([emu.demo!.root]);
    const after = await api.resources.dataSets.get(ds, { fields: "organisationUnits[id]" });
    expect(after.organisationUnits?.map((o) => o.id)).not.toContain(d1);
  });
});
