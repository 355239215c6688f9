/**
 * `/api/analytics` through HTTP: values go in through `POST /api/dataValueSets`, and every
 * expected total is computed here from that input and the org unit paths.
 */
import { type Emulator, fixedClock } from "@dhis2w/emulator";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

const NOW = Date.parse("2025-03-15T10:00:00Z");
const MONTHS = [
  ...Array.from({ length: 12 }, (_, i) => `2024${String(i + 1).padStart(2, "0")}`),
  "202501",
  "202502",
];
interface Input {
  dataElement: string;
  period: string;
  orgUnit: string;
  value: string;
}

async function setup(start: ReturnType<typeof useEmulator>) {
  const emu = await start({ version: "v42", seed: "demo", clock: fixedClock(NOW) });
  const demo = emu.app.demo;
  if (!demo) throw new Error("demo seed missing");
  const [de1, de2] = demo.dataElements as [string, string];
  const input: Input[] = [];
  demo.facilities.forEach((orgUnit, f) => {
    MONTHS.forEach((period, m) => {
      input.push({ dataElement: de1, period, orgUnit, value: String(((f * 7 + m * 3) % 50) + 1) });
      if ((f + m) % 3 !== 0)
        input.push({ dataElement: de2, period, orgUnit, value: String(((f * 5 + m) % 20) + 0.5) });
    });
  });
  const res = await call(emu, "/api/dataValueSets", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ dataValues: input }),
  });
  expect(res.status).toBe(200);
  return { emu, demo, de1, de2, input };
}

const pathOf = (emu: Emulator, ou: string) => String(emu.state.metadata.get("organisationUnits", ou)?.path);

/** Sum of the input under (de, periods, ancestor). */
function expectedSum(emu: Emulator, input: Input[], de: string, periods: string[], ancestor: string) {
  return input
    .filter(
      (v) => v.dataElement === de && periods.includes(v.period) && pathOf(emu, v.orgUnit).includes(ancestor),
    )
    .reduce((s, v) => s + Number(v.value), 0);
}

