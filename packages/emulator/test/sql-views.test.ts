/**
 * `/api/sqlViews/{uid}/data|execute|refresh` with dhis2-core's semantics (SqlViewController,
 * DefaultSqlViewService.validateSqlView, HibernateSqlViewStore; the same on 2.41-2.43), run on
 * the emulator's SQL engine over its own tables.
 */
import type { Emulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

async function createView(emu: Emulator, view: Record<string, unknown>): Promise<string> {
  const res = await call(emu, "/api/sqlViews", {
    method: "POST",
    body: JSON.stringify(view),
    headers: { "Content-Type": "application/json" },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { response: { uid: string } }).response.uid;
}

describe.each(["v41", "v42", "v43"] as const)("SQL views on %s", (version) => {
  const start = useEmulator();

  it("a seeded QUERY view with a variable answers a Grid in DHIS2's GridResponse shape", async () => {
    const emu = await start({ version, seed: "demo" });
    const ids = emu.app.extensions.toolkitDemo!.sqlViews;
    const res = await call(emu, `/api/sqlViews/${ids.orgUnitsAtLevel}/data?var=level:2&paging=false`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { pager?: unknown; listGrid: Record<string, unknown> };
    expect(body.pager).toBeUndefined();
    const grid = body.listGrid as {
      headers: unknown[];
      rows: unknown[][];
      height: number;
      width: number;
      title: string;
    };
    expect(grid.title).toBe("Org units at level");
    expect(grid.headers).toEqual(
      ["uid", "code", "name", "path"].map((name) => ({
        name,
        column: name,
        type: "java.lang.String",
        hidden: false,
        meta: false,
      })),
    );
    expect(grid.rows.map((r) => r[2])).toEqual([
      "Eastern Region",
      "Northern Region",
      "Southern Region",
      "Western Region",
    ]);
    expect([grid.height, grid.width]).toEqual([4, 4]);
  });

  it("pages 50 by default, with a pager; criteria filter the result by column", async () => {
    const emu = await start({ version, seed: "demo" });
    const id = await createView(emu, {
      name: "All org units",
      type: "QUERY",
      sqlQuery: "select uid, name, hierarchylevel from organisationunit",
    });
    const paged = (await (await call(emu, `/api/sqlViews/${id}/data`)).json()) as {
      pager: unknown;
      listGrid: { rows: unknown[][] };
    };
    expect(paged.pager).toEqual({ page: 1, total: 65, pageSize: 50, pageCount: 2 });
    expect(paged.listGrid.rows).toHaveLength(50);
    const filtered = (await (
      await call(emu, `/api/sqlViews/${id}/data?criteria=hierarchylevel:2&paging=false`)
    ).json()) as { listGrid: { rows: unknown[][] } };
    expect(filtered.listGrid.rows).toHaveLength(4);
  });

  it("a missing variable is 409 E4307 naming it; protected tables E4310; keywords E4311", async () => {
    const emu = await start({ version, seed: "demo" });
    const ids = emu.app.extensions.toolkitDemo!.sqlViews;
    const missing = await call(emu, `/api/sqlViews/${ids.orgUnitsAtLevel}/data`);
    expect(missing.status).toBe(409);
    expect(await missing.json()).toMatchObject({
      errorCode: "E4307",
      message: "SQL query contains variables not provided in request: `[level]`",
    });
    const badValue = await call(emu, `/api/sqlViews/${ids.orgUnitsAtLevel}/data?var=level:2;drop`);
    expect(await badValue.json()).toMatchObject({ errorCode: "E4306" });

    const users = await createView(emu, { name: "Users", type: "QUERY", sqlQuery: "select * from users" });
    expect(await (await call(emu, `/api/sqlViews/${users}/data`)).json()).toMatchObject({
      httpStatusCode: 409,
      errorCode: "E4310",
      message: "SQL query contains references to protected tables",
    });
    const del = await createView(emu, {
      name: "Sneaky",
      type: "QUERY",
      sqlQuery: "select uid from dataelement; delete from dataelement",
    });
    expect(await (await call(emu, `/api/sqlViews/${del}/data`)).json()).toMatchObject({ errorCode: "E4311" });
  });

  it("a VIEW reads a missing relation (E7144) until /execute creates it; a QUERY cannot be executed", async () => {
    const emu = await start({ version, seed: "demo" });
    const ids = emu.app.extensions.toolkitDemo!.sqlViews;
    const before = await call(emu, `/api/sqlViews/${ids.dataValueCounts}/data`);
    expect(before.status).toBe(409);
    expect(await before.json()).toMatchObject({
      errorCode: "E7144",
      devMessage: 'ERROR: relation "_view_data_value_counts" does not exist',
    });
    const exec = await call(emu, `/api/sqlViews/${ids.dataValueCounts}/execute`, { method: "POST" });
    expect(exec.status).toBe(201);
    expect(exec.headers.get("location")).toBe(`${emu.url}/api/sqlViews/${ids.dataValueCounts}`);
    expect(await exec.json()).toMatchObject({ message: "SQL view created" });
    const after = await call(emu, `/api/sqlViews/${ids.dataValueCounts}/data`);
    expect(after.status).toBe(200);
    const query = await call(emu, `/api/sqlViews/${ids.orgUnitsAtLevel}/execute`, { method: "POST" });
    expect(await query.json()).toMatchObject({
      httpStatusCode: 409,
      message: "SQL view is a query, no view to create",
    });
  });

  it("a MATERIALIZED_VIEW is a snapshot until /refresh; refreshing another type is 409", async () => {
    const emu = await start({ version, seed: "demo" });
    const id = await createView(emu, {
      name: "Data elements snapshot",
      type: "MATERIALIZED_VIEW",
      sqlQuery: "select count(*) as n from dataelement",
    });
    const refreshed = await call(emu, `/api/sqlViews/${id}/refresh`, { method: "POST" });
    expect(await refreshed.json()).toMatchObject({
      httpStatusCode: 200,
      message: "Materialized view refreshed",
    });
    const count = async () =>
      ((await (await call(emu, `/api/sqlViews/${id}/data`)).json()) as { listGrid: { rows: number[][] } })
        .listGrid.rows[0]![0];
    const first = await count();
    await call(emu, "/api/dataElements", {
      method: "POST",
      body: JSON.stringify({
        name: "New",
        shortName: "New",
        valueType: "NUMBER",
        domainType: "AGGREGATE",
        aggregationType: "SUM",
      }),
      headers: { "Content-Type": "application/json" },
    });
    expect(await count()).toBe(first);
    await call(emu, `/api/sqlViews/${id}/refresh`, { method: "POST" });
    expect(await count()).toBe(first! + 1);
    const ids = emu.app.extensions.toolkitDemo!.sqlViews;
    const other = await call(emu, `/api/sqlViews/${ids.orgUnitsAtLevel}/refresh`, { method: "POST" });
    expect(await other.json()).toMatchObject({ httpStatusCode: 409, message: "View could not be refreshed" });
  });

  it("joins, GROUP BY and SQL errors: unknown column 42703 (E7145), SQL outside the subset is a clear 409", async () => {
    const emu = await start({ version, seed: "demo" });
    const joined = await createView(emu, {
      name: "Children",
      type: "QUERY",
      sqlQuery:
        "select p.name as parent, count(*) as children from organisationunit o " +
        "join organisationunit p on p.organisationunitid = o.parentid where p.hierarchylevel = 1 group by p.name",
    });
    const grid = (
      (await (await call(emu, `/api/sqlViews/${joined}/data`)).json()) as { listGrid: { rows: unknown[][] } }
    ).listGrid;
    expect(grid.rows).toEqual([["Emuland", 4]]);
    const badCol = await createView(emu, {
      name: "Bad column",
      type: "QUERY",
      sqlQuery: "select nope from dataelement",
    });
    expect(await (await call(emu, `/api/sqlViews/${badCol}/data`)).json()).toMatchObject({
      errorCode: "E7145",
      message: "Query failed because of a syntax error (SqlState: 42703)",
      devMessage: 'ERROR: column "nope" does not exist',
    });
    const cte = await createView(emu, {
      name: "With",
      type: "QUERY",
      sqlQuery: "with x as (select uid from dataelement) select * from x",
    });
    const unsupported = (await (await call(emu, `/api/sqlViews/${cte}/data`)).json()) as { message: string };
    expect(unsupported.message).toMatch(
      /^The emulator cannot run this SQL: WITH \(common table expressions\)/,
    );
  });
});
