/**
 * Aggregate analytics computed from the stored data values: `GET /api/analytics` (`.json`,
 * `.csv`, `.xml`, `.xlsx`), `/api/analytics/rawData.json` (`.csv`, `.xml`) and
 * `/api/analytics/dataValueSet.json`. The last two need their suffix: without it the real server
 * answers Tomcat's HTML 404 (QUIRKS.md), which this module reproduces for both. Semantics after
 * the DHIS2 Web API docs, "Analytics"; see `query.ts`, `engine.ts`, `render.ts` for the details.
 */
import type { EmulatorModule } from "../app.js";
import { type Ctx, JSON_TYPE } from "../ctx.js";
import { dataValueStore } from "../data/index.js";
import { computeCells } from "./engine.js";
import { installOutlierDetection } from "./outliers.js";
import { planQuery } from "./query.js";
import { dataValueSet, rawQuery, writeRawData } from "./raw.js";
import { buildGrid, type GridJson, gridCsv, gridXml } from "./render.js";
import { gridXlsx } from "./xlsx.js";

const TYPES = {
  csv: "application/csv;charset=UTF-8",
  xml: "application/xml;charset=UTF-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

/** Answers 406 and returns false when the request's format is not one of these. */
function formatOk(ctx: Ctx, formats: readonly string[]): boolean {
  const ext = ctx.ext ?? "json";
  if (formats.includes(ext)) return true;
  ctx.webMessage(
    406,
    `Format .${ext} is not supported here; use one of ${formats.map((f) => `.${f}`).join(", ")}`,
  );
  return false;
}

const disposition = (ext: string) => ({ "Content-Disposition": `attachment; filename="data.${ext}"` });

/** An aggregated grid: bounded by its (dx, pe, ou) cells, so it is built whole, then sent. */
async function send(ctx: Ctx, grid: GridJson, formats: readonly string[]): Promise<void> {
  if (!formatOk(ctx, formats)) return;
  const ext = ctx.ext ?? "json";
  if (ext === "json") return ctx.json(200, grid);
  if (ext === "xlsx") return ctx.bytes(200, await gridXlsx(grid), TYPES.xlsx, disposition(ext));
  const out = ctx.stream(200, ext === "csv" ? TYPES.csv : TYPES.xml, disposition(ext));
  for (const chunk of ext === "csv" ? gridCsv(grid) : gridXml(grid)) await out.write(chunk);
  await out.end();
}

/** The analytics module (one entry in `modules.ts`). */
export const analyticsModule: EmulatorModule = {
  name: "analytics",
  install(app) {
    installOutlierDetection(app);
    app.get("/api/analytics", async (ctx) => {
      const plan = planQuery(ctx, "table");
      const { cells, nPe, nOu } = computeCells(plan, dataValueStore(app), ctx.state.metadata);
      await send(ctx, buildGrid(plan, cells, nPe, nOu), ["json", "csv", "xml", "xlsx"]);
    });
    app.get("/api/analytics/rawData", async (ctx) => {
      if (ctx.ext === undefined) return ctx.tomcatError(404);
      const plan = planQuery(ctx, "raw");
      if (!formatOk(ctx, ["json", "csv", "xml"])) return;
      // One row per stored value: streamed from the store, never built whole (millions of rows).
      const query = rawQuery(plan, dataValueStore(app), ctx.state.metadata);
      const ext = ctx.ext === "csv" || ctx.ext === "xml" ? ctx.ext : "json";
      const out = ext === "json" ? ctx.stream(200, JSON_TYPE) : ctx.stream(200, TYPES[ext], disposition(ext));
      await writeRawData(out, query, ext);
    });
    app.get("/api/analytics/dataValueSet", (ctx) => {
      if (ctx.ext === undefined) return ctx.tomcatError(404);
      if (ctx.ext !== "json") {
        return ctx.webMessage(406, `Format .${ctx.ext} is not supported here; use .json`);
      }
      const plan = planQuery(ctx, "dvs");
      const { cells, nPe, nOu } = computeCells(plan, dataValueStore(app), ctx.state.metadata);
      ctx.json(200, dataValueSet(plan, cells, nPe, nOu));
    });
  },
};
