/**
 * `GET /api/analytics/outlierDetection` (2.41-2.43, `AnalyticsOutlierDetectionController`), computed
 * from the stored data values the way the analytics tables do (dhis2-core
 * `JdbcAnalyticsTableManager.getOutliersJoinStatement`, `AnalyticsZScoreSqlStatementProcessor`,
 * `AnalyticsZScoreOutlierDetector`, `AnalyticsOutlierService`, `OutlierRequestValidator`):
 *
 * - per data element, org unit, category option combo and attribute option combo, over ALL its
 *   values: mean, `stddev_pop`, median and MAD (median of |x - median|);
 * - Z_SCORE: |x - mean| / stddev (0 when stddev is 0), bounds mean -/+ stddev * threshold;
 *   MODIFIED_Z_SCORE: 0.6745 * |x - median| / MAD, bounds median -/+ MAD * threshold / 0.6745;
 *   rows with a score >= threshold (default 3) whose period starts in the range, in the org units'
 *   subtrees, ordered by `orderBy` (default `absdev`) `sortOrder` (default DESC), `maxResults`
 *   (default 500); numbers rounded to 2 places (10 with `skipRounding=true`).
 * - It needs the analytics tables with their outlier columns: before an analytics run that did
 *   not skip outliers it answers 409 E7180. `MIN_MAX` is refused (E2211), as are data start/end
 *   dates (E2209/E2210).
 * - The answer is a Grid: headers dx, dxname, pe, pename, ou, ouname, ounamehierarchy, coc,
 *   cocname, aoc, aocname, value, mean|median, stddev|medianabsdeviation, absdev,
 *   zscore|modifiedzscore, lowerbound, upperbound; metaData { algorithm, threshold, orderBy,
 *   maxResults, count }.
 */
import type { EmulatorApp } from "../app.js";
import type { Ctx } from "../ctx.js";
import { dataValueStore } from "../data/index.js";
import { HttpError } from "../web-message.js";
import { dayPeriod, periodName, resolveRelativePeriod } from "./periods.js";
import { type GridHeaderJson, numberHeader } from "./render.js";

declare module "../app.js" {
  interface EmulatorExtensions {
    /** True once an analytics table run populated the outlier columns (`skipOutliers` not set). */
    analyticsOutliers?: boolean;
  }
}

const SCALE = 0.6745;
const DAY_MS = 86_400_000;
const ORDERS = {
  zscore: "Z_SCORE",
  modifiedzscore: "MODIFIED_Z_SCORE",
  value: "VALUE",
  median: "MEDIAN",
  mean: "MEAN",
  stddev: "STD_DEV",
  medianabsdeviation: "MEDIAN_ABS_DEV",
  absdev: "ABS_DEV",
  lowerbound: "LOWER_BOUND",
  upperbound: "UPPER_BOUND",
} as const;

const conflict = (code: string, message: string): never => {
  throw new HttpError(409, message, { errorCode: code });
};
const list = (q: URLSearchParams, name: string) =>
  q
    .getAll(name)
    .flatMap((v) => v.split(/[,;]/))
    .filter((v) => v !== "");
const text = (name: string, column: string): GridHeaderJson => ({
  name,
  column,
  valueType: "TEXT",
  type: "java.lang.String",
  hidden: false,
  meta: false,
});

