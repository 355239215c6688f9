/**
 * The Metadata Gist API through the client (`getRaw`) against the emulator (`emu.fetch`), on
 * 2.41, 2.42 and 2.43 (dhis2-core `AbstractGistReadOnlyController`, `GistQuery`, `GistPlanner`,
 * `GistBuilder`, `DefaultGistService.pager`; DHIS2 docs "Metadata Gist API").
 */
import { BasicAuth, Dhis2ApiError, Dhis2Client } from "@dhis2w/client";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

type Json = Record<string, unknown>;
interface Pager {
  page: number;
  pageSize: number;
  total?: number;
  pageCount?: number;
  nextPage?: string;
  prevPage?: string;
}

async function setup(version: "v41" | "v42" | "v43") {
  const emu = await createEmulator({ version, seed: "demo" });
  running.push(emu);
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  const gist = <T extends object = Json>(path: string, params: Record<string, string | string[]> = {}) =>
    client.getRaw<T>(path, { params });
  const { dataSets } = await client.getRaw<{ dataSets: Json[] }>("/api/dataSets", {
    params: { fields: "id,name,dataSetElements,organisationUnits", paging: false },
  });
  const all = await client.getRaw<{ dataElements: { id: string; name: string }[] }>("/api/dataElements", {
    params: { fields: "id,name", paging: false },
  });
  return { emu, client, gist, dataSet: dataSets[0]!, dataElements: all.dataElements };
}

