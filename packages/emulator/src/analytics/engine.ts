/**
 * The aggregation engine behind `/api/analytics`, computed from the data value store on demand.
 *
 * One pass over the store: rows are filtered by data element, period and org unit (the store
 * memoises each test per distinct id, so a 188k-value scan costs one typed-array walk), each
 * stored period is mapped once to the requested periods it rolls into, and each stored org unit
 * once to the requested org units on its `path` (so values aggregate up the hierarchy without a
 * tree walk per value). Accumulators are keyed by (data item, period bucket, org unit bucket).
 *
 * Aggregation follows the data element's `aggregationType` (or the `aggregationType` query
 * parameter), after DHIS2's docs ("Data elements" -> aggregation type) and dhis2-core
 * `AggregationType`: SUM; AVERAGE (mean of the values); AVERAGE_SUM_ORG_UNIT (sum over org
 * units of `sum(value x days) / days of the requested period`, dhis2-core's `daysxvalue`
 * approach); COUNT; MIN; MAX; LAST / LAST_AVERAGE_ORG_UNIT (latest period's value per org unit,
 * summed / averaged); FIRST / FIRST_AVERAGE_ORG_UNIT; STDDEV; VARIANCE (sample, as Postgres).
 */
import type { DataValueStore } from "../data/store.js";
import type { MetadataStore } from "../metadata-store.js";
import { type DayPeriod, dayPeriod, rollsInto } from "./periods.js";
import type { AnalyticsPlan, DxItem } from "./query.js";

/** One computed cell; numerator/denominator/factor are set for indicators. */
export interface CellValue {
  value: number;
  numerator?: number;
  denominator?: number;
  factor?: number;
}

class Acc {
  sum = 0;
  sumSq = 0;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  daysValue = 0;
  byOu: Map<string, { start: number; value: number }> | undefined;
}

interface Leaf {
  dataElement: string;
  coc: string | undefined;
  aggregation: string;
  /** LAST* / FIRST* keep one value per org unit: the latest (1) or earliest (-1) period's; else 0. */
  pick: 1 | -1 | 0;
}

const numeric = (value: string | null): number | undefined => {
  if (value === null) return undefined;
  if (value === "true") return 1;
  if (value === "false") return 0;
  const n = Number(value);
  if (Number.isNaN(n)) return undefined;
  // Number("") and Number("  ") are 0, but a blank value is no value; trim only when it matters.
  return n === 0 && value.trim() === "" ? undefined : n;
};

function finish(acc: Acc | undefined, aggregation: string, requestedDays: number): number | undefined {
  if (!acc || acc.count === 0) return undefined;
  switch (aggregation) {
    case "COUNT":
      return acc.count;
    case "MIN":
      return acc.min;
    case "MAX":
      return acc.max;
    case "AVERAGE":
    case "AVERAGE_INT":
    case "AVERAGE_INT_DISAGGREGATION":
      return acc.sum / acc.count;
    case "AVERAGE_SUM_ORG_UNIT":
    case "AVERAGE_SUM_INT":
    case "AVERAGE_SUM_INT_DISAGGREGATION":
      return acc.daysValue / requestedDays;
    case "STDDEV":
    case "VARIANCE": {
      if (acc.count < 2) return undefined;
      const variance = (acc.sumSq - (acc.sum * acc.sum) / acc.count) / (acc.count - 1);
      return aggregation === "STDDEV" ? Math.sqrt(variance) : variance;
    }
    case "LAST":
    case "LAST_IN_PERIOD":
    case "FIRST":
    case "LAST_AVERAGE_ORG_UNIT":
    case "LAST_IN_PERIOD_AVERAGE_ORG_UNIT":
    case "FIRST_AVERAGE_ORG_UNIT": {
      let total = 0;
      for (const v of acc.byOu?.values() ?? []) total += v.value;
      return aggregation.endsWith("AVERAGE_ORG_UNIT") ? total / (acc.byOu?.size || 1) : total;
    }
    default:
      return acc.sum;
  }
}