async function grid(emu: Emulator, query: string) {
  const res = await call(emu, `/api/analytics?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    headers: { name: string }[];
    rows: string[][];
    metaData: { items: Record<string, { name: string }>; dimensions: Record<string, string[]> };
    height: number;
    width: number;
    headerWidth: number;
  };
}

const rounded1 = (x: number) => Math.round(x * 10) / 10;

describe("/api/analytics", () => {
  const start = useEmulator();

  it("aggregates dx by quarter and region, up the hierarchy", async () => {
    const { emu, demo, de1, de2, input } = await setup(start);
    const regions = demo.regions;
    const g = await grid(
      emu,
      `dimension=dx:${de1};${de2}&dimension=pe:2024Q1;2024Q3&dimension=ou:${regions.join(";")}`,
    );
    expect(g.headers.map((h) => h.name)).toEqual(["dx", "pe", "ou", "value"]);
    expect(g.width).toBe(4);
    expect(g.headerWidth).toBe(4);
    expect(g.height).toBe(g.rows.length);
    const quarters: Record<string, string[]> = {
      "2024Q1": ["202401", "202402", "202403"],
      "2024Q3": ["202407", "202408", "202409"],
    };
    let checked = 0;
    for (const de of [de1, de2]) {
      for (const [q, months] of Object.entries(quarters)) {
        for (const region of regions) {
          const want = expectedSum(emu, input, de, months, region);
          const row = g.rows.find((r) => r[0] === de && r[1] === q && r[2] === region);
          expect(Number(row?.[3]), `${de} ${q} ${region}`).toBe(rounded1(want));
          checked++;
        }
      }
    }
    expect(checked).toBe(16);
    expect(g.metaData.items["2024Q1"]?.name).toBe("January - March 2024");
    expect(g.metaData.dimensions.ou).toEqual(regions);
  });

  it("expands LEVEL-n under a boundary and filters by period", async () => {
    const { emu, demo, de1, input } = await setup(start);
    const g = await grid(emu, `dimension=dx:${de1}&dimension=ou:${demo.root};LEVEL-3&filter=pe:2024`);
    expect(g.headers.map((h) => h.name)).toEqual(["dx", "ou", "value"]);
    expect([...g.metaData.dimensions.ou!].sort()).toEqual([...demo.districts].sort());
    const year = MONTHS.filter((m) => m.startsWith("2024"));
    for (const district of demo.districts) {
      const row = g.rows.find((r) => r[1] === district);
      expect(Number(row?.[2])).toBe(expectedSum(emu, input, de1, year, district));
    }
  });

  it("resolves relative periods against the emulator's clock", async () => {
    const { emu, demo, de1, input } = await setup(start);
    const g = await grid(emu, `dimension=dx:${de1}&dimension=pe:LAST_3_MONTHS&dimension=ou:${demo.root}`);
    expect(g.metaData.dimensions.pe).toEqual(["202412", "202501", "202502"]);
    expect(g.metaData.items.LAST_3_MONTHS?.name).toBe("Last 3 months");
    for (const pe of ["202412", "202501", "202502"]) {
      expect(Number(g.rows.find((r) => r[1] === pe)?.[3])).toBe(
        expectedSum(emu, input, de1, [pe], demo.root),
      );
    }
    const q = await grid(
      emu,
      `dimension=dx:${de1}&dimension=pe:LAST_4_QUARTERS;THIS_YEAR&dimension=ou:${demo.root}`,
    );
    expect(q.metaData.dimensions.pe).toEqual(["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025"]);
    expect(Number(q.rows.find((r) => r[1] === "2025")?.[3])).toBe(
      expectedSum(emu, input, de1, ["202501", "202502"], demo.root),
    );
  });

  it("evaluates indicators: (numerator / denominator) x the indicator type's factor", async () => {
    const { emu, demo, de1, de2, input } = await setup(start);
    const res = await call(emu, "/api/metadata", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        indicatorTypes: [{ id: "IndTypePct1", name: "Percent", factor: 100, number: false }],
        indicators: [
          {
            id: "IndRatio001",
            name: "DE2 per DE1",
            shortName: "DE2 per DE1",
            numerator: `#{${de2}} + 0`,
            denominator: `#{${de1}}`,
            indicatorType: { id: "IndTypePct1" },
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const g = await grid(
      emu,
      `dimension=dx:IndRatio001&dimension=pe:2024Q2&dimension=ou:${demo.regions.join(";")}`,
    );
    const months = ["202404", "202405", "202406"];
    for (const region of demo.regions) {
      const want =
        (expectedSum(emu, input, de2, months, region) / expectedSum(emu, input, de1, months, region)) * 100;
      const got = g.rows.find((r) => r[2] === region)?.[3];
      expect(Number(got)).toBe(rounded1(want));
    }
    expect(g.metaData.items.IndRatio001?.name).toBe("DE2 per DE1");
  });

  it("aggregates by the aggregationType parameter: AVERAGE, MAX, COUNT, LAST", async () => {
    const { emu, demo, de1, input } = await setup(start);
    const district = demo.districts[0] as string;
    const months = ["202401", "202402", "202403"];
    const rows = input.filter(
      (v) => v.dataElement === de1 && months.includes(v.period) && pathOf(emu, v.orgUnit).includes(district),
    );
    const nums = rows.map((v) => Number(v.value));
    const ask = async (type: string) =>
      Number(
        (
          await grid(
            emu,
            `dimension=dx:${de1}&dimension=pe:2024Q1&dimension=ou:${district}&aggregationType=${type}`,
          )
        ).rows[0]?.[3],
      );
    expect(await ask("MAX")).toBe(Math.max(...nums));
    expect(await ask("COUNT")).toBe(nums.length);
    expect(await ask("AVERAGE")).toBe(rounded1(nums.reduce((a, b) => a + b, 0) / nums.length));
    const march = rows.filter((v) => v.period === "202403").reduce((s, v) => s + Number(v.value), 0);
    expect(await ask("LAST")).toBe(march);
  });

  it("answers CSV, XML and a real XLSX workbook with the same rows", async () => {
    const { emu, demo, de1 } = await setup(start);
    const q = `dimension=dx:${de1}&dimension=pe:LAST_12_MONTHS&dimension=ou:${demo.regions.join(";")}`;
    const json = await grid(emu, q);
    const csv = await call(emu, `/api/analytics.csv?${q}`);
    expect(csv.headers.get("content-type")).toMatch(/csv/);
    const lines = (await csv.text()).trimEnd().split("\n");
    expect(lines[0]).toBe("dx,pe,ou,value");
    expect(lines.slice(1)).toEqual(json.rows.map((r) => r.join(",")));
    const xml = await (await call(emu, `/api/analytics.xml?${q}`)).text();
    expect(xml.match(/<row>/g)?.length).toBe(json.height);
    expect(xml).toContain('<header name="dx" column="Data"');
    const xlsx = await call(emu, `/api/analytics.xlsx?${q}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(1).values).toEqual([undefined, "Data", "Period", "Organisation unit", "Value"]);
    expect(sheet?.rowCount).toBe(json.height + 1);
    const first = sheet?.getRow(2).values as unknown[];
    expect(first.slice(1).map(String)).toEqual(json.rows[0]);
  });

  it("rawData.json lists stored values; dataValueSet.json gives aggregated values", async () => {
    const { emu, demo, de1, input } = await setup(start);
    const district = demo.districts[1] as string;
    const raw = await call(
      emu,
      `/api/analytics/rawData.json?dimension=dx:${de1}&dimension=pe:2024Q1&dimension=ou:${district}`,
    );
    const body = (await raw.json()) as { rows: string[][] };
    const want = input.filter(
      (v) =>
        v.dataElement === de1 &&
        ["202401", "202402", "202403"].includes(v.period) &&
        pathOf(emu, v.orgUnit).includes(district),
    );
    expect(body.rows.map((r) => r.join("|")).sort()).toEqual(
      want.map((v) => [de1, v.period, v.orgUnit, v.value].join("|")).sort(),
    );
    const dvs = await call(
      emu,
      `/api/analytics/dataValueSet.json?dimension=dx:${de1}&dimension=pe:2024Q1&dimension=ou:${district}`,
    );
    const set = (await dvs.json()) as { dataValues: Input[] };
    expect(set.dataValues).toEqual([
      {
        dataElement: de1,
        period: "2024Q1",
        orgUnit: district,
        value: String(want.reduce((s, v) => s + Number(v.value), 0)),
      },
    ]);
  });

  it("answers DHIS2's errors: 409 E71xx WebMessages, Tomcat 404 without the .json suffix", async () => {
    const { emu, demo, de1 } = await setup(start);
    const err = async (q: string) => {
      const res = await call(emu, `/api/analytics?${q}`);
      expect(res.status).toBe(409);
      return ((await res.json()) as { errorCode: string }).errorCode;
    };
    expect(await err(`dimension=pe:2024&dimension=ou:${demo.root}`)).toBe("E7102");
    expect(await err(`dimension=dx:${de1}&dimension=ou:${demo.root}`)).toBe("E7104");
    expect(await err(`dimension=dx:NoSuchThing&dimension=pe:2024`)).toBe("E7124");
    expect(await err(`dimension=dx:${de1}&dimension=pe:2024&filter=pe:2023`)).toBe("E7103");
    expect(await err(`dimension=dx:${de1}&dimension=pe:2024&dimension=xyz:1`)).toBe("E7125");
    for (const path of ["/api/analytics/rawData", "/api/analytics/dataValueSet"]) {
      const res = await call(emu, `${path}?dimension=dx:${de1}&dimension=pe:2024`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/html/);
    }
    const dvs = await call(
      emu,
      `/api/analytics/dataValueSet.json?dimension=dx:${de1}&dimension=pe:2024&filter=ou:${demo.root}`,
    );
    expect(((await dvs.json()) as { errorCode: string }).errorCode).toBe("E7119");
    const anon = await emu.fetch(`${emu.url}/api/analytics?dimension=dx:${de1}&dimension=pe:2024`);
    expect(anon.status).toBe(401);
  });
});
