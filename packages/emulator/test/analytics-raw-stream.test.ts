/**
 * `/api/analytics/rawData.{json,csv,xml}` over more values than one write holds: the answer is
 * streamed from the store (chunked, no Content-Length), and the three formats carry the same
 * rows, in the order the values were stored, with the grid's framing (headers, metaData, height).
 */
import { type Emulator, fixedClock } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { DataValueStore } from "../src/data/store.js";
import { call, useEmulator } from "./emulator-helpers.js";

const NOW = Date.parse("2025-03-15T10:00:00Z");
/** Ten years of months: 48 facilities x 120 months x 2 data elements = 11,520 values (~0.5 MB of rows). */
const MONTHS = Array.from(
  { length: 120 },
  (_, i) => `${2015 + Math.floor(i / 12)}${String((i % 12) + 1).padStart(2, "0")}`,
);

interface Input {
  dataElement: string;
  period: string;
  orgUnit: string;
  value: string;
}

async function setup(start: ReturnType<typeof useEmulator>) {
  // Over HTTP: the chunked transfer encoding and a client going away mid-answer are wire facts.
  const emu = await start({ version: "v42", seed: "demo", clock: fixedClock(NOW), wire: true });
  const demo = emu.app.demo;
  if (!demo) throw new Error("demo seed missing");
  const [de1, de2] = demo.dataElements as [string, string];
  const input: Input[] = [];
  for (const period of MONTHS) {
    demo.facilities.forEach((orgUnit, f) => {
      input.push({ dataElement: de1, period, orgUnit, value: String((f * 7 + period.length) % 50) });
      input.push({ dataElement: de2, period, orgUnit, value: `${f}.5` });
    });
  }
  const res = await call(emu, "/api/dataValueSets", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ dataValues: input }),
  });
  expect(res.status).toBe(200);
  return { emu, root: demo.root, de1, de2, input };
}

const rawUrl = (ext: string, dims: string[]) =>
  `/api/analytics/rawData.${ext}?${dims.map((d) => `dimension=${d}`).join("&")}`;

async function fetchRaw(emu: Emulator, ext: string, dims: string[]) {
  const res = await call(emu, rawUrl(ext, dims));
  expect(res.status).toBe(200);
  // Streamed: the length is not known up front.
  expect(res.headers.get("transfer-encoding")).toBe("chunked");
  expect(res.headers.get("content-length")).toBeNull();
  return res;
}

describe("rawData streams large answers", () => {
  const start = useEmulator();

  it("JSON, CSV and XML carry every stored value, in store order, with the grid's framing", async () => {
    const { emu, root, de1, de2, input } = await setup(start);
    const dims = [`dx:${de1};${de2}`, "pe:2015;2016;2017;2018;2019;2020;2021;2022;2023;2024", `ou:${root}`];
    const want = input.map((v) => [v.dataElement, v.period, v.orgUnit, v.value]);

    const json = (await (await fetchRaw(emu, "json", dims)).json()) as {
      headers: { name: string; valueType: string }[];
      metaData: { dimensions: Record<string, string[]> };
      rows: string[][];
      width: number;
      headerWidth: number;
      height: number;
    };
    expect(json.headers.map((h) => h.name)).toEqual(["dx", "pe", "ou", "value"]);
    expect(json.headers[3]?.valueType).toBe("NUMBER");
    expect(json.metaData.dimensions.dx).toEqual([de1, de2]);
    expect(json.rows).toEqual(want);
    expect([json.width, json.headerWidth, json.height]).toEqual([4, 4, input.length]);

    const csv = await (await fetchRaw(emu, "csv", dims)).text();
    expect(csv).toBe(`dx,pe,ou,value\n${want.map((r) => `${r.join(",")}\n`).join("")}`);

    const xml = await (await fetchRaw(emu, "xml", dims)).text();
    expect(xml).toMatch(/^<\?xml version='1.0' encoding='UTF-8'\?><grid>.*<width>4<\/width>/);
    expect(xml).toContain(`<height>${input.length}</height>`);
    const rows = [...xml.matchAll(/<row>(.*?)<\/row>/g)].map((m) =>
      [...(m[1] ?? "").matchAll(/<field>(.*?)<\/field>/g)].map((f) => f[1]),
    );
    expect(rows).toEqual(want);
    expect(xml.endsWith("</rows></grid>")).toBe(true);
  });

  it("columns follow the request's dimension order; an operand or filter narrows the rows", async () => {
    const { emu, root, de1, input } = await setup(start);
    const json = (await (await fetchRaw(emu, "json", ["pe:2024", `ou:${root}`, `dx:${de1}`])).json()) as {
      headers: { name: string }[];
      rows: string[][];
      height: number;
    };
    expect(json.headers.map((h) => h.name)).toEqual(["pe", "ou", "dx", "value"]);
    const want = input
      .filter((v) => v.dataElement === de1 && v.period.startsWith("2024"))
      .map((v) => [v.period, v.orgUnit, de1, v.value]);
    expect(json.rows).toEqual(want);
    expect(json.height).toBe(want.length);

    const empty = await call(emu, rawUrl("csv", [`dx:${de1}`, "pe:2010", `ou:${root}`]));
    expect(await empty.text()).toBe("dx,pe,ou,value\n");
  });

  it("a client that stops reading mid-answer leaves the emulator serving", async () => {
    const { emu, root, de1, de2, input } = await setup(start);
    const dims = [`dx:${de1};${de2}`, "pe:2015;2016;2017;2018;2019;2020;2021;2022;2023;2024", `ou:${root}`];
    const controller = new AbortController();
    const res = await call(emu, rawUrl("xml", dims), { signal: controller.signal });
    const reader = res.body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    controller.abort();
    const again = await fetchRaw(emu, "csv", dims);
    expect((await again.text()).trimEnd().split("\n")).toHaveLength(input.length + 1);
  });
});

describe("DataValueStore column reads", () => {
  const key = (period: string) => ({
    dataElement: "de",
    period,
    orgUnit: "ou",
    categoryOptionCombo: "coc",
    attributeOptionCombo: "aoc",
  });

  it("give a row's fields without building it, and `end` leaves out rows added later", () => {
    const store = new DataValueStore();
    const a = store.put(key("202401"), { value: "5", storedBy: "admin", now: 1 });
    const end = store.size;
    const b = store.put(key("202402"), { value: null, storedBy: "admin", now: 2 });
    expect([store.dataElementOf(a), store.periodOf(a), store.orgUnitOf(a)]).toEqual(["de", "202401", "ou"]);
    expect([store.categoryOptionComboOf(a), store.attributeOptionComboOf(a)]).toEqual(["coc", "aoc"]);
    expect([store.valueOf(a), store.valueOf(b)]).toEqual(["5", null]);
    expect(store.get(b)).toMatchObject({ period: "202402", value: null, categoryOptionCombo: "coc" });
    expect([...store.rows({})]).toEqual([a, b]);
    expect([...store.rows({ end })]).toEqual([a]);
  });
});