function median(sorted: number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = (n - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
}

/** commons-math `Precision.round` (HALF_UP). */
const round = (x: number, scale: number) => {
  const f = 10 ** scale;
  return Math.sign(x) * (Math.round(Math.abs(x) * f) / f);
};

interface Row {
  de: string;
  pe: string;
  ou: string;
  coc: string;
  aoc: string;
  value: number;
  middle: number;
  dev: number;
  absDev: number;
  z: number;
  lower: number;
  upper: number;
}

function detect(ctx: Ctx) {
  const q = ctx.query;
  const md = ctx.state.metadata;
  const algorithm = (q.get("algorithm") ?? "Z_SCORE").toUpperCase();
  if (!["Z_SCORE", "MODIFIED_Z_SCORE", "MIN_MAX"].includes(algorithm)) {
    throw new HttpError(400, `Value ${q.get("algorithm")} is not valid for parameter algorithm`);
  }
  const dataElements = new Set(list(q, "dx").map((d) => d.split(".")[0]!));
  const cocOf = new Map(
    list(q, "dx")
      .filter((d) => d.includes("."))
      .map((d) => d.split(".") as [string, string]),
  );
  for (const ds of list(q, "ds")) {
    for (const dse of (md.get("dataSets", ds)?.dataSetElements as { dataElement?: { id?: string } }[]) ??
      []) {
      if (dse.dataElement?.id) dataElements.add(dse.dataElement.id);
    }
  }
  const userUnits = ctx.user?.organisationUnits ?? [];
  const orgUnits = list(q, "ou").length > 0 ? list(q, "ou") : [...userUnits];
  const startDate = q.get("startDate");
  const endDate = q.get("endDate");
  const pe = list(q, "pe").flatMap((p) => resolveRelativePeriod(p, ctx.state.clock.now()) ?? [p]);
  const threshold = q.get("threshold") === null ? 3 : Number(q.get("threshold"));
  const maxResults = q.get("maxResults") === null ? 500 : Number(q.get("maxResults"));
  const orderKey = (q.get("orderBy") ?? "absdev").toLowerCase();
  const orderBy =
    ORDERS[orderKey as keyof typeof ORDERS] ??
    conflict(
      "E7181",
      `Column \`${q.get("orderBy")}\` specified, in orderBy, is not eligible for orderBy or does not exist`,
    );
  const modified = algorithm === "MODIFIED_Z_SCORE";
  // OutlierRequestValidator, in its order
  if (dataElements.size === 0) conflict("E2200", "At least one data element must be specified");
  const hasDates = startDate !== null && endDate !== null;
  if (!hasDates && pe.length === 0)
    conflict("E2201", "Start date and end date or relative period must be specified");
  if (hasDates && pe.length > 0)
    conflict("E2212", "Specifying both a start date/end date and a relative period is not allowed");
  if (hasDates && startDate! > endDate!) conflict("E2202", "Start date must be before end date");
  if (orgUnits.length === 0) conflict("E2203", "At least one organisation unit must be specified");
  if (!(threshold > 0)) conflict("E2204", "Threshold must be a positive number");
  if (!(maxResults > 0)) conflict("E2205", "Max results must be a positive number");
  if (maxResults > 100_000) conflict("E2206", "Max results exceeds the allowed max limit: `100000`");
  if (modified && ["Z_SCORE", "MEAN", "STD_DEV"].includes(orderBy))
    conflict("E2213", `Value of param orderBy is not compatible with algorithm \`${algorithm}\``);
  if (!modified && ["MODIFIED_Z_SCORE", "MEDIAN", "MEDIAN_ABS_DEV"].includes(orderBy))
    conflict("E2213", `Value of param orderBy is not compatible with algorithm \`${algorithm}\``);
  if (q.get("dataStartDate") !== null) conflict("E2209", "Data start date not allowed");
  if (q.get("dataEndDate") !== null) conflict("E2210", "Data end date not allowed");
  if (algorithm === "MIN_MAX") conflict("E2211", "Algorithm min-max values not allowed");
  if (!ctx.app.extensions.analyticsOutliers) {
    conflict(
      "E7180",
      "The analytics outliers data does not exist. Please ensure analytics job was run and did not skip the outliers",
    );
  }

  // The stored values, grouped per de/ou/coc/aoc (the statistics span all of a group's periods).
  const store = dataValueStore(ctx.app);
  const groups = new Map<string, { rows: number[]; values: number[] }>();
  for (const row of store.rows({ dataElements })) {
    const raw = store.valueOf(row);
    const value = raw === null ? Number.NaN : Number(raw);
    if (!Number.isFinite(value)) continue;
    const coc = store.categoryOptionComboOf(row);
    const de = store.dataElementOf(row);
    if (cocOf.has(de) && cocOf.get(de) !== coc) continue;
    const key = `${de}\u0000${store.orgUnitOf(row)}\u0000${coc}\u0000${store.attributeOptionComboOf(row)}`;
    const g = groups.get(key) ?? { rows: [], values: [] };
    g.rows.push(row);
    g.values.push(value);
    groups.set(key, g);
  }
  const paths = orgUnits.map((id) => md.get("organisationUnits", id)?.path as string | undefined);
  const inScope = (ou: string) => {
    const path = md.get("organisationUnits", ou)?.path as string | undefined;
    return path !== undefined && paths.some((p) => p !== undefined && path.startsWith(p));
  };
  const ranges = hasDates
    ? [[Date.parse(`${startDate}T00:00:00Z`), Date.parse(`${endDate}T00:00:00Z`)] as const]
    : pe.flatMap((id) => {
        const p = dayPeriod(id);
        return p ? [[p.startDay * DAY_MS, p.endDay * DAY_MS] as const] : [];
      });
  const inRange = (period: string) => {
    const p = dayPeriod(period);
    return p !== undefined && ranges.some(([s, e]) => p.startDay * DAY_MS >= s && p.startDay * DAY_MS <= e);
  };
  const out: Row[] = [];
  for (const g of groups.values()) {
    const n = g.values.length;
    const mean = g.values.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(g.values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    const med = median([...g.values].sort((a, b) => a - b));
    const mad = median(g.values.map((v) => Math.abs(v - med)).sort((a, b) => a - b));
    g.rows.forEach((row, i) => {
      const value = g.values[i]!;
      const ou = store.orgUnitOf(row);
      const period = store.periodOf(row);
      if (!inScope(ou) || !inRange(period)) return;
      const middle = modified ? med : mean;
      const dev = modified ? mad : std;
      const absDev = Math.abs(value - middle);
      const z = dev === 0 ? 0 : modified ? (SCALE * absDev) / mad : absDev / std;
      if (z < threshold) return;
      const spread = modified ? (mad * threshold) / SCALE : std * threshold;
      out.push({
        de: store.dataElementOf(row),
        pe: period,
        ou,
        coc: store.categoryOptionComboOf(row),
        aoc: store.attributeOptionComboOf(row),
        value,
        middle,
        dev,
        absDev,
        z,
        lower: middle - spread,
        upper: middle + spread,
      });
    });
  }
  const column: Record<string, (r: Row) => number> = {
    Z_SCORE: (r) => r.z,
    MODIFIED_Z_SCORE: (r) => r.z,
    VALUE: (r) => r.value,
    MEDIAN: (r) => r.middle,
    MEAN: (r) => r.middle,
    STD_DEV: (r) => r.dev,
    MEDIAN_ABS_DEV: (r) => r.dev,
    ABS_DEV: (r) => r.absDev,
    LOWER_BOUND: (r) => r.lower,
    UPPER_BOUND: (r) => r.upper,
  };
  const asc = (q.get("sortOrder") ?? "DESC").toUpperCase() === "ASC";
  out.sort((a, b) => (column[orderBy]!(a) - column[orderBy]!(b)) * (asc ? 1 : -1));
  return { rows: out.slice(0, maxResults), algorithm, threshold, orderBy, maxResults, modified, userUnits };
}

function answer(ctx: Ctx): void {
  const r = detect(ctx);
  const md = ctx.state.metadata;
  const scale = (ctx.query.get("skipRounding") ?? "").toLowerCase() === "true" ? 10 : 2;
  const name = (plural: string, id: string) => (md.get(plural, id)?.name as string | undefined) ?? id;
  const hierarchy = (ou: string) => {
    const ids = String(md.get("organisationUnits", ou)?.path ?? `/${ou}`)
      .split("/")
      .filter(Boolean);
    // OrganisationUnit.getParentNameGraph(user roots, includeThis, " / ", no leading delimiter)
    const from = Math.max(
      0,
      ids.findIndex((id) => r.userUnits.includes(id)),
    );
    return ids
      .slice(from)
      .map((id) => name("organisationUnits", id))
      .join(" / ");
  };
  const headers: GridHeaderJson[] = [
    text("dx", "Data"),
    text("dxname", "Data name"),
    text("pe", "Period"),
    text("pename", "Period name"),
    text("ou", "Organisation unit"),
    text("ouname", "Organisation unit name"),
    text("ounamehierarchy", "Organisation unit name hierarchy"),
    text("coc", "Category option combo"),
    text("cocname", "Category option combo name"),
    text("aoc", "Attribute option combo"),
    text("aocname", "Attribute option combo name"),
    numberHeader("value", "Value"),
    r.modified ? numberHeader("median", "Median") : numberHeader("mean", "Mean"),
    r.modified
      ? numberHeader("medianabsdeviation", "Median absolute deviation")
      : numberHeader("stddev", "Standard deviation"),
    numberHeader("absdev", "Absolute deviation"),
    r.modified ? numberHeader("modifiedzscore", "Modified Z-score") : numberHeader("zscore", "Z-score"),
    numberHeader("lowerbound", "Lower boundary"),
    numberHeader("upperbound", "Upper boundary"),
  ].map((h) => ({ ...h, meta: false }));
  let rows: unknown[][] = r.rows.map((o) => {
    const p = dayPeriod(o.pe);
    return [
      o.de,
      name("dataElements", o.de),
      o.pe,
      p ? periodName(p) : o.pe,
      o.ou,
      name("organisationUnits", o.ou),
      hierarchy(o.ou),
      o.coc,
      name("categoryOptionCombos", o.coc),
      o.aoc,
      name("categoryOptionCombos", o.aoc),
      o.value,
      round(o.middle, scale),
      round(o.dev, scale),
      round(o.absDev, scale),
      round(o.z, scale),
      round(o.lower, scale),
      round(o.upper, scale),
    ];
  });
  let shown = headers;
  const wanted = ctx.query
    .getAll("headers")
    .flatMap((h) => h.split(","))
    .filter(Boolean);
  if (wanted.length > 0) {
    // Grid.retainColumns: the asked headers, in the grid's order
    const keep = headers.map((h, i) => (wanted.includes(h.name) ? i : -1)).filter((i) => i >= 0);
    shown = keep.map((i) => headers[i]!);
    rows = rows.map((row) => keep.map((i) => row[i]));
  }
  ctx.json(200, {
    headers: shown,
    metaData: {
      algorithm: r.algorithm,
      threshold: r.threshold,
      orderBy: r.orderBy,
      maxResults: r.maxResults,
      count: r.rows.length,
    },
    rowContext: {},
    width: shown.length,
    rows,
    headerWidth: shown.length,
    height: rows.length,
  });
}

/** Registers the route (called by the analytics module). */
export function installOutlierDetection(app: EmulatorApp): void {
  app.get("/api/analytics/outlierDetection", answer);
}