/** Computes every cell of the plan; keys are `dxIndex * (nPe * nOu) + peBucket * nOu + ouBucket`. */
export function computeCells(
  plan: AnalyticsPlan,
  store: DataValueStore,
  md: MetadataStore,
): { cells: Map<number, CellValue>; nPe: number; nOu: number } {
  const nPe = plan.pe.filter ? 1 : plan.pe.items.length;
  const nOu = plan.ou.filter ? 1 : plan.ou.items.length;
  const leaves: Leaf[] = [];
  const leafIndex = new Map<string, number>();
  const leafOf = (de: string, coc: string | undefined): number => {
    const key = `${de}.${coc ?? ""}`;
    let i = leafIndex.get(key);
    if (i === undefined) {
      i = leaves.length;
      leafIndex.set(key, i);
      const obj = md.get("dataElements", de);
      const aggregation = plan.options.aggregationType ?? String(obj?.aggregationType ?? "SUM");
      const pick = aggregation.startsWith("LAST") ? 1 : aggregation.startsWith("FIRST") ? -1 : 0;
      leaves.push({ dataElement: de, coc, aggregation, pick });
    }
    return i;
  };
  const dxLeaves: number[][] = plan.dx.items.map((item: DxItem) => {
    if (item.indicator) {
      return [...item.indicator.numerator.items, ...item.indicator.denominator.items].map((x) =>
        leafOf(x.dataElement, x.categoryOptionCombo),
      );
    }
    return [leafOf(item.dataElement as string, item.categoryOptionCombo)];
  });
  const totalLeaf = new Map<string, number>();
  const cocLeaves = new Map<string, Map<string, number>>();
  leaves.forEach((leaf, i) => {
    if (leaf.coc === undefined) totalLeaf.set(leaf.dataElement, i);
    else {
      let m = cocLeaves.get(leaf.dataElement);
      if (!m) {
        m = new Map();
        cocLeaves.set(leaf.dataElement, m);
      }
      m.set(leaf.coc, i);
    }
  });

  const requested = plan.pe.items.map((p) => p.period);
  const peMemo = new Map<string, number[]>();
  const peBuckets = (id: string): number[] => {
    let b = peMemo.get(id);
    if (!b) {
      const stored = dayPeriod(id);
      b = [];
      if (stored) {
        requested.forEach((r, i) => {
          if (rollsInto(stored, r)) b?.push(plan.pe.filter ? 0 : i);
        });
        if (plan.pe.filter && b.length > 1) b = [0];
      }
      peMemo.set(id, b);
    }
    return b;
  };
  const ouIds = plan.ou.items.map((o) => o.id);
  const ouMemo = new Map<string, number[]>();
  const ouBuckets = (id: string): number[] => {
    let b = ouMemo.get(id);
    if (!b) {
      const path = String(md.get("organisationUnits", id)?.path ?? `/${id}`).split("/");
      b = [];
      ouIds.forEach((ou, i) => {
        if (path.includes(ou)) b?.push(plan.ou.filter ? 0 : i);
      });
      if (plan.ou.filter && b.length > 1) b = [0];
      ouMemo.set(id, b);
    }
    return b;
  };
  const requestedDays = (bucket: number): number =>
    plan.pe.filter
      ? requested.reduce((n, p) => n + p.endDay - p.startDay + 1, 0)
      : (requested[bucket] as DayPeriod).endDay - (requested[bucket] as DayPeriod).startDay + 1;

  const accs = new Map<number, Acc>();
  const add = (leaf: number, pb: number, ob: number, x: number, stored: DayPeriod, ou: string) => {
    const key = (leaf * nPe + pb) * nOu + ob;
    let acc = accs.get(key);
    if (!acc) {
      acc = new Acc();
      accs.set(key, acc);
    }
    acc.sum += x;
    acc.sumSq += x * x;
    acc.count++;
    if (x < acc.min) acc.min = x;
    if (x > acc.max) acc.max = x;
    acc.daysValue += x * (stored.endDay - stored.startDay + 1);
    const pick = (leaves[leaf] as Leaf).pick;
    if (pick !== 0) {
      acc.byOu ??= new Map();
      const prev = acc.byOu.get(ou);
      if (!prev || (pick === 1 ? stored.startDay > prev.start : stored.startDay < prev.start)) {
        acc.byOu.set(ou, { start: stored.startDay, value: x });
      } else if (stored.startDay === prev.start) prev.value += x;
    }
  };

  const dataElements = new Set(leaves.map((l) => l.dataElement));
  for (const row of store.rows({
    dataElements,
    periods: (p) => peBuckets(p).length > 0,
    orgUnits: (o) => ouBuckets(o).length > 0,
  })) {
    // Column reads, not `store.get(row)`: no object per value in the scan.
    const x = numeric(store.valueOf(row));
    if (x === undefined) continue;
    const de = store.dataElementOf(row);
    const period = store.periodOf(row);
    const orgUnit = store.orgUnitOf(row);
    const stored = dayPeriod(period) as DayPeriod;
    const total = totalLeaf.get(de);
    const byCoc = cocLeaves.get(de)?.get(store.categoryOptionComboOf(row));
    for (const pb of peBuckets(period)) {
      for (const ob of ouBuckets(orgUnit)) {
        if (total !== undefined) add(total, pb, ob, x, stored, orgUnit);
        if (byCoc !== undefined) add(byCoc, pb, ob, x, stored, orgUnit);
      }
    }
  }

  const cells = new Map<number, CellValue>();
  const leafValue = (leaf: number, pb: number, ob: number) =>
    finish(accs.get((leaf * nPe + pb) * nOu + ob), (leaves[leaf] as Leaf).aggregation, requestedDays(pb));
  plan.dx.items.forEach((item, d) => {
    const own = dxLeaves[d] as number[];
    for (let pb = 0; pb < nPe; pb++) {
      for (let ob = 0; ob < nOu; ob++) {
        const key = d * (nPe * nOu) + pb * nOu + ob;
        if (!item.indicator) {
          const value = leafValue(own[0] as number, pb, ob);
          if (value !== undefined) cells.set(key, { value });
          continue;
        }
        const { numerator, denominator, factor } = item.indicator;
        const nVals = numerator.items.map((_, i) => leafValue(own[i] as number, pb, ob));
        const dVals = denominator.items.map((_, i) =>
          leafValue(own[numerator.items.length + i] as number, pb, ob),
        );
        const num = numerator.evaluate(nVals);
        const den = denominator.evaluate(dVals);
        if (num === undefined || den === undefined || den === 0) continue;
        cells.set(key, { value: (num / den) * factor, numerator: num, denominator: den, factor });
      }
    }
  });
  return { cells, nPe, nOu };
}