describe.each(["v41", "v42", "v43"] as const)("Gist API on %s", (version) => {
  it("pages without a total unless asked, and links the next page while pages are full", async () => {
    const { gist, dataElements } = await setup(version);
    const first = await gist<{ pager: Pager; dataElements: Json[] }>("/api/dataElements/gist", {
      fields: "id,name",
      pageSize: "2",
    });
    expect(first.pager).not.toHaveProperty("total");
    expect(first.pager).not.toHaveProperty("pageCount");
    expect(first.pager).toMatchObject({ page: 1, pageSize: 2 });
    // Ordered by id by default.
    const byId = [...dataElements].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(first.dataElements).toEqual(byId.slice(0, 2));
    const next = first.pager.nextPage!;
    // 2.41 links relative to /api (GistPager.computeBaseURL); 2.42+ from the request URL.
    if (version === "v41") expect(next).toBe("/api/dataElements/gist?fields=id,name&pageSize=2&page=2");
    else expect(next).toBe("http://emulator.invalid/api/dataElements/gist?fields=id,name&pageSize=2&page=2");

    const counted = await gist<{ pager: Pager }>("/api/dataElements/gist", {
      fields: "id",
      pageSize: "2",
      page: "2",
      totalPages: "true",
    });
    expect(counted.pager).toMatchObject({
      page: 2,
      pageSize: 2,
      total: dataElements.length,
      pageCount: Math.ceil(dataElements.length / 2),
    });
    expect(counted.pager.prevPage).toMatch(/page=1$/);
    // The old parameter name counts too; contradicting both is refused.
    const old = await gist<{ pager: Pager }>("/api/dataElements/gist", { fields: "id", total: "true" });
    expect(old.pager.total).toBe(dataElements.length);
    const refusal = await gist("/api/dataElements/gist", { total: "true", totalPages: "false" }).catch(
      (e) => e,
    );
    expect(refusal).toBeInstanceOf(Dhis2ApiError);
    expect((refusal as Dhis2ApiError).statusCode).toBe(400);
    expect((refusal as Dhis2ApiError).serverMessage).toContain(
      "totalPages and total request parameters are contradicting each other",
    );
  });

  it("answers headless lists, renamed lists, and bare values for a single field", async () => {
    const { gist, dataElements } = await setup(version);
    const names = await gist<{ data: string[] }>("/api/dataElements/gist", {
      fields: "name",
      headless: "true",
      order: "name:desc",
    });
    expect(names.data).toEqual(
      dataElements
        .map((d) => d.name)
        .sort()
        .reverse(),
    );
    const renamed = await gist<Json>("/api/dataElements/gist", {
      fields: "id",
      pageListName: "items",
      pageSize: "1",
    });
    expect(Object.keys(renamed).sort()).toEqual(["items", "pager"]);
  });

  it("renders references as ids with apiEndpoints, collections as sizes, and transformers", async () => {
    const { gist, dataSet } = await setup(version);
    const list = await gist<{ dataSets: Json[] }>("/api/dataSets/gist", {
      fields:
        "id,name,categoryCombo,dataSetElements,organisationUnits::size~rename(units),dataSetElements::isNotEmpty~rename(any)",
      filter: `id:eq:${dataSet.id}`,
    });
    const row = list.dataSets[0]!;
    expect(row).toMatchObject({
      id: dataSet.id,
      name: dataSet.name,
      categoryCombo: expect.stringMatching(/^[A-Za-z0-9]{11}$/),
      dataSetElements: (dataSet.dataSetElements as unknown[]).length,
      units: (dataSet.organisationUnits as unknown[]).length,
      any: true,
    });
    expect(row.apiEndpoints).toMatchObject({
      categoryCombo: `/api/categoryCombos/${row.categoryCombo}/gist`,
      dataSetElements: `/api/dataSets/${dataSet.id}/dataSetElements/gist`,
    });
    const absolute = await gist<Json>(`/api/dataSets/${dataSet.id}/gist`, {
      fields: "categoryCombo,organisationUnits::ids",
      absoluteUrls: "true",
    });
    expect((absolute.apiEndpoints as Json).categoryCombo).toBe(
      `http://emulator.invalid/api/categoryCombos/${row.categoryCombo}/gist?absoluteUrls=true`,
    );
    expect((absolute.organisationUnits as string[]).sort()).toEqual(
      (dataSet.organisationUnits as { id: string }[]).map((o) => o.id).sort(),
    );
    expect(await gist<{ data: string }>(`/api/dataSets/${dataSet.id}/name/gist`)).toEqual({
      data: dataSet.name,
    });
  });

  it("filters with : and :: forms, rootJunction=OR, groups, and lists a collection or its inverse", async () => {
    const { gist, dataElements, dataSet } = await setup(version);
    const anc = dataElements
      .filter((d) => d.name.toLowerCase().startsWith("anc"))
      .map((d) => d.name)
      .sort();
    expect(anc.length).toBeGreaterThan(1);
    const colon = await gist<{ data: string[] }>("/api/dataElements/gist", {
      fields: "name",
      headless: "true",
      order: "name",
      filter: "name:$ilike:anc",
    });
    const doubled = await gist<{ data: string[] }>("/api/dataElements/gist", {
      fields: "name",
      headless: "true",
      order: "name",
      filter: "name::startsWith::ANC",
    });
    expect(colon.data).toEqual(anc);
    expect(doubled.data).toEqual(anc);
    const either = await gist<{ data: string[] }>("/api/dataElements/gist", {
      fields: "name",
      headless: "true",
      filter: [`name:eq:${anc[0]}`, `name:eq:${anc[1]}`],
      rootJunction: "OR",
    });
    expect(either.data.sort()).toEqual([anc[0], anc[1]]);
    const grouped = await gist<{ data: string[] }>("/api/dataElements/gist", {
      fields: "name",
      headless: "true",
      filter: [`1:name:eq:${anc[0]}`, `1:name:eq:${anc[1]}`, "2:name:$like:ANC"],
    });
    expect(grouped.data.sort()).toEqual([anc[0], anc[1]]);

    const units = (dataSet.organisationUnits as { id: string }[]).map((o) => o.id).sort();
    const members = await gist<{ pager: Pager; organisationUnits: string[] }>(
      `/api/dataSets/${dataSet.id}/organisationUnits/gist`,
      { fields: "id", pageSize: "1000", totalPages: "true" },
    );
    expect(members.organisationUnits.sort()).toEqual(units);
    const others = await gist<{ pager: Pager }>(`/api/dataSets/${dataSet.id}/organisationUnits/gist`, {
      fields: "id",
      inverse: "true",
      totalPages: "true",
    });
    const { pager } = await gist<{ pager: Pager }>("/api/organisationUnits/gist", {
      fields: "id",
      totalPages: "true",
    });
    expect(others.pager.total).toBe(pager.total! - units.length);
  });

  it("refuses unknown fields, filters and the describe plan with a 400 naming them", async () => {
    const { gist } = await setup(version);
    const msg = (p: Promise<unknown>) => p.catch((e: Dhis2ApiError) => `${e.statusCode} ${e.serverMessage}`);
    expect(await msg(gist("/api/dataElements/gist", { fields: "nope" }))).toBe(
      "400 Property `nope` does not exist in dataElement",
    );
    expect(await msg(gist("/api/dataElements/gist", { filter: "nope:eq:1" }))).toBe(
      "400 Property `nope` does not exist in dataElement",
    );
    expect(await msg(gist("/api/dataElements/NoSuchUid01/gist"))).toMatch(
      /^404 DataElement with id NoSuchUid01/,
    );
    expect(await msg(gist("/api/dataElements/gist", { describe: "true" }))).toMatch(
      /^400 describe=true is not emulated/,
    );
  });
});
